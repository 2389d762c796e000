//! setuptools-rust through `python -m build`, missing or unsuitable tools, and
//! builds without isolation.

use super::*;

/// The setuptools-rust fixture made buildable: its Rust sources listed for the
/// sdist, and no PyO3 feature asked for (its lib.rs has no PyO3 glue).
fn setuptools_rust_project(with_manifest_in: bool) -> TestContext {
    let project = TestContext::fixture("setuptools-rust");
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

    let project = TestContext::fixture("bin-bindings");
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
    let project = TestContext::fixture("bin-bindings");
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
