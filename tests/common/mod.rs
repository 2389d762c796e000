//! Shared test helpers: fixture copies in temporary folders, running the real
//! binary, real git repositories, and golden-file comparison.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixed date for changelog headings: 2026-11-21.
pub const EPOCH: &str = "1795219200";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `fixtures/<name>` in a fresh temporary folder (not inside any git repo).
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("fixtures").join(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` (relative path -> bytes), skipping `.git`.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    collect(dir, dir, &mut out);
    out
}

fn collect(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".git" || entry.file_name() == ".git-test-home" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            collect(base, &entry.path(), out);
        } else {
            let rel = entry.path().strip_prefix(base).unwrap().to_path_buf();
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
}

/// Runs `cargo-pypi pypi <args>` in `dir` with a fixed date and no colour.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-pypi"))
        .arg("pypi")
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        // Keep the machine's own git configuration (signing, identity) out of the tests.
        .env("HOME", isolated_home(dir))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("run cargo-pypi")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn isolated_home(dir: &Path) -> PathBuf {
    let home = dir.join(".git-test-home");
    std::fs::create_dir_all(&home).unwrap();
    home
}

/// Runs git with an isolated configuration (no global or system config).
pub fn git(dir: &Path, args: &[&str]) -> String {
    let home = isolated_home(dir);
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Makes `dir` a git repository with everything committed.
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.name", "Test"]);
    git(dir, &["config", "user.email", "test@example.invalid"]);
    std::fs::write(dir.join(".gitignore"), ".git-test-home/\n").unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "initial"]);
}

/// Compares `actual` with the golden file, or writes it when `UPDATE_GOLDEN=1`.
pub fn assert_golden(golden: &Path, actual: &[u8]) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(golden, actual).unwrap();
        return;
    }
    let expected = std::fs::read(golden).unwrap_or_else(|_| {
        panic!(
            "missing golden file {} (UPDATE_GOLDEN=1 writes it)",
            golden.display()
        )
    });
    if expected != actual {
        let diff = cargo_pypi::ops::diff::unified(
            &golden.display().to_string(),
            &String::from_utf8_lossy(&expected),
            &String::from_utf8_lossy(actual),
        );
        panic!("{} differs from its golden file:\n{diff}", golden.display());
    }
}
