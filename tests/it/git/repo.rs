//! `Repo::discover`, `dirty_files`, `is_tracked` and `is_ignored` on real
//! repositories, cross-checked with the git command line.

use super::{git, git_output, lines, paths, TestRepo};
use crate::support;
use cargo_pypi::git::{GitError, Repo};
use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn discover_outside_a_repository_is_none() {
    support::env::hermetic();
    let dir = tempfile::tempdir().unwrap();
    assert!(Repo::discover(dir.path()).unwrap().is_none());
}

#[test]
fn discover_from_a_subdirectory_finds_the_work_tree() {
    let repo = TestRepo::new();
    repo.write("crates/core/src/lib.rs", "");
    let opened = Repo::discover(&repo.path().join("crates/core"))
        .unwrap()
        .unwrap();
    let root = fs::canonicalize(repo.path()).unwrap();
    assert_eq!(fs::canonicalize(opened.workdir()).unwrap(), root);
    assert_eq!(opened.head_branch().unwrap().as_deref(), Some("main"));
}

#[test]
fn discover_refuses_a_bare_repository() {
    support::env::hermetic();
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "--bare"]);
    let err = Repo::discover(dir.path())
        .err()
        .expect("bare repos are refused");
    assert!(matches!(err, GitError::Bare(_)), "{err:?}");
    assert!(err.to_string().contains("work tree"), "{err}");
}

#[test]
fn dirty_files_lists_modified_staged_and_deleted_but_not_untracked_or_ignored() {
    let repo = TestRepo::with_files(&[
        (".gitignore", "*.log\n"),
        ("a.txt", "a\n"),
        ("b.txt", "b\n"),
        ("c.txt", "c\n"),
        ("sub/clean.txt", "clean\n"),
    ]);
    repo.write("a.txt", "a changed\n");
    repo.write("b.txt", "b staged\n");
    repo.git(&["add", "b.txt"]);
    fs::remove_file(repo.path().join("c.txt")).unwrap();
    repo.write("sub/d.txt", "new and staged\n");
    repo.git(&["add", "sub/d.txt"]);
    repo.write("untracked.txt", "?\n");
    repo.write("build.log", "ignored\n");

    let dirty = repo.open().dirty_files().unwrap();
    assert_eq!(dirty, paths(&["a.txt", "b.txt", "c.txt", "sub/d.txt"]));

    let porcelain = repo.status();
    let from_cli: Vec<PathBuf> = lines(&porcelain)
        .into_iter()
        .filter(|line| !line.starts_with("??") && !line.starts_with("!!"))
        .map(|line| PathBuf::from(&line[3..]))
        .collect();
    assert_eq!(dirty, from_cli);
}

#[test]
fn dirty_files_is_empty_on_a_clean_tree_with_untracked_files() {
    let repo = TestRepo::with_files(&[("a.txt", "a\n")]);
    repo.write("untracked.txt", "?\n");
    assert_eq!(repo.open().dirty_files().unwrap(), Vec::<PathBuf>::new());
}

#[test]
fn is_tracked_and_is_ignored_agree_with_git() {
    let repo = TestRepo::with_files(&[(".gitignore", "*.log\n"), ("a.txt", "a\n")]);
    repo.write("build.log", "ignored\n");
    repo.write("new.txt", "untracked\n");
    let opened = repo.open();
    assert!(opened.is_tracked(Path::new("a.txt")).unwrap());
    assert!(!opened.is_tracked(Path::new("new.txt")).unwrap());
    assert!(opened.is_ignored(Path::new("build.log")).unwrap());
    assert!(!opened.is_ignored(Path::new("new.txt")).unwrap());
    let check = git_output(repo.path(), &["check-ignore", "-q", "build.log"]);
    assert!(check.status.success());
}
