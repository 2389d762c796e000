//! Discovery that respects the repository: what git ignores, nested
//! repositories and submodules are not version sources; a crate that moves
//! must be readable; nothing outside the repository is a source.

use crate::support::{git, tree, OutputExt, TestContext};
use std::path::Path;

/// An old copy of the package (as `pip install .` or an unpacked sdist leaves
/// one) at `rel`, its versions at 0.9.0 where the project is at 1.3.0.
fn stale_copy(dir: &Path, rel: &str) {
    let copy = dir.join(rel);
    std::fs::create_dir_all(&copy).unwrap();
    for file in ["Cargo.toml", "pyproject.toml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        std::fs::write(copy.join(file), text.replace("1.3.0", "0.9.0")).unwrap();
    }
}

/// `check` passes and `bump patch` leaves everything under `rel` alone.
fn assert_not_a_source(ctx: &TestContext, rel: &str) {
    let out = ctx.run(&["check"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    let status = ctx.run(&["status"]);
    assert!(!status.stdout().contains(rel), "{}", status.stdout());
    let before = tree(&ctx.path().join(rel));
    let out = ctx.run(&["bump", "patch", "--force", "--allow-dirty"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(before, tree(&ctx.path().join(rel)), "{rel} was edited");
    let status = ctx.run(&["status", "--format", "json"]);
    assert!(status.stdout().contains("\"semver\": \"1.3.1\""));
}

#[test]
fn a_gitignored_build_copy_is_not_a_source() {
    let ctx = TestContext::fixture("static-version");
    std::fs::write(ctx.path().join(".gitignore"), "/build/\n").unwrap();
    let ctx = ctx.git_init();
    stale_copy(ctx.path(), "build/lib");
    assert_not_a_source(&ctx, "build/lib");
}

#[test]
fn a_folder_in_git_info_exclude_is_not_a_source() {
    let ctx = TestContext::fixture("static-version").git_init();
    std::fs::write(ctx.path().join(".git/info/exclude"), "vendor/\n").unwrap();
    stale_copy(ctx.path(), "vendor/old");
    assert_not_a_source(&ctx, "vendor/old");
}

#[test]
fn a_folder_in_the_global_excludes_is_not_a_source() {
    let ctx = TestContext::fixture("static-version").git_init();
    let global = ctx.home().join(".config/git");
    std::fs::create_dir_all(&global).unwrap();
    std::fs::write(global.join("ignore"), "scratch/\n").unwrap();
    stale_copy(ctx.path(), "scratch/unpacked");
    assert_not_a_source(&ctx, "scratch/unpacked");
}

#[test]
fn a_nested_repository_is_not_searched() {
    let ctx = TestContext::fixture("static-version").git_init();
    stale_copy(ctx.path(), "checkouts/upstream");
    git(&ctx.path().join("checkouts/upstream"), &["init", "-q"]);
    assert_not_a_source(&ctx, "checkouts/upstream");
}

#[test]
fn a_submodule_is_not_searched() {
    let ctx = TestContext::fixture("static-version").git_init();
    let upstream = tempfile::tempdir().unwrap();
    for file in ["Cargo.toml", "pyproject.toml"] {
        std::fs::copy(ctx.path().join(file), upstream.path().join(file)).unwrap();
    }
    stale_copy(upstream.path(), "lib");
    crate::support::git_init(&upstream.path().join("lib"));
    let url = upstream.path().join("lib");
    git(
        ctx.path(),
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            url.to_str().unwrap(),
            "third_party/lib",
        ],
    );
    git(ctx.path(), &["commit", "-q", "-m", "submodule"]);
    assert!(ctx.path().join("third_party/lib/.git").is_file());
    assert_not_a_source(&ctx, "third_party/lib");
}

#[test]
fn an_ignored_lock_file_beside_a_source_still_moves() {
    // A library's Cargo.lock is often ignored; cargo still reads it here.
    let ctx = TestContext::fixture("static-version");
    std::fs::write(ctx.path().join(".gitignore"), "Cargo.lock\n").unwrap();
    let ctx = ctx.git_init();
    let out = ctx.run(&["status"]);
    assert!(out.stdout().contains("Cargo.lock"), "{}", out.stdout());
}

#[test]
fn a_moving_member_that_cannot_be_read_is_an_error() {
    let ctx = TestContext::fixture("workspace-inherit").git_init();
    let member = ctx.path().join("crates/ws-cli/Cargo.toml");
    let text = std::fs::read_to_string(&member).unwrap();
    std::fs::write(&member, text.replacen("[package]", "[package\n", 1)).unwrap();
    let out = ctx.run(&["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr());
    assert!(
        out.stderr().contains("crates/ws-cli/Cargo.toml:1"),
        "{}",
        out.stderr()
    );
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch", "--allow-dirty", "--commit"]);
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr());
    assert!(out.stderr().contains("crates/ws-cli/Cargo.toml"));
    assert_eq!(before, tree(ctx.path()));
}

fn with_files_entry(ctx: &TestContext, entry: &str) {
    let path = ctx.path().join("pyproject.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let config = format!(
        "\n[tool.cargo-pypi]\nfiles = [{{ path = {entry:?}, search = \"v{{version}}\" }}]\n"
    );
    std::fs::write(&path, text + &config).unwrap();
}

/// `bump` and `check` refuse with exit 2 naming `shown`; nothing is written.
fn assert_refused_outside(ctx: &TestContext, shown: &str) {
    let before = tree(ctx.path());
    for args in [&["check"][..], &["bump", "patch"]] {
        let out = ctx.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", out.stderr());
        let err = out.stderr();
        assert!(err.contains(shown), "{args:?}: {err}");
        assert!(err.contains("outside the repository"), "{args:?}: {err}");
    }
    assert_eq!(before, tree(ctx.path()));
}

#[test]
fn a_files_entry_outside_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("VERSION"), "v1.3.0\n").unwrap();
    let ctx = TestContext::fixture("static-version").git_root();
    let dotdot = format!(
        "../{}/VERSION",
        outside.path().strip_prefix("/").unwrap().display()
    );
    let dotdot = "../".repeat(ctx.path().components().count()) + &dotdot;
    with_files_entry(&ctx, &dotdot);
    assert_refused_outside(&ctx, &dotdot);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("VERSION")).unwrap(),
        "v1.3.0\n"
    );

    let ctx = TestContext::fixture("static-version").git_root();
    let absolute = outside.path().join("VERSION");
    with_files_entry(&ctx, absolute.to_str().unwrap());
    assert_refused_outside(&ctx, absolute.to_str().unwrap());
}

#[test]
fn a_version_file_linked_outside_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("VERSION"), "v1.3.0\n").unwrap();
    let ctx = TestContext::fixture("static-version").git_root();
    std::os::unix::fs::symlink(
        outside.path().join("VERSION"),
        ctx.path().join("version.txt"),
    )
    .unwrap();
    with_files_entry(&ctx, "version.txt");
    assert_refused_outside(&ctx, "version.txt");
    assert_eq!(
        std::fs::read_to_string(outside.path().join("VERSION")).unwrap(),
        "v1.3.0\n"
    );
}

#[test]
fn a_builtin_source_linked_outside_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let ctx = TestContext::fixture("static-version").git_root();
    let init = ctx.path().join("python/static_version/__init__.py");
    std::fs::rename(&init, outside.path().join("__init__.py")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("__init__.py"), &init).unwrap();
    assert_refused_outside(&ctx, "python/static_version/__init__.py");
}
