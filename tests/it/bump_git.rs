//! `bump --commit --tag` in real git repositories, checked with the git CLI.

use crate::support::{git, tree, OutputExt, TestContext};

#[test]
fn commit_and_tag_hold_exactly_the_bump() {
    let ctx = TestContext::fixture("static-version").git_init();
    let out = ctx.run(&["bump", "patch", "--tag"]);
    assert!(out.status.success(), "{}", out.stderr());
    let files = git(ctx.path(), &["show", "--name-only", "--format=%s", "HEAD"]);
    assert_eq!(files, "release 1.3.1\n\nCHANGELOG.md\nCargo.lock\nCargo.toml\npyproject.toml\npython/static_version/__init__.py\n");
    assert_eq!(git(ctx.path(), &["status", "--porcelain"]), "");
    assert_eq!(git(ctx.path(), &["cat-file", "-t", "v1.3.1"]), "tag\n");
    let message = git(ctx.path(), &["tag", "-l", "--format=%(contents)", "v1.3.1"]);
    assert!(message.starts_with("release 1.3.1\n"), "{message}");
    assert!(
        message.contains("`answer()` is now documented."),
        "tag message holds the changelog section: {message}"
    );
    assert_eq!(
        git(ctx.path(), &["rev-parse", "v1.3.1^{commit}"]),
        git(ctx.path(), &["rev-parse", "HEAD"])
    );
}

#[test]
fn tag_template_from_config() {
    let ctx = TestContext::fixture("config-files").git_init();
    let out = ctx.run(&["bump", "minor", "--tag"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(git(ctx.path(), &["tag", "-l"]), "release-3.1.0\n");
}

#[test]
fn dirty_tree_is_refused_before_anything_is_written() {
    let ctx = TestContext::fixture("static-version").git_init();
    std::fs::write(ctx.path().join("src/lib.rs"), "// edited\n").unwrap();
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch", "--commit"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr().contains("src/lib.rs"), "{}", out.stderr());
    assert_eq!(before, tree(ctx.path()));
    let out = ctx.run(&["bump", "patch", "--commit", "--allow-dirty"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(
        git(ctx.path(), &["status", "--porcelain"]),
        " M src/lib.rs\n",
        "the unrelated change stays uncommitted"
    );
}

#[test]
fn existing_tag_is_refused_before_anything_is_written() {
    let ctx = TestContext::fixture("static-version").git_init();
    git(ctx.path(), &["tag", "-a", "v1.3.1", "-m", "already here"]);
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch", "--tag"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr().contains("tag `v1.3.1` already exists"),
        "{}",
        out.stderr()
    );
    assert_eq!(before, tree(ctx.path()));
}

#[test]
fn commit_outside_a_repository_is_refused() {
    let ctx = TestContext::fixture("bin-bindings");
    let out = ctx.run(&["bump", "patch", "--commit"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr().contains("git repository"), "{}", out.stderr());
}
