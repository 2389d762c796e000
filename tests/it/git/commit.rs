//! `Repo::commit_paths`: exactly the named files are committed, the index and
//! the rest of the tree stay as they were, and refusals change nothing.

use super::{git_output, lines, paths, TestRepo, EMAIL, NAME};
use cargo_pypi::git::GitError;
use std::fs;
use std::path::PathBuf;

#[test]
fn commit_paths_commits_only_the_named_files() {
    let repo = TestRepo::with_files(&[
        ("version.txt", "1.0.0\n"),
        ("other.txt", "other\n"),
        ("staged.txt", "staged\n"),
    ]);
    let before = repo.head();
    repo.write("version.txt", "1.1.0-staged\n");
    repo.git(&["add", "version.txt"]);
    repo.write("version.txt", "1.2.3\n");
    repo.write("NEW.txt", "new file\n");
    repo.write("other.txt", "other, modified\n");
    repo.write("staged.txt", "staged, changed\n");
    repo.git(&["add", "staged.txt"]);

    let named = vec![repo.path().join("version.txt"), PathBuf::from("NEW.txt")];
    let id = repo.open().commit_paths(&named, "release 1.2.3").unwrap();

    assert_eq!(id, repo.head());
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), before);
    let shown = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(lines(&shown), ["NEW.txt", "version.txt"]);
    assert_eq!(repo.git(&["show", "HEAD:version.txt"]), "1.2.3");
    assert_eq!(repo.git(&["log", "-1", "--format=%B"]), "release 1.2.3");
    let who = repo.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>"]);
    assert_eq!(who, format!("{NAME} <{EMAIL}>|{NAME} <{EMAIL}>"));
    assert_eq!(lines(&repo.status()), [" M other.txt", "M  staged.txt"]);
    assert_eq!(repo.git(&["show", ":staged.txt"]), "staged, changed");
    assert_eq!(repo.git(&["show", "HEAD:staged.txt"]), "staged");
}

#[test]
fn commit_paths_makes_the_first_commit_on_an_unborn_branch() {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", "version = \"0.1.0\"\n");
    repo.write("notes.txt", "not part of the commit\n");

    let id = repo
        .open()
        .commit_paths(&paths(&["pyproject.toml"]), "first")
        .unwrap();

    assert_eq!(id, repo.head());
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "1");
    assert_eq!(repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]), "main");
    let shown = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(lines(&shown), ["pyproject.toml"]);
    assert_eq!(lines(&repo.status()), ["?? notes.txt"]);
}

#[test]
fn commit_paths_commits_a_deleted_tracked_file() {
    let repo = TestRepo::with_files(&[("keep.txt", "keep\n"), ("gone.txt", "gone\n")]);
    fs::remove_file(repo.path().join("gone.txt")).unwrap();
    repo.write("keep.txt", "kept, changed\n");

    repo.open()
        .commit_paths(&paths(&["gone.txt"]), "drop gone.txt")
        .unwrap();

    let shown = repo.git(&["show", "--name-status", "--format=", "HEAD"]);
    assert_eq!(lines(&shown), ["D\tgone.txt"]);
    assert_eq!(lines(&repo.status()), [" M keep.txt"]);
}

#[test]
fn commit_paths_refuses_when_the_files_already_match_head() {
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n")]);
    let before = repo.head();
    let err = repo
        .open()
        .commit_paths(&paths(&["version.txt"]), "no-op")
        .unwrap_err();
    assert!(matches!(err, GitError::NothingToCommit(_)), "{err:?}");
    assert_eq!(repo.head(), before);
}

#[test]
fn commit_paths_refuses_bad_paths_and_leaves_the_index_alone() {
    let repo = TestRepo::with_files(&[
        (".gitignore", "*.log\n"),
        ("a.txt", "a\n"),
        ("b.txt", "b\n"),
    ]);
    repo.write("a.txt", "a changed\n");
    repo.write("b.txt", "b changed\n");
    repo.write("dir/inner.txt", "inner\n");
    repo.write("build.log", "ignored\n");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.txt"), "x").unwrap();
    let (before, status) = (repo.head(), repo.status());
    let opened = repo.open();

    let cases: Vec<(Vec<PathBuf>, &str)> = vec![
        (vec![outside.path().join("x.txt")], "outside the work tree"),
        (paths(&["a.txt", "../x.txt"]), "`..`"),
        (paths(&["a.txt", "missing.txt"]), "does not exist"),
        (paths(&["a.txt", "build.log"]), "ignored"),
        (paths(&["a.txt", "dir"]), "directory"),
        (paths(&[".git/config"]), "`.git`"),
        (Vec::new(), "no files given"),
    ];
    for (named, expected) in cases {
        let err = opened.commit_paths(&named, "bad").unwrap_err();
        let message = err.to_string();
        assert!(message.contains(expected), "{named:?}: {message}");
        assert!(
            message.contains(&*repo.path().to_string_lossy()),
            "{message}"
        );
    }
    assert_eq!(repo.head(), before);
    assert_eq!(repo.status(), status);
    // The refused attempts staged `a.txt` in memory only: a later commit through
    // the same handle must not write that into the index.
    opened.commit_paths(&paths(&["b.txt"]), "b").unwrap();
    assert_eq!(lines(&repo.status()), [" M a.txt", "?? dir/"]);
}

#[test]
fn commit_paths_refuses_during_a_merge_or_with_a_held_index_lock() {
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n")]);
    repo.write("version.txt", "1.1.0\n");
    let (before, named) = (repo.head(), paths(&["version.txt"]));
    let merge_head = repo.path().join(".git/MERGE_HEAD");
    fs::write(&merge_head, format!("{before}\n")).unwrap();
    let err = repo.open().commit_paths(&named, "release").unwrap_err();
    assert!(matches!(err, GitError::Busy { .. }), "{err:?}");
    assert!(err.to_string().contains("middle of a merge"), "{err}");
    fs::remove_file(merge_head).unwrap();

    let lock = repo.path().join(".git/index.lock");
    fs::write(&lock, "").unwrap();
    let err = repo.open().commit_paths(&named, "release").unwrap_err();
    assert!(matches!(err, GitError::Locked(_)), "{err:?}");
    assert!(err.to_string().contains("index.lock"), "{err}");
    fs::remove_file(lock).unwrap();
    assert_eq!(repo.head(), before);
    repo.open().commit_paths(&named, "release").unwrap();
    assert_ne!(repo.head(), before);
}

#[test]
fn commit_paths_without_an_identity_says_how_to_set_one() {
    let repo = TestRepo::without_identity();
    repo.write("a.txt", "a\n");
    let err = repo
        .open()
        .commit_paths(&paths(&["a.txt"]), "first")
        .unwrap_err();
    assert!(matches!(err, GitError::NoIdentity { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("git config user.name"), "{message}");
    assert!(message.contains("git config user.email"), "{message}");
    assert!(
        git_output(repo.path(), &["rev-parse", "HEAD"])
            .status
            .code()
            != Some(0)
    );
}

#[cfg(unix)]
#[test]
fn commit_paths_runs_installed_commit_hooks() {
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n"), ("other.txt", "o\n")]);
    let marker = repo.path().join(".git/hook-ran");
    let hook = repo.path().join(".git/hooks/pre-commit");
    repo.script(&hook, &format!("touch '{}'", marker.display()));
    repo.write("version.txt", "1.1.0\n");
    repo.write("other.txt", "o, modified\n");
    let opened = repo.open();
    assert_eq!(opened.commit_hooks().unwrap(), ["pre-commit"]);

    let id = opened
        .commit_paths(&paths(&["version.txt"]), "release")
        .unwrap();

    assert!(marker.exists(), "the pre-commit hook did not run");
    assert_eq!(id, repo.head());
    let shown = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(lines(&shown), ["version.txt"]);
    assert_eq!(lines(&repo.status()), [" M other.txt"]);
}

#[cfg(unix)]
#[test]
fn failing_pre_commit_hook_stops_the_commit() {
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n")]);
    let hook = repo.path().join(".git/hooks/pre-commit");
    repo.script(
        &hook,
        "echo 'fault injection: pre-commit hook says no' >&2; exit 1",
    );
    repo.write("version.txt", "1.1.0\n");
    repo.write("NEW.txt", "new\n");
    let (before, status) = (repo.head(), repo.status());

    let named = paths(&["version.txt", "NEW.txt"]);
    let err = repo.open().commit_paths(&named, "release").unwrap_err();

    assert!(matches!(err, GitError::Cli { .. }), "{err:?}");
    assert!(err.to_string().contains("pre-commit hook says no"), "{err}");
    assert_eq!(repo.head(), before);
    assert_eq!(
        repo.status(),
        status,
        "the failed commit left NEW.txt staged"
    );
}
