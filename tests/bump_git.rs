//! `bump --commit --tag` in real git repositories, checked with the git CLI.

mod common;

use common::{fixture, git, git_init, run, snapshot, stderr};

#[test]
fn commit_and_tag_hold_exactly_the_bump() {
    let dir = fixture("static-version");
    git_init(dir.path());
    let out = run(dir.path(), &["bump", "patch", "--tag"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = git(dir.path(), &["show", "--name-only", "--format=%s", "HEAD"]);
    assert_eq!(files, "release 1.3.1\n\nCHANGELOG.md\nCargo.lock\nCargo.toml\npyproject.toml\npython/static_version/__init__.py\n");
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
    assert_eq!(git(dir.path(), &["cat-file", "-t", "v1.3.1"]), "tag\n");
    let message = git(dir.path(), &["tag", "-l", "--format=%(contents)", "v1.3.1"]);
    assert!(message.starts_with("release 1.3.1\n"), "{message}");
    assert!(
        message.contains("`answer()` is now documented."),
        "tag message holds the changelog section: {message}"
    );
    assert_eq!(
        git(dir.path(), &["rev-parse", "v1.3.1^{commit}"]),
        git(dir.path(), &["rev-parse", "HEAD"])
    );
}

#[test]
fn tag_template_from_config() {
    let dir = fixture("config-files");
    git_init(dir.path());
    let out = run(dir.path(), &["bump", "minor", "--tag"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(git(dir.path(), &["tag", "-l"]), "release-3.1.0\n");
}

#[test]
fn dirty_tree_is_refused_before_anything_is_written() {
    let dir = fixture("static-version");
    git_init(dir.path());
    std::fs::write(dir.path().join("src/lib.rs"), "// edited\n").unwrap();
    let before = snapshot(dir.path());
    let out = run(dir.path(), &["bump", "patch", "--commit"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("src/lib.rs"), "{}", stderr(&out));
    assert_eq!(before, snapshot(dir.path()));
    let out = run(dir.path(), &["bump", "patch", "--commit", "--allow-dirty"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        git(dir.path(), &["status", "--porcelain"]),
        " M src/lib.rs\n",
        "the unrelated change stays uncommitted"
    );
}

#[test]
fn existing_tag_is_refused_before_anything_is_written() {
    let dir = fixture("static-version");
    git_init(dir.path());
    git(dir.path(), &["tag", "-a", "v1.3.1", "-m", "already here"]);
    let before = snapshot(dir.path());
    let out = run(dir.path(), &["bump", "patch", "--tag"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("tag `v1.3.1` already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn commit_outside_a_repository_is_refused() {
    let dir = fixture("bin-bindings");
    let out = run(dir.path(), &["bump", "patch", "--commit"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("git repository"), "{}", stderr(&out));
}
