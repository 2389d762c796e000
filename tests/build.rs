//! `build` against the real tools: maturin and `python -m build` from the venv
//! named by `CARGO_PYPI_TEST_VENV`, on copies of the fixtures.
//!
//! Set it up once with
//! `python3 -m venv DIR && DIR/bin/pip install maturin build cffi`
//! and run with `CARGO_PYPI_TEST_VENV=DIR cargo test --test build`.
//! (cffi: workspace-inherit's crate has no PyO3, so maturin builds cffi bindings.)

mod common;

use cargo_pypi::build::{build, BuildError, BuildRequest, BuildResult};
use cargo_pypi::project::python::Pyproject;
use cargo_pypi::report::Reporter;
use cargo_pypi::version::ReleaseVersion;
use sha2::{Digest, Sha256};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

/// The venv's `bin` folder; a clear failure when the variable is not set.
fn venv_bin() -> PathBuf {
    let Some(venv) = std::env::var_os("CARGO_PYPI_TEST_VENV") else {
        panic!(
            "CARGO_PYPI_TEST_VENV is not set: create a venv with \
             `python3 -m venv DIR && DIR/bin/pip install maturin build cffi` \
             and set CARGO_PYPI_TEST_VENV=DIR"
        );
    };
    let bin = PathBuf::from(venv).join("bin");
    assert!(
        bin.join("maturin").is_file() && bin.join("python3").is_file(),
        "CARGO_PYPI_TEST_VENV={}: no bin/maturin or bin/python3 in it; \
         install them with `DIR/bin/pip install maturin build cffi`",
        bin.parent().unwrap().display()
    );
    bin
}

/// The venv's bin folder in front of this process's PATH.
fn tool_path() -> OsString {
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::iter::once(venv_bin()).chain(std::env::split_paths(&inherited));
    std::env::join_paths(dirs).unwrap()
}

/// A quiet request with tools from the venv and a target folder of its own.
fn request(dir: &Path, target: &Path) -> BuildRequest {
    let mut request = BuildRequest::new(dir, target);
    request.path = Some(tool_path());
    request.quiet = true;
    request
}

fn pyproject(dir: &Path) -> Pyproject {
    Pyproject::read(&dir.join("pyproject.toml"))
        .unwrap()
        .expect("a Rust-built Python package")
}

fn version(v: &str) -> ReleaseVersion {
    ReleaseVersion::parse_semver(v).unwrap()
}

/// Records what the build reports.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Recorder {
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

impl Reporter for Recorder {
    fn status(&self, verb: &str, message: &str) {
        self.0.lock().unwrap().push(format!("{verb} {message}"));
    }
    fn warn(&self, message: &str) {
        self.0.lock().unwrap().push(format!("warning: {message}"));
    }
    fn verbose(&self, message: &str) {
        self.0.lock().unwrap().push(format!("note: {message}"));
    }
}

fn run_build(
    dir: &Path,
    v: &str,
    request: &BuildRequest,
) -> (Result<BuildResult, BuildError>, Recorder) {
    let reporter = Recorder::default();
    let result = build(&pyproject(dir), &version(v), request, &reporter);
    (result, reporter)
}

fn names(result: &BuildResult) -> Vec<String> {
    result
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Asserts one sdist then one wheel, named `<stem>-…`, in `out_dir`, with right sizes and hashes.
fn assert_built(result: &BuildResult, out_dir: &Path, stem: &str, wheel_tag: &str) {
    let names = names(result);
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], format!("{stem}.tar.gz"));
    assert!(
        names[1].starts_with(&format!("{stem}-")) && names[1].ends_with(".whl"),
        "{names:?}"
    );
    assert!(
        names[1].contains(wheel_tag),
        "{} lacks {wheel_tag}",
        names[1]
    );
    for file in &result.files {
        assert_eq!(file.path.parent().unwrap(), out_dir);
        let bytes = std::fs::read(&file.path).unwrap();
        assert_eq!(file.size, bytes.len() as u64);
        assert_eq!(file.sha256, format!("{:x}", Sha256::digest(&bytes)));
    }
    let leftovers: Vec<_> = std::fs::read_dir(out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".cargo-pypi"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

/// The pyo3 rlibs in the release folder of `target`, with their mtimes.
fn pyo3_rlibs(target: &Path) -> Vec<(PathBuf, SystemTime)> {
    let deps = target.join("release/deps");
    let mut out: Vec<_> = std::fs::read_dir(&deps)
        .unwrap_or_else(|e| panic!("{}: {e}", deps.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("libpyo3-") && name.ends_with(".rlib")
        })
        .map(|p| {
            let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p, mtime)
        })
        .collect();
    out.sort();
    out
}

/// Whether the extension module (`.so`) inside `wheel` holds `needle`.
/// (The wheels differ anyway: maturin's SBOM carries a timestamp.)
fn extension_has(wheel: &Path, needle: &[u8]) -> bool {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(wheel).unwrap()).unwrap();
    let index = (0..archive.len())
        .find(|&i| {
            archive
                .by_index(i)
                .unwrap()
                .name()
                .unwrap()
                .ends_with(".so")
        })
        .expect("an extension module in the wheel");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_index(index).unwrap(), &mut bytes).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn pyo3_builds_sdist_and_wheel_then_rebuilds_incrementally() {
    let project = common::fixture("pyo3-dynamic");
    let dir = project.path();
    let target = tempfile::tempdir().unwrap();
    let request = request(dir, target.path());
    let out_dir = dir.join("dist");
    std::fs::create_dir_all(&out_dir).unwrap();
    let stale = out_dir.join("pyo3_dynamic-0.4.1.tar.gz");
    std::fs::write(&stale, b"an older release").unwrap();
    std::fs::write(out_dir.join("notes.txt"), b"not a distribution").unwrap();

    let started = Instant::now();
    let (first, reporter) = run_build(dir, "0.4.2", &request);
    let first = first.unwrap_or_else(|e| panic!("{e}"));
    eprintln!("pyo3-dynamic, first build: {:.1?}", started.elapsed());
    assert!(
        first.frontend.starts_with("maturin 1."),
        "{}",
        first.frontend
    );
    assert_built(&first, &out_dir, "pyo3_dynamic-0.4.2", "manylinux");
    // The stale sdist sits in dist/, which this fixture does not ignore: it lands in the sdist.
    assert_eq!(first.warnings.len(), 1, "{:?}", first.warnings);
    assert!(
        first.warnings[0].contains("dist/pyo3_dynamic-0.4.1.tar.gz"),
        "{:?}",
        first.warnings
    );
    assert_eq!(first.ignored, std::slice::from_ref(&stale));
    assert_eq!(std::fs::read(&stale).unwrap(), b"an older release");
    let lines = reporter.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Building pyo3-dynamic 0.4.2") && l.contains("with maturin 1.")),
        "{lines:?}"
    );

    let rlibs = pyo3_rlibs(target.path());
    assert!(!rlibs.is_empty(), "pyo3 was not built in the target folder");

    assert!(!extension_has(&first.files[1].path, b"second build"));

    // A real change to the crate's code: it must show in the wheel, and pyo3 stays as built.
    edit(
        &dir.join("src/lib.rs"),
        "    Ok(())",
        "    m.add(\"CHANGED\", \"second build\")?;\n    Ok(())",
    );
    let started = Instant::now();
    let (second, _) = run_build(dir, "0.4.2", &request);
    let second = second.unwrap_or_else(|e| panic!("{e}"));
    eprintln!("pyo3-dynamic, second build: {:.1?}", started.elapsed());
    assert_built(&second, &out_dir, "pyo3_dynamic-0.4.2", "manylinux");
    assert_eq!(pyo3_rlibs(target.path()), rlibs, "pyo3 was compiled again");
    assert!(
        extension_has(&second.files[1].path, b"second build"),
        "the wheel did not pick up the change to src/lib.rs"
    );
    assert_eq!(second.ignored, [stale]);
}

#[test]
fn bin_bindings_streams_the_tool_output_and_builds() {
    let project = common::fixture("bin-bindings");
    let dir = project.path();
    let target = tempfile::tempdir().unwrap();
    let mut request = request(dir, target.path());
    request.quiet = false;
    let (result, _) = run_build(dir, "0.2.0", &request);
    let result = result.unwrap_or_else(|e| panic!("{e}"));
    assert_built(
        &result,
        &dir.join("dist"),
        "bintool-0.2.0",
        "-py3-none-manylinux",
    );
    assert!(result.ignored.is_empty());
    assert!(
        target.path().join("release").is_dir(),
        "CARGO_TARGET_DIR not used"
    );
}

#[test]
fn workspace_with_manifest_path_builds_from_its_sdist() {
    let project = common::fixture("workspace-inherit");
    let dir = project.path();
    let target = tempfile::tempdir().unwrap();
    let mut request = request(dir, target.path());
    request.out_dir = dir.join("wheels-out");
    let (result, _) = run_build(dir, "2.1.0", &request);
    let result = result.unwrap_or_else(|e| panic!("{e}"));
    assert_built(
        &result,
        &dir.join("wheels-out"),
        "ws_python-2.1.0",
        "manylinux",
    );
}

#[test]
fn the_wheel_is_built_from_the_sdist_not_the_tree() {
    let project = common::fixture("bin-bindings");
    let dir = project.path();
    // The tree builds: src/main.rs includes a file that Cargo.toml keeps out of the sdist.
    std::fs::write(
        dir.join("src/generated.rs"),
        "const GENERATED: &str = \"generated\";\n",
    )
    .unwrap();
    edit(
        &dir.join("src/main.rs"),
        "fn main() {",
        "include!(\"generated.rs\");\nfn main() {",
    );
    edit(
        &dir.join("src/main.rs"),
        "nothing to do\"",
        "nothing to do {GENERATED}\"",
    );
    edit(
        &dir.join("Cargo.toml"),
        "publish = false",
        "publish = false\nexclude = [\"src/generated.rs\"]",
    );
    let target = tempfile::tempdir().unwrap();
    let check = std::process::Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target.path().join("tree"))
        .status()
        .unwrap();
    assert!(check.success(), "the source tree itself does not build");

    let (result, _) = run_build(dir, "0.2.0", &request(dir, target.path()));
    let err = result.expect_err("the sdist lacks src/generated.rs");
    let message = err.to_string();
    eprintln!("{message}");
    assert!(matches!(err, BuildError::Command { .. }), "{message}");
    assert!(
        message.contains("maturin build --release --out"),
        "{message}"
    );
    assert!(message.contains("generated.rs"), "tail missing: {message}");
    assert!(
        message.contains("built from the sdist's contents"),
        "{message}"
    );
    let dist: Vec<_> = std::fs::read_dir(dir.join("dist")).unwrap().collect();
    assert!(
        dist.is_empty(),
        "files moved into dist/ after a failure: {dist:?}"
    );
}

#[test]
fn a_built_version_other_than_the_release_is_an_error() {
    let project = common::fixture("bin-bindings");
    let dir = project.path();
    let target = tempfile::tempdir().unwrap();
    let (result, _) = run_build(dir, "0.2.1", &request(dir, target.path()));
    let message = result.unwrap_err().to_string();
    eprintln!("{message}");
    assert!(
        message.starts_with("bintool-0.2.0"),
        "the file is not named first: {message}"
    );
    assert!(
        message.contains("`0.2.0`") && message.contains("`0.2.1`"),
        "{message}"
    );
    let dist: Vec<_> = std::fs::read_dir(dir.join("dist")).unwrap().collect();
    assert!(
        dist.is_empty(),
        "mismatched files moved into dist/: {dist:?}"
    );
}

/// The setuptools-rust fixture made buildable: its Rust sources listed for the
/// sdist, and no PyO3 feature asked for (its lib.rs has no PyO3 glue).
fn setuptools_rust_project(with_manifest_in: bool) -> tempfile::TempDir {
    let project = common::fixture("setuptools-rust");
    let dir = project.path();
    edit(
        &dir.join("pyproject.toml"),
        "binding = \"PyO3\"",
        "binding = \"NoBinding\"",
    );
    if with_manifest_in {
        std::fs::write(
            dir.join("MANIFEST.in"),
            "include Cargo.toml Cargo.lock\nrecursive-include src *.rs\n",
        )
        .unwrap();
    }
    project
}

#[test]
fn setuptools_rust_builds_with_python_build_and_warns_about_linux_tags() {
    let project = setuptools_rust_project(true);
    let dir = project.path();
    let target = tempfile::tempdir().unwrap();
    let (result, reporter) = run_build(dir, "0.7.0", &request(dir, target.path()));
    let result = result.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        result.frontend.starts_with("python -m build ")
            && result.frontend.ends_with("(setuptools.build_meta)"),
        "{}",
        result.frontend
    );
    assert_built(&result, &dir.join("dist"), "strust-0.7.0", "-linux_");
    assert_eq!(result.warnings.len(), 1, "{:?}", result.warnings);
    assert!(
        result.warnings[0].contains("auditwheel repair"),
        "{:?}",
        result.warnings
    );
    assert!(reporter
        .lines()
        .iter()
        .any(|l| l.starts_with("warning: strust-0.7.0-")));
    assert!(
        target.path().join("release").is_dir(),
        "CARGO_TARGET_DIR not used"
    );
}

#[test]
fn setuptools_rust_without_rust_files_in_the_sdist_fails_with_the_tail() {
    let project = setuptools_rust_project(false);
    let dir = project.path();
    let target = tempfile::tempdir().unwrap();
    let (result, _) = run_build(dir, "0.7.0", &request(dir, target.path()));
    let message = result.unwrap_err().to_string();
    eprintln!("{message}");
    assert!(message.contains("-m build --outdir"), "{message}");
    assert!(message.contains("Cargo.toml"), "tail missing: {message}");
    assert!(message.contains("MANIFEST.in"), "hint missing: {message}");
}

#[test]
fn missing_tools_name_the_install_command() {
    // A PATH holding only a Python without maturin or build (whatever CARGO_PYPI_PYTHON says).
    let empty = tempfile::tempdir().unwrap();
    let bare_python = empty.path().join("python3");
    std::fs::write(
        &bare_python,
        "#!/bin/sh\necho 'No module named' >&2\nexit 1\n",
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&bare_python)
        .status()
        .unwrap();
    let target = tempfile::tempdir().unwrap();

    let project = common::fixture("bin-bindings");
    let mut req = request(project.path(), target.path());
    req.path = Some(empty.path().as_os_str().to_owned());
    req.python = Some(bare_python.clone());
    let (result, _) = run_build(project.path(), "0.2.0", &req);
    let message = result.unwrap_err().to_string();
    eprintln!("{message}");
    assert!(message.starts_with("maturin not found"), "{message}");
    assert!(
        message.contains("pip install 'maturin>=1.8,<2.0'"),
        "{message}"
    );

    let project = setuptools_rust_project(true);
    let mut req = request(project.path(), target.path());
    req.path = Some(empty.path().as_os_str().to_owned());
    req.python = Some(bare_python.clone());
    let (result, _) = run_build(project.path(), "0.7.0", &req);
    let message = result.unwrap_err().to_string();
    eprintln!("{message}");
    assert!(
        message.starts_with("python -m build not found"),
        "{message}"
    );
    assert!(message.contains("`pip install build`"), "{message}");
}

#[test]
fn a_maturin_outside_build_system_requires_is_refused() {
    let project = common::fixture("bin-bindings");
    let dir = project.path();
    edit(
        &dir.join("pyproject.toml"),
        "maturin>=1.8,<2.0",
        "maturin>=99",
    );
    let target = tempfile::tempdir().unwrap();
    let (result, _) = run_build(dir, "0.2.0", &request(dir, target.path()));
    let message = result.unwrap_err().to_string();
    eprintln!("{message}");
    assert!(message.starts_with("maturin 1."), "{message}");
    assert!(
        message.contains("does not satisfy `maturin>=99`"),
        "{message}"
    );
    assert!(message.contains("pip install 'maturin>=99'"), "{message}");
    assert!(
        !dir.join("dist").exists(),
        "nothing is built before the tools are checked"
    );
}

#[test]
fn without_isolation_the_build_uses_the_python_environment() {
    let project = setuptools_rust_project(true);
    let dir = project.path();
    let target = tempfile::tempdir().unwrap();
    let mut req = request(dir, target.path());
    req.isolation = false;
    let (result, _) = run_build(dir, "0.7.0", &req);
    let has_backend = std::process::Command::new(venv_bin().join("python3"))
        .args(["-c", "import setuptools_rust"])
        .output()
        .unwrap()
        .status
        .success();
    if has_backend {
        result.unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let message = result.unwrap_err().to_string();
    assert!(message.contains("-m build --outdir"), "{message}");
    assert!(message.contains("--no-isolation"), "{message}");
    assert!(
        message.contains("setuptools-rust"),
        "tail missing: {message}"
    );
    assert!(message.contains("without build isolation"), "{message}");
}
