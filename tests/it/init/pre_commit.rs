//! The `.pre-commit-config.yaml` init writes or edits, validated by the real
//! `pre-commit` (`validate-config`): a new file, and a file of the user's with
//! comments and another hook, which keeps every line it had.

use super::initialized;
use crate::support::{OutputExt, TestContext};
use std::process::Command;

fn validate(ctx: &TestContext) {
    let exe = std::env::var("PRE_COMMIT").unwrap_or_else(|_| "pre-commit".into());
    let out = ctx
        .program(&exe)
        .args(["validate-config", ".pre-commit-config.yaml"])
        .output();
    let found = Command::new(&exe)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{exe}` not found: run the tests through scripts/test.sh, or set PRE_COMMIT"
    );
    let out = out.unwrap();
    assert!(
        out.status.success(),
        "pre-commit refuses the file:\n{}\n{}",
        out.all(),
        ctx.read(".pre-commit-config.yaml")
    );
}

#[test]
fn a_new_configuration_is_valid() {
    let ctx = initialized("static-version");
    validate(&ctx);
    let text = ctx.read(".pre-commit-config.yaml");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        text.contains(&format!(
            "    rev: v{version}\n    hooks:\n      - id: cargo-pypi-check\n"
        )),
        "{text}"
    );
}

#[test]
fn the_users_configuration_keeps_every_line_and_gains_the_hook() {
    let user = "\
# Hooks for this repository.
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0  # pinned on purpose
    hooks:
    -   id: trailing-whitespace
    # -   id: end-of-file-fixer

# Run in CI too.
ci:
    autofix_prs: false
";
    let ctx = TestContext::fixture("static-version");
    std::fs::write(ctx.path().join(".pre-commit-config.yaml"), user).unwrap();
    let ctx = ctx.git_init();
    let out = ctx.run(&["init"]);
    assert!(out.status.success(), "{}", out.all());
    validate(&ctx);
    let text = ctx.read(".pre-commit-config.yaml");
    let version = env!("CARGO_PKG_VERSION");
    let entry = format!(
        "-   repo: {}\n    rev: v{version}\n    hooks:\n    -   id: cargo-pypi-check\n",
        cargo_pypi::steps::init::precommit::HOOK_REPO
    );
    let expected = user.replace(
        "    -   id: trailing-whitespace\n",
        &format!("    -   id: trailing-whitespace\n{entry}"),
    );
    assert_eq!(
        text, expected,
        "the entry goes after the last one, in the file's indentation"
    );
    let again = ctx.run(&["init"]);
    assert!(again.status.success(), "{}", again.all());
    assert_eq!(ctx.read(".pre-commit-config.yaml"), expected);
}

#[test]
fn a_flow_style_configuration_is_refused_with_the_entry_to_add() {
    let ctx = TestContext::fixture("static-version");
    std::fs::write(
        ctx.path().join(".pre-commit-config.yaml"),
        "repos: [{repo: local, hooks: []}]\n",
    )
    .unwrap();
    let ctx = ctx.git_init();
    let out = ctx.run(&["init"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    assert!(
        out.stderr()
            .contains("cannot add the `cargo-pypi-check` hook to .pre-commit-config.yaml"),
        "{}",
        out.all()
    );
    assert!(
        out.stderr().contains("add this entry by hand"),
        "{}",
        out.all()
    );
    assert!(!ctx.path().join(".github").exists(), "nothing written");
}
