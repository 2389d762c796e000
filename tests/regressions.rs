//! Regression tests, each named after what it fixes (found in review of the
//! lockstep commands): CRLF files, duplicated or overlapping sources, Cargo.lock
//! references, git failures after writing, unrelated broken manifests, paths.

mod common;

use common::{fixture, git, git_init, root, run, snapshot, stderr, stdout};
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
    let dir = fixture("workspace-inherit");
    for (rel, bytes) in snapshot(dir.path()) {
        let text = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
        std::fs::write(dir.path().join(&rel), text).unwrap();
    }
    let out = run(dir.path(), &["bump", "minor"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The same result as the LF golden files, with CRLF line ends.
    let golden = root().join("tests/golden/bump/workspace-inherit-minor");
    for (rel, bytes) in snapshot(&golden) {
        let expected = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
        assert_eq!(
            read(dir.path(), rel.to_str().unwrap()),
            expected,
            "{}",
            rel.display()
        );
    }
}

#[test]
fn a_files_search_that_repeats_a_builtin_source_is_edited_once() {
    let dir = fixture("static-version");
    let extra = "\n[tool.cargo-pypi]\nfiles = [{ path = \"python/static_version/__init__.py\", search = '__version__ = \"{version}\"' }]\n";
    std::fs::write(
        dir.path().join("pyproject.toml"),
        read(dir.path(), "pyproject.toml") + extra,
    )
    .unwrap();
    let out = run(dir.path(), &["bump", "1.10.0"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(dir.path(), "python/static_version/__init__.py")
        .contains("__version__ = \"1.10.0\"\n"));
    assert!(run(dir.path(), &["check"]).status.success());
}

#[test]
fn a_changelog_listed_in_files_gets_both_edits() {
    let dir = fixture("config-files");
    edit(
        dir.path(),
        "pyproject.toml",
        "{ path = \"README.md\"",
        "{ path = \"CHANGELOG.md\", search = \"currently {pep440}\" },\n    { path = \"README.md\"",
    );
    edit(
        dir.path(),
        "CHANGELOG.md",
        "## [Unreleased]\n",
        "## [Unreleased]\n\nThe release is currently 3.0.0.\n",
    );
    let out = run(dir.path(), &["bump", "patch"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let changelog = read(dir.path(), "CHANGELOG.md");
    assert!(changelog.contains("currently 3.0.1."), "{changelog}");
    assert!(changelog.contains("## [3.0.1] - 2026-11-21"), "{changelog}");
    assert!(
        run(dir.path(), &["check"]).status.success(),
        "{}",
        stdout(&run(dir.path(), &["check"]))
    );
}

#[test]
fn cargo_lock_references_to_a_moving_crate_move_with_it() {
    let dir = fixture("lock-thirdparty");
    // A local crate sharing its name with a locked registry crate: Cargo writes "name version".
    let lock = read(dir.path(), "Cargo.lock").replace(
        "dependencies = [\n \"itoa\",\n]",
        "dependencies = [\n \"itoa\",\n \"samever 1.0.0\",\n]",
    );
    let lock = lock + "\n[[package]]\nname = \"samever\"\nversion = \"0.9.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"0000000000000000000000000000000000000000000000000000000000000000\"\n";
    std::fs::write(dir.path().join("Cargo.lock"), lock).unwrap();
    let out = run(dir.path(), &["bump", "patch"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lock = read(dir.path(), "Cargo.lock");
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
        dir.path(),
        "Cargo.lock",
        "\"samever 1.0.1\"",
        "\"samever 1.0.0\"",
    );
    let out = run(dir.path(), &["check"]);
    assert_eq!(stdout(&out), "Cargo.lock:16: found samever 1.0.0, expected samever 1.0.1 (Cargo.lock reference in `samever`)\n");
}

#[test]
fn a_failing_commit_hook_undoes_the_bump() {
    let dir = fixture("static-version");
    git_init(dir.path());
    let hook = dir.path().join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\necho 'hook says no' >&2\nexit 1\n").unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&hook)
        .status()
        .unwrap();
    let before = snapshot(dir.path());
    let out = run(dir.path(), &["bump", "patch", "--commit"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("hook says no") && err.contains("bumped files were restored"),
        "{err}"
    );
    assert_eq!(before, snapshot(dir.path()));
    assert_eq!(git(dir.path(), &["rev-list", "--count", "HEAD"]), "1\n");
}

#[test]
fn an_ignored_cargo_lock_is_bumped_but_not_committed() {
    let dir = fixture("static-version");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(
        dir.path().join(".gitignore"),
        "Cargo.lock\n.git-test-home/\n",
    )
    .unwrap();
    git(dir.path(), &["config", "user.name", "Test"]);
    git(
        dir.path(),
        &["config", "user.email", "test@example.invalid"],
    );
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "initial"]);
    let out = run(dir.path(), &["bump", "patch", "--commit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(dir.path(), "Cargo.lock").contains("1.3.1"));
    let files = git(dir.path(), &["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        !files.contains("Cargo.lock") && files.contains("Cargo.toml"),
        "{files}"
    );
}

#[test]
fn a_missing_identity_is_refused_before_writing() {
    let dir = fixture("static-version");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    let before = snapshot(dir.path());
    let out = run(dir.path(), &["bump", "patch", "--commit", "--allow-dirty"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("user.name"), "{}", stderr(&out));
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn a_broken_manifest_elsewhere_is_skipped_with_a_warning() {
    let dir = fixture("static-version");
    std::fs::create_dir_all(dir.path().join("tests/fixtures/broken")).unwrap();
    std::fs::write(
        dir.path().join("tests/fixtures/broken/pyproject.toml"),
        "[project\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tests/fixtures/broken/Cargo.toml"),
        "[package]\nname = {{crate_name}}\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning: skipped tests/fixtures/broken/pyproject.toml: tests/fixtures/broken/pyproject.toml:1:"), "{err}");
    assert!(
        err.contains("warning: skipped tests/fixtures/broken/Cargo.toml"),
        "{err}"
    );
}

#[test]
fn manifest_path_with_dot_dot_finds_the_package() {
    let dir = fixture("static-version");
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let out = run(
        &dir.path().join("elsewhere"),
        &[
            "status",
            "--manifest-path",
            "../Cargo.toml",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"semver\": \"1.3.0\""));
}

#[test]
fn a_symlinked_version_file_is_written_through() {
    let dir = fixture("bin-bindings");
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::rename(dir.path().join("VERSION"), dir.path().join("docs/VERSION")).unwrap();
    std::os::unix::fs::symlink("docs/VERSION", dir.path().join("VERSION")).unwrap();
    let out = run(dir.path(), &["bump", "patch"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(dir.path().join("VERSION"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(dir.path(), "docs/VERSION"), "0.2.1\n");
}

#[test]
fn vendored_and_docstring_versions_are_not_sources() {
    let dir = fixture("static-version");
    std::fs::create_dir(dir.path().join("python/static_version/_vendor")).unwrap();
    std::fs::write(
        dir.path().join("python/static_version/_vendor/six.py"),
        "__version__ = \"1.16.0\"\n",
    )
    .unwrap();
    edit(
        dir.path(),
        "python/static_version/__init__.py",
        "\n",
        "\n\"\"\"Example:\n\n__version__ = \"0.0.1\"\n\"\"\"\n",
    );
    let out = run(dir.path(), &["check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn a_files_entry_that_is_not_a_table_is_an_error() {
    let dir = fixture("config-files");
    edit(
        dir.path(),
        "pyproject.toml",
        "files = [",
        "files = [\"README.md\", ",
    );
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pyproject.toml:"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("tool.cargo-pypi.files"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn maturin_src_layout_finds_rust_cargo_toml_and_src_package() {
    // `maturin new --mixed --src`: rust/Cargo.toml and src/<module>/, no manifest-path.
    let dir = fixture("bin-bindings");
    std::fs::create_dir(dir.path().join("rust")).unwrap();
    for name in ["Cargo.toml", "Cargo.lock", "src"] {
        std::fs::rename(dir.path().join(name), dir.path().join("rust").join(name)).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("src/bintool")).unwrap();
    std::fs::write(
        dir.path().join("src/bintool/__init__.py"),
        "__version__ = \"0.2.0\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["status", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
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
