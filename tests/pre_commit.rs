//! The shipped `.pre-commit-hooks.yaml`, run by the real `pre-commit` tool
//! (`pre-commit try-repo` builds this repository with `cargo install`, as users'
//! machines do) in a test repository: it passes when versions agree and blocks
//! a commit that makes them disagree.

mod common;

use common::{fixture, git, git_init};
use std::path::Path;
use std::process::Command;

fn pre_commit() -> String {
    let exe = std::env::var("PRE_COMMIT").unwrap_or_else(|_| "pre-commit".into());
    let found = Command::new(&exe)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "`{exe}` not found: run the tests through scripts/test.sh, which installs pre-commit into a venv, or set PRE_COMMIT");
    exe
}

fn try_repo(dir: &Path, exe: &str) -> std::process::Output {
    let repo = common::root();
    // Build the hook into a shared target folder so repeated runs stay incremental.
    let target = repo.join("target/pre-commit-hook");
    Command::new(exe)
        .args([
            "try-repo",
            repo.to_str().unwrap(),
            "cargo-pypi-check",
            "--all-files",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("PRE_COMMIT_HOME", repo.join("target/pre-commit-home"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("run pre-commit")
}

#[test]
fn hook_passes_in_lockstep_and_fails_on_drift() {
    let exe = pre_commit();
    let dir = fixture("static-version");
    git_init(dir.path());
    let out = try_repo(dir.path(), &exe);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "hook should pass:\n{text}");
    assert!(text.contains("cargo pypi check"), "{text}");

    let py = dir.path().join("pyproject.toml");
    std::fs::write(
        &py,
        std::fs::read_to_string(&py)
            .unwrap()
            .replace("version = \"1.3.0\"", "version = \"1.3.5\""),
    )
    .unwrap();
    git(dir.path(), &["add", "-A"]);
    let out = try_repo(dir.path(), &exe);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "hook should fail:\n{text}");
    assert!(
        text.contains("pyproject.toml:7: found 1.3.5, expected 1.3.0"),
        "{text}"
    );
}
