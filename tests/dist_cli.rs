//! `cargo pypi build` and `cargo pypi check-dist` through the real binary, with
//! real maturin from the test venv (`CARGO_PYPI_TEST_VENV`, set by scripts/test.sh).

mod common;

use common::{fixture, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn venv_bin() -> PathBuf {
    let venv = std::env::var_os("CARGO_PYPI_TEST_VENV")
        .expect("CARGO_PYPI_TEST_VENV is unset: run the tests through scripts/test.sh, which creates the venv with maturin");
    PathBuf::from(venv).join("bin")
}

/// Runs the binary with the venv's tools first on PATH and a target folder per test.
fn run(dir: &Path, args: &[&str]) -> Output {
    let path = std::env::join_paths(std::iter::once(venv_bin()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_cargo-pypi"))
        .arg("pypi")
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("CARGO_PYPI_PYTHON", venv_bin().join("python"))
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("run cargo-pypi")
}

fn git_root(dir: &Path) {
    std::fs::create_dir(dir.join(".git")).unwrap();
}

#[test]
fn build_then_check_dist_on_a_bin_tool() {
    let dir = fixture("bin-bindings");
    git_root(dir.path());
    let out = run(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = stdout(&out);
    assert!(listed.contains("dist/bintool-0.2.0.tar.gz  "), "{listed}");
    assert!(
        listed.contains("dist/bintool-0.2.0-py3-none-manylinux"),
        "{listed}"
    );
    assert!(
        stderr(&out).contains("maturin 1."),
        "says which tool ran: {}",
        stderr(&out)
    );
    assert!(
        dir.path().join("target").is_dir(),
        "cargo builds reuse the repository's target folder"
    );

    let out = run(dir.path(), &["check-dist", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    assert_eq!(json["files"].as_array().unwrap().len(), 2, "{json}");
    let errors: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(
        errors.is_empty(),
        "maturin's artifacts are accepted: {errors:?}"
    );
    assert_eq!(out.status.success(), json["ok"].as_bool().unwrap());
}

#[test]
fn check_dist_takes_only_this_versions_artifacts_and_given_files() {
    let dir = fixture("bin-bindings");
    git_root(dir.path());
    assert!(run(dir.path(), &["build", "-q"]).status.success());
    let dist = dir.path().join("dist");
    let old = dist.join("bintool-0.1.9.tar.gz");
    std::fs::write(&old, b"not even gzip").unwrap();
    let out = run(dir.path(), &["check-dist"]);
    assert!(
        !stdout(&out).contains("0.1.9"),
        "other versions are not checked: {}",
        stdout(&out)
    );
    let out = run(dir.path(), &["check-dist", old.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("bintool-0.1.9.tar.gz"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn build_refuses_while_versions_disagree() {
    let dir = fixture("disagree");
    git_root(dir.path());
    let out = run(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("pyproject.toml:7: found 1.2.0, expected 1.2.1"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("dist").exists(), "nothing built");
}

#[test]
fn check_dist_without_artifacts_says_to_build() {
    let dir = fixture("bin-bindings");
    git_root(dir.path());
    let out = run(dir.path(), &["check-dist"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cargo pypi build"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn build_names_ignored_files_and_warns_about_artifacts_in_the_sdist() {
    let dir = fixture("bin-bindings");
    git_root(dir.path());
    std::fs::create_dir(dir.path().join("dist")).unwrap();
    std::fs::write(
        dir.path().join("dist/bintool-0.1.0-py3-none-any.whl"),
        b"old build",
    )
    .unwrap();
    let out = run(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Ignored bintool-0.1.0-py3-none-any.whl"),
        "{err}"
    );
    assert!(
        err.contains("built artifact(s) from earlier builds"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("dist/bintool-0.1.0-py3-none-any.whl")).unwrap(),
        b"old build"
    );
    let staging = std::fs::read_dir(dir.path().join("dist"))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains("staging"));
    assert!(!staging, "no staging folder is left in dist/");
}
