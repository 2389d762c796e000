//! maturin projects: pyo3 with an incremental rebuild, a bin tool, a workspace,
//! the wheel built from the sdist, and a version other than the release.

use super::*;

#[test]
fn pyo3_builds_sdist_and_wheel_then_rebuilds_incrementally() {
    let project = TestContext::fixture("pyo3-dynamic");
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
    let project = TestContext::fixture("bin-bindings");
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
    let project = TestContext::fixture("workspace-inherit");
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
    let project = TestContext::fixture("bin-bindings");
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
    let project = TestContext::fixture("bin-bindings");
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
