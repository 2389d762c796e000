//! cargo-pypi on PyPI: this repository's own pyproject.toml (maturin
//! `bindings = "bin"`) built by `cargo pypi build` into an sdist and a wheel
//! that pass check-dist; the wheel installed by pip into a fresh venv runs as
//! `cargo-pypi`, and the `cargo-pypi-check-system` pre-commit hook runs that
//! installed binary.

use crate::pre_commit::{pre_commit, try_repo};
use crate::support::{self, git, OutputExt, TestContext};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's files as `git ls-files` sees them (the working tree,
/// ignored files left out), copied into a fresh project folder.
fn checkout_copy() -> TestContext {
    let ctx = TestContext::empty().git_root();
    let root = support::root();
    let listed = git(
        &root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    );
    for rel in listed.split('\0').filter(|r| !r.is_empty()) {
        let from = root.join(rel);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = ctx.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    ctx
}

/// `python -m venv DIR` with the tests' Python; returns its `bin`.
fn fresh_venv(dir: &Path) -> PathBuf {
    let python = support::venv_bin().join("python");
    let ok = Command::new(python).args(["-m", "venv"]).arg(dir).status();
    assert!(ok.unwrap().success(), "python -m venv {}", dir.display());
    dir.join("bin")
}

#[test]
fn the_tool_builds_itself_into_a_wheel_that_pip_installs_and_runs() {
    // The release profile without optimisation, in a target folder kept
    // between runs: the build is what is tested, not the optimiser.
    let ctx = checkout_copy()
        .venv()
        .env(
            "CARGO_TARGET_DIR",
            support::root().join("target/self-wheel"),
        )
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0");
    let out = ctx.run(&["build"]);
    assert!(out.status.success(), "{}", out.all());
    let version = env!("CARGO_PKG_VERSION");
    let mut built: Vec<String> = std::fs::read_dir(ctx.path().join("dist"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    built.sort();
    assert_eq!(built.len(), 2, "{built:?}");
    assert_eq!(
        built[1],
        format!("cargo_pypi-{version}.tar.gz"),
        "{built:?}"
    );
    let wheel = &built[0];
    assert!(
        wheel.starts_with(&format!("cargo_pypi-{version}-py3-none-")),
        "a binary wheel for any Python 3: {wheel}"
    );
    let out = ctx.run(&["check-dist"]);
    assert!(out.status.success(), "{}", out.all());

    let scratch = tempfile::tempdir().unwrap();
    let bin = fresh_venv(&scratch.path().join("venv"));
    let pip = Command::new(bin.join("pip"))
        .args([
            "install",
            "--quiet",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(ctx.path().join("dist").join(wheel))
        .output()
        .unwrap();
    assert!(pip.status.success(), "{}", pip.all());
    let out = Command::new(bin.join("cargo-pypi"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(out.stdout().trim(), format!("cargo-pypi {version}"));

    // The system hook runs the cargo-pypi pip installed: PATH holds the venv
    // and the system's programs, not cargo's bin folder.
    let exe = pre_commit();
    let project = TestContext::fixture("static-version").git_init().env(
        "PATH",
        format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
    );
    let out = try_repo(&project, &exe, "cargo-pypi-check-system");
    assert!(out.status.success(), "hook should pass:\n{}", out.all());
    project.edit(
        "pyproject.toml",
        "version = \"1.3.0\"",
        "version = \"1.3.5\"",
    );
    git(project.path(), &["add", "-A"]);
    let out = try_repo(&project, &exe, "cargo-pypi-check-system");
    let text = out.all();
    assert!(!out.status.success(), "hook should fail:\n{text}");
    assert!(
        text.contains("pyproject.toml:7: found 1.3.5, expected 1.3.0"),
        "{text}"
    );
}
