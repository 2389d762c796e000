//! The shipped `.pre-commit-hooks.yaml`, run by the real `pre-commit` tool
//! (`pre-commit try-repo` builds this repository with `cargo install`, as users'
//! machines do) in a test repository: it passes when versions agree and blocks
//! a commit that makes them disagree.

use crate::support::{self, git, OutputExt, TestContext};
use std::process::{Command, Output};

pub fn pre_commit() -> String {
    let exe = std::env::var("PRE_COMMIT").unwrap_or_else(|_| "pre-commit".into());
    let found = Command::new(&exe)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "`{exe}` not found: run the tests through scripts/test.sh, which installs pre-commit into a venv, or set PRE_COMMIT");
    exe
}

/// Runs the hook `id` of this repository's `.pre-commit-hooks.yaml` (working
/// tree included) on every file of the test repository.
pub fn try_repo(ctx: &TestContext, exe: &str, id: &str) -> Output {
    let repo = support::root();
    // Build the hook into a shared target folder so repeated runs stay incremental.
    let target = repo.join("target/pre-commit-hook");
    ctx.program(exe)
        .args(["try-repo", repo.to_str().unwrap(), id, "--all-files"])
        .env("CARGO_TARGET_DIR", target)
        .env("PRE_COMMIT_HOME", repo.join("target/pre-commit-home"))
        .output()
        .expect("run pre-commit")
}

#[test]
fn hook_passes_in_lockstep_and_fails_on_drift() {
    let exe = pre_commit();
    let ctx = TestContext::fixture("static-version").git_init();
    let out = try_repo(&ctx, &exe, "cargo-pypi-check");
    let text = out.all();
    assert!(out.status.success(), "hook should pass:\n{text}");
    assert!(text.contains("cargo pypi check"), "{text}");

    let py = ctx.path().join("pyproject.toml");
    std::fs::write(
        &py,
        std::fs::read_to_string(&py)
            .unwrap()
            .replace("version = \"1.3.0\"", "version = \"1.3.5\""),
    )
    .unwrap();
    git(ctx.path(), &["add", "-A"]);
    let out = try_repo(&ctx, &exe, "cargo-pypi-check");
    let text = out.all();
    assert!(!out.status.success(), "hook should fail:\n{text}");
    assert!(
        text.contains("pyproject.toml:7: found 1.3.5, expected 1.3.0"),
        "{text}"
    );
}
