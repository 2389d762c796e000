//! `build` against the real tools: maturin and `python -m build` from the venv
//! named by `CARGO_PYPI_TEST_VENV`, on copies of the fixtures.
//!
//! Set it up once with
//! `python3 -m venv DIR && DIR/bin/pip install maturin build cffi`
//! and run with `CARGO_PYPI_TEST_VENV=DIR cargo test --test it -- build::`
//! (scripts/test.sh makes the venv and sets the variable).
//! (cffi: workspace-inherit's crate has no PyO3, so maturin builds cffi bindings.)

mod maturin;
mod setuptools;

use crate::support::{self, TestContext};
use cargo_pypi::build::{build, BuildError, BuildRequest, BuildResult};
use cargo_pypi::project::python::Pyproject;
use cargo_pypi::report::Reporter;
use cargo_pypi::version::ReleaseVersion;
use sha2::{Digest, Sha256};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

/// The venv's `bin` folder, which must hold maturin and python3.
fn venv_bin() -> PathBuf {
    let bin = support::venv_bin();
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
