//! Regression tests, each named after what it fixes (found in review of the
//! lockstep commands): CRLF files, duplicated or overlapping sources, Cargo.lock
//! references, git failures after writing, unrelated broken manifests, paths.

use crate::support::{git, root, tree, OutputExt, TestContext};
use std::path::Path;

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let text = read(dir, rel);
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(dir.join(rel), text.replacen(from, to, 1)).unwrap();
}

#[test]
fn crlf_files_keep_crlf_after_a_bump() {
    let ctx = TestContext::fixture("workspace-inherit");
    for (rel, bytes) in tree(ctx.path()) {
        let text = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
        std::fs::write(ctx.path().join(&rel), text).unwrap();
    }
    let out = ctx.run(&["bump", "minor"]);
    assert!(out.status.success(), "{}", out.stderr());
    // The same result as the LF golden files, with CRLF line ends.
    let golden = root().join("tests/golden/bump/workspace-inherit-minor");
    for (rel, bytes) in tree(&golden) {
        let expected = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
        assert_eq!(
            read(ctx.path(), rel.to_str().unwrap()),
            expected,
            "{}",
            rel.display()
        );
    }
}

#[test]
fn a_files_search_that_repeats_a_builtin_source_is_edited_once() {
    let ctx = TestContext::fixture("static-version");
    let extra = "\n[tool.cargo-pypi]\nfiles = [{ path = \"python/static_version/__init__.py\", search = '__version__ = \"{version}\"' }]\n";
    std::fs::write(
        ctx.path().join("pyproject.toml"),
        read(ctx.path(), "pyproject.toml") + extra,
    )
    .unwrap();
    let out = ctx.run(&["bump", "1.10.0"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(read(ctx.path(), "python/static_version/__init__.py")
        .contains("__version__ = \"1.10.0\"\n"));
    assert!(ctx.run(&["check"]).status.success());
}

#[test]
fn a_changelog_listed_in_files_gets_both_edits() {
    let ctx = TestContext::fixture("config-files");
    edit(
        ctx.path(),
        "pyproject.toml",
        "{ path = \"README.md\"",
        "{ path = \"CHANGELOG.md\", search = \"currently {pep440}\" },\n    { path = \"README.md\"",
    );
    edit(
        ctx.path(),
        "CHANGELOG.md",
        "## [Unreleased]\n",
        "## [Unreleased]\n\nThe release is currently 3.0.0.\n",
    );
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    let changelog = read(ctx.path(), "CHANGELOG.md");
    assert!(changelog.contains("currently 3.0.1."), "{changelog}");
    assert!(changelog.contains("## [3.0.1] - 2026-11-21"), "{changelog}");
    assert!(
        ctx.run(&["check"]).status.success(),
        "{}",
        ctx.run(&["check"]).stdout()
    );
}

#[test]
fn cargo_lock_references_to_a_moving_crate_move_with_it() {
    let ctx = TestContext::fixture("lock-thirdparty");
    // A local crate sharing its name with a locked registry crate: Cargo writes "name version".
    let lock = read(ctx.path(), "Cargo.lock").replace(
        "dependencies = [\n \"itoa\",\n]",
        "dependencies = [\n \"itoa\",\n \"samever 1.0.0\",\n]",
    );
    let lock = lock + "\n[[package]]\nname = \"samever\"\nversion = \"0.9.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"0000000000000000000000000000000000000000000000000000000000000000\"\n";
    std::fs::write(ctx.path().join("Cargo.lock"), lock).unwrap();
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    let lock = read(ctx.path(), "Cargo.lock");
    assert!(lock.contains(" \"samever 1.0.1\",\n"), "{lock}");
    assert!(
        lock.contains("name = \"samever\"\nversion = \"0.9.0\""),
        "registry entry untouched: {lock}"
    );
    assert!(
        lock.contains("name = \"itoa\"\nversion = \"1.0.0\""),
        "{lock}"
    );
    edit(
        ctx.path(),
        "Cargo.lock",
        "\"samever 1.0.1\"",
        "\"samever 1.0.0\"",
    );
    let out = ctx.run(&["check"]);
    assert!(out.stderr().contains("warning: Cargo.lock:16: found samever 1.0.0, expected samever 1.0.1 (Cargo.lock reference in `samever`)"), "{}", out.stderr());
}

#[test]
fn a_failing_commit_hook_undoes_the_bump() {
    let ctx = TestContext::fixture("static-version").git_init();
    let hook = ctx.path().join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\necho 'hook says no' >&2\nexit 1\n").unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&hook)
        .status()
        .unwrap();
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch", "--commit"]);
    assert_eq!(out.status.code(), Some(1));
    let err = out.stderr();
    assert!(
        err.contains("hook says no") && err.contains("bumped files were restored"),
        "{err}"
    );
    assert_eq!(before, tree(ctx.path()));
    assert_eq!(git(ctx.path(), &["rev-list", "--count", "HEAD"]), "1\n");
}

#[test]
fn an_ignored_cargo_lock_is_bumped_but_not_committed() {
    let ctx = TestContext::fixture("static-version");
    git(ctx.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(ctx.path().join(".gitignore"), "Cargo.lock\n").unwrap();
    git(ctx.path(), &["config", "user.name", "Test"]);
    git(
        ctx.path(),
        &["config", "user.email", "test@example.invalid"],
    );
    git(ctx.path(), &["add", "-A"]);
    git(ctx.path(), &["commit", "-q", "-m", "initial"]);
    let out = ctx.run(&["bump", "patch", "--commit"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(read(ctx.path(), "Cargo.lock").contains("1.3.1"));
    let files = git(ctx.path(), &["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        !files.contains("Cargo.lock") && files.contains("Cargo.toml"),
        "{files}"
    );
}

#[test]
fn a_missing_identity_is_refused_before_writing() {
    let ctx = TestContext::fixture("static-version");
    git(ctx.path(), &["init", "-q", "-b", "main"]);
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch", "--commit", "--allow-dirty"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr().contains("user.name"), "{}", out.stderr());
    assert_eq!(before, tree(ctx.path()));
}

#[test]
fn a_broken_manifest_elsewhere_is_skipped_with_a_warning() {
    let ctx = TestContext::fixture("static-version");
    std::fs::create_dir_all(ctx.path().join("tests/fixtures/broken")).unwrap();
    std::fs::write(
        ctx.path().join("tests/fixtures/broken/pyproject.toml"),
        "[project\n",
    )
    .unwrap();
    std::fs::write(
        ctx.path().join("tests/fixtures/broken/Cargo.toml"),
        "[package]\nname = {{crate_name}}\n",
    )
    .unwrap();
    // The package at the root is the one worked on: its test fixtures are
    // named with -v only, not warned about on every check.
    let out = ctx.run(&["check"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(!out.stderr().contains("skipped"), "{}", out.stderr());
    let out = ctx.run(&["check", "-v"]);
    assert!(out.status.success(), "{}", out.stderr());
    let err = out.stderr();
    assert!(
        err.contains(
            "skipped tests/fixtures/broken/pyproject.toml: tests/fixtures/broken/pyproject.toml:1:"
        ),
        "{err}"
    );
    assert!(
        err.contains("skipped tests/fixtures/broken/Cargo.toml"),
        "{err}"
    );
    // Chosen by name, the broken one might have been the one meant: a warning.
    let out = ctx.run(&["check", "-p", "static-version"]);
    assert!(
        out.stderr()
            .contains("warning: skipped tests/fixtures/broken/pyproject.toml"),
        "{}",
        out.stderr()
    );
    // With no other package to work on, the error names the broken one.
    let out = ctx
        .command(&["check"])
        .current_dir(ctx.path().join("tests/fixtures"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr());
    assert!(
        out.stderr()
            .contains("broken/pyproject.toml cannot be read: "),
        "{}",
        out.stderr()
    );
}

#[test]
fn manifest_path_with_dot_dot_finds_the_package() {
    let ctx = TestContext::fixture("static-version");
    std::fs::create_dir(ctx.path().join("elsewhere")).unwrap();
    let out = ctx
        .command(&[
            "status",
            "--manifest-path",
            "../Cargo.toml",
            "--format",
            "json",
        ])
        .current_dir(ctx.path().join("elsewhere"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out.stdout().contains("\"semver\": \"1.3.0\""));
}

#[test]
fn a_symlinked_version_file_is_written_through() {
    let ctx = TestContext::fixture("bin-bindings");
    std::fs::create_dir(ctx.path().join("docs")).unwrap();
    std::fs::rename(ctx.path().join("VERSION"), ctx.path().join("docs/VERSION")).unwrap();
    std::os::unix::fs::symlink("docs/VERSION", ctx.path().join("VERSION")).unwrap();
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(std::fs::symlink_metadata(ctx.path().join("VERSION"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(ctx.path(), "docs/VERSION"), "0.2.1\n");
}

#[test]
fn vendored_and_docstring_versions_are_not_sources() {
    let ctx = TestContext::fixture("static-version");
    std::fs::create_dir(ctx.path().join("python/static_version/_vendor")).unwrap();
    std::fs::write(
        ctx.path().join("python/static_version/_vendor/six.py"),
        "__version__ = \"1.16.0\"\n",
    )
    .unwrap();
    edit(
        ctx.path(),
        "python/static_version/__init__.py",
        "\n",
        "\n\"\"\"Example:\n\n__version__ = \"0.0.1\"\n\"\"\"\n",
    );
    let out = ctx.run(&["check"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
}

#[test]
fn a_files_entry_that_is_not_a_table_is_an_error() {
    let ctx = TestContext::fixture("config-files");
    edit(
        ctx.path(),
        "pyproject.toml",
        "files = [",
        "files = [\"README.md\", ",
    );
    let out = ctx.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stderr().contains("pyproject.toml:"), "{}", out.stderr());
    assert!(
        out.stderr().contains("tool.cargo-pypi.files"),
        "{}",
        out.stderr()
    );
}

#[test]
fn maturin_src_layout_finds_rust_cargo_toml_and_src_package() {
    // `maturin new --mixed --src`: rust/Cargo.toml and src/<module>/, no manifest-path.
    let ctx = TestContext::fixture("bin-bindings");
    std::fs::create_dir(ctx.path().join("rust")).unwrap();
    for name in ["Cargo.toml", "Cargo.lock", "src"] {
        std::fs::rename(ctx.path().join(name), ctx.path().join("rust").join(name)).unwrap();
    }
    std::fs::create_dir_all(ctx.path().join("src/bintool")).unwrap();
    std::fs::write(
        ctx.path().join("src/bintool/__init__.py"),
        "__version__ = \"0.2.0\"\n",
    )
    .unwrap();
    let out = ctx.run(&["status", "--format", "json"]);
    assert!(out.status.success(), "{}", out.stderr());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let places: Vec<String> = json["packages"][0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{}:{}", s["file"].as_str().unwrap(), s["line"]))
        .collect();
    assert_eq!(
        places,
        [
            "rust/Cargo.toml:3",
            "rust/Cargo.lock:7",
            "src/bintool/__init__.py:1",
            "VERSION:1"
        ]
    );
}
