//! `cargo pypi init` through the binary: what it writes into a fresh
//! repository, that a second run changes nothing, `--dry-run` and `--check`,
//! and the files of the user's it edits or refuses to touch. The workflow's
//! structure is checked in `workflow`, the pre-commit file with the real
//! `pre-commit` in `pre_commit`.

mod pre_commit;
mod workflow;

use crate::support::{tree, OutputExt, TestContext};

/// A fixture copy set up with `init` (which must succeed).
pub fn initialized(fixture: &str) -> TestContext {
    let ctx = TestContext::fixture(fixture).git_init();
    let out = ctx.run(&["init"]);
    assert!(out.status.success(), "{}", out.all());
    ctx
}

#[test]
fn sets_up_a_fresh_repository_and_a_second_run_changes_nothing() {
    let ctx = TestContext::fixture("workspace-inherit").git_init();
    let before = tree(ctx.path());
    let out = ctx.run(&["init"]);
    assert!(out.status.success(), "{}", out.all());
    let after = tree(ctx.path());
    let written: Vec<_> = after
        .keys()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        written,
        [
            ".github/workflows/release.yml",
            ".gitignore",
            ".pre-commit-config.yaml",
            "pyproject.toml"
        ]
    );
    assert!(
        out.stderr().contains("Finished ws-python: 4 files written"),
        "{}",
        out.all()
    );

    let again = ctx.run(&["init"]);
    assert!(again.status.success(), "{}", again.all());
    assert_eq!(tree(ctx.path()), after, "a second run changes nothing");
    assert!(
        again
            .stderr()
            .contains("ws-python: set up already, nothing to write"),
        "{}",
        again.all()
    );
    let check = ctx.run(&["init", "--check"]);
    assert!(check.status.success(), "{}", check.all());
    // The table is comments only: every command reads the same settings.
    let status = ctx.run(&["check"]);
    assert!(status.status.success(), "{}", status.all());
}

#[test]
fn the_table_holds_what_was_found_as_comments() {
    let ctx = initialized("workspace-inherit");
    let text = ctx.read("pyproject.toml");
    let table = &text[text.find("[tool.cargo-pypi]").unwrap()..];
    let (main, release) = table.split_once("\n\n[tool.cargo-pypi.release]\n").unwrap();
    for line in main.lines().skip(1) {
        assert!(line.starts_with('#'), "only comments: {line}");
    }
    // The one setting: the workflow publishes the tag, so the release does not.
    let set: Vec<&str> = release.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(set, ["publish = false"], "{release}");
    assert!(
        table.contains("# crates = [\"ws-python\", "),
        "the built crate first: {table}"
    );
    assert!(table.contains("# changelog = \"CHANGELOG.md\""), "{table}");
    assert!(table.contains("# tag-name = \"v{version}\""), "{table}");
}

#[test]
fn an_existing_table_and_ignore_rules_are_left_alone() {
    let ctx = TestContext::fixture("static-version");
    let py = ctx.read("pyproject.toml") + "\n[tool.cargo-pypi]\ntag-name = \"release-{version}\"\n";
    std::fs::write(ctx.path().join("pyproject.toml"), &py).unwrap();
    std::fs::write(ctx.path().join(".gitignore"), "/target\n.env*\n").unwrap();
    let ctx = ctx.git_init();
    let out = ctx.run(&["init"]);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(ctx.read("pyproject.toml"), py);
    assert_eq!(ctx.read(".gitignore"), "/target\n.env*\n");
    let workflow = ctx.read(".github/workflows/release.yml");
    assert!(
        workflow.contains("      - 'release-*'\n"),
        "the tag filter follows tag-name"
    );
}

#[test]
fn only_the_missing_ignore_entry_is_added() {
    let ctx = TestContext::fixture("static-version");
    std::fs::write(ctx.path().join(".gitignore"), "/target\n.env").unwrap();
    let ctx = ctx.git_init();
    let out = ctx.run(&["init"]);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(
        ctx.read(".gitignore"),
        "/target\n.env\n\n# Tokens for `cargo pypi publish` (added by `cargo pypi init`)\n.env.local\n"
    );
}

#[test]
fn dry_run_shows_every_change_and_writes_nothing() {
    let ctx = TestContext::fixture("bin-bindings").git_init();
    let before = tree(ctx.path());
    let out = ctx.run(&["init", "--dry-run"]);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(tree(ctx.path()), before);
    let diff = out.stdout();
    for file in [
        "pyproject.toml",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/release.yml",
    ] {
        assert!(diff.contains(&format!("+++ b/{file}\n")), "{file}: {diff}");
    }
    assert!(out
        .stderr()
        .contains("Would write bintool: 4 files (dry run, nothing written)"));
}

#[test]
fn check_names_each_file_that_drifted() {
    let ctx = TestContext::fixture("static-version").git_init();
    let out = ctx.run(&["init", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    assert_eq!(
        out.stdout(),
        ".gitignore: does not exist\n.pre-commit-config.yaml: does not exist\n.github/workflows/release.yml: does not exist\n"
    );

    let ctx = initialized("static-version");
    ctx.edit(
        ".github/workflows/release.yml",
        "--yes",
        "--yes --verify-install",
    );
    ctx.edit(".gitignore", ".env.local\n", "");
    ctx.edit(
        ".pre-commit-config.yaml",
        "id: cargo-pypi-check",
        "id: something-else",
    );
    ctx.edit("pyproject.toml", "[tool.cargo-pypi]", "[tool.other]");
    let out = ctx.run(&["init", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        out.stdout(),
        format!(".gitignore: does not ignore .env.local\n.pre-commit-config.yaml: has no `cargo-pypi-check` hook\n.github/workflows/release.yml: differs from what cargo-pypi {version} writes (`cargo pypi init --dry-run` shows how)\n"),
        "the [tool.cargo-pypi] table is the user's: not checked"
    );
    assert!(out
        .stderr()
        .contains("error: 3 file(s) differ from what `cargo pypi init` writes"));
}

#[test]
fn a_workflow_of_the_users_is_never_overwritten() {
    let ctx = TestContext::fixture("static-version");
    let dir = ctx.path().join(".github/workflows");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("release.yml"), "name: Mine\n").unwrap();
    let ctx = ctx.git_init();
    let before = tree(ctx.path());
    let out = ctx.run(&["init"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    assert!(
        out.stderr().contains(
            ".github/workflows/release.yml exists and was not written by `cargo pypi init`"
        ),
        "{}",
        out.all()
    );
    assert_eq!(tree(ctx.path()), before, "nothing written");
}

#[test]
fn an_older_generated_workflow_is_rewritten() {
    let ctx = initialized("static-version");
    ctx.edit(
        ".github/workflows/release.yml",
        "actions/checkout@v6.0.2",
        "actions/checkout@v4.2.2",
    );
    let out = ctx.run(&["init"]);
    assert!(out.status.success(), "{}", out.all());
    assert!(
        out.stderr()
            .contains("Updated .github/workflows/release.yml"),
        "{}",
        out.all()
    );
    assert!(!ctx
        .read(".github/workflows/release.yml")
        .contains("@v4.2.2"));
}
