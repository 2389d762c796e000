//! Tests for `cargo_pypi::git` on real repositories in temporary directories,
//! cross-checked with the `git` command line.
//!
//! The process environment is made hermetic once, before any git call: `HOME`,
//! `XDG_CONFIG_HOME` and `GIT_CONFIG_GLOBAL` point into a temporary directory,
//! `GIT_CONFIG_NOSYSTEM=1`, and identity overrides are removed, so neither
//! libgit2 nor the `git` processes the library spawns see the machine's config.
//! Identities are set per repository through its own config.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use cargo_pypi::git::{GitError, Repo};
use tempfile::TempDir;

const NAME: &str = "Test Release";
const EMAIL: &str = "release@cargo-pypi.invalid";
/// Set by `gpgsign_in_the_global_config_is_honoured` for the child test process.
const GLOBAL_OVERRIDE: &str = "CARGO_PYPI_TEST_GLOBAL_CONFIG";

/// The hermetic home directory, set up (with the environment) on first use.
fn home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let home = tempfile::tempdir().expect("temp home").keep();
        let global = match env::var_os(GLOBAL_OVERRIDE) {
            Some(path) => PathBuf::from(path),
            None => home.join("gitconfig"),
        };
        if !global.exists() {
            fs::write(&global, "").expect("empty global config");
        }
        env::set_var("HOME", &home);
        env::set_var("XDG_CONFIG_HOME", &home);
        env::set_var("GIT_CONFIG_GLOBAL", &global);
        env::set_var("GIT_CONFIG_NOSYSTEM", "1");
        env::set_var("GIT_CEILING_DIRECTORIES", env::temp_dir());
        for var in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_CONFIG_PARAMETERS",
            "GIT_CONFIG_COUNT",
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_AUTHOR_DATE",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
            "GIT_COMMITTER_DATE",
            "EMAIL",
        ] {
            env::remove_var(var);
        }
        home
    })
}

/// `git <args>` in `dir` with the hermetic config spelled out explicitly.
fn git_output(dir: &Path, args: &[&str]) -> Output {
    let home = home();
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env(
            "GIT_CONFIG_GLOBAL",
            env::var_os("GIT_CONFIG_GLOBAL").unwrap(),
        )
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git")
}

/// `git <args>` in `dir`, which must succeed; its trimmed stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_output(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "git {args:?} failed: {stderr}");
    String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
}

/// A fresh repository on branch `main`, with an identity in its own config.
struct TestRepo {
    dir: TempDir,
}

impl TestRepo {
    fn new() -> TestRepo {
        let repo = TestRepo::without_identity();
        repo.git(&["config", "user.name", NAME]);
        repo.git(&["config", "user.email", EMAIL]);
        repo
    }

    fn without_identity() -> TestRepo {
        home();
        let dir = tempfile::tempdir().expect("temp repo");
        git(dir.path(), &["init", "-q", "-b", "main"]);
        TestRepo { dir }
    }

    /// A repository with `files` committed as its first commit.
    fn with_files(files: &[(&str, &str)]) -> TestRepo {
        let repo = TestRepo::new();
        for (name, contents) in files {
            repo.write(name, contents);
        }
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "--no-gpg-sign", "-m", "initial"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }

    fn write(&self, name: &str, contents: &str) {
        let path = self.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn open(&self) -> Repo {
        Repo::discover(self.path()).unwrap().expect("a repository")
    }

    fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    fn status(&self) -> String {
        self.git(&["status", "--porcelain"])
    }

    /// Installs an executable script; returns its path.
    #[cfg(unix)]
    fn script(&self, path: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
        path.to_path_buf()
    }
}

fn paths(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(PathBuf::from).collect()
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn discover_outside_a_repository_is_none() {
    home();
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
    home();
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

#[test]
fn annotated_tag_creates_an_annotated_tag_on_head() {
    let repo = TestRepo::with_files(&[("a.txt", "a\n")]);
    let opened = repo.open();
    assert!(!opened.tag_exists("v1.2.3").unwrap());

    opened.annotated_tag("v1.2.3", "Release 1.2.3").unwrap();

    assert!(opened.tag_exists("v1.2.3").unwrap());
    assert_eq!(repo.git(&["cat-file", "-t", "v1.2.3"]), "tag");
    assert_eq!(repo.git(&["rev-parse", "v1.2.3^{commit}"]), repo.head());
    let object = repo.git(&["cat-file", "-p", "v1.2.3"]);
    assert!(
        object.contains(&format!("tagger {NAME} <{EMAIL}>")),
        "{object}"
    );
    assert!(object.ends_with("\n\nRelease 1.2.3"), "{object}");
}

#[test]
fn annotated_tag_refuses_an_existing_tag() {
    let repo = TestRepo::with_files(&[("a.txt", "a\n")]);
    repo.git(&["tag", "v1.0.0"]);
    let err = repo.open().annotated_tag("v1.0.0", "again").unwrap_err();
    assert!(
        matches!(err, GitError::TagExists(ref t) if t == "v1.0.0"),
        "{err:?}"
    );
    assert!(err.to_string().contains("`v1.0.0` already exists"), "{err}");
    assert_eq!(repo.git(&["cat-file", "-t", "v1.0.0"]), "commit");
}

#[test]
fn annotated_tag_refuses_bad_names_and_an_unborn_head() {
    let repo = TestRepo::new();
    let opened = repo.open();
    for bad in ["has space", "a..b", "-leading", "x.lock", ""] {
        let err = opened.annotated_tag(bad, "m").unwrap_err();
        assert!(
            matches!(err, GitError::InvalidTagName(_)),
            "{bad:?}: {err:?}"
        );
    }
    let err = opened.annotated_tag("v0.1.0", "m").unwrap_err();
    assert!(matches!(err, GitError::NoHead(_)), "{err:?}");
    assert!(err.to_string().contains("no commits yet"), "{err}");
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

/// Fault injection: a `gpg.program` that always fails, so signing must fail.
#[cfg(unix)]
fn install_failing_gpg(repo: &TestRepo) -> PathBuf {
    let fake = repo.path().join(".git/fault-injection-gpg");
    repo.script(
        &fake,
        "echo 'fault injection: fake gpg refuses to sign' >&2; exit 1",
    )
}

#[cfg(unix)]
#[test]
fn signing_failure_reports_gits_stderr_and_commits_nothing() {
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n"), ("other.txt", "o\n")]);
    let fake = install_failing_gpg(&repo);
    repo.git(&["config", "commit.gpgSign", "true"]);
    repo.git(&["config", "gpg.program", &fake.to_string_lossy()]);
    repo.write("version.txt", "1.1.0\n");
    repo.write("NEW.txt", "new\n");
    repo.write("other.txt", "o, modified\n");
    let (before, status) = (repo.head(), repo.status());

    let named = paths(&["version.txt", "NEW.txt"]);
    let err = repo.open().commit_paths(&named, "release").unwrap_err();

    let GitError::Cli { ref stderr, .. } = err else {
        panic!("expected a CLI error, got {err:?}");
    };
    assert!(stderr.contains("gpg failed to sign"), "{stderr}");
    assert!(
        err.to_string().contains("fake gpg refuses to sign"),
        "{err}"
    );
    assert_eq!(repo.head(), before);
    assert_eq!(repo.status(), status);
}

#[cfg(unix)]
#[test]
fn tag_signing_failure_creates_no_tag() {
    let repo = TestRepo::with_files(&[("a.txt", "a\n")]);
    let fake = install_failing_gpg(&repo);
    repo.git(&["config", "tag.gpgSign", "true"]);
    repo.git(&["config", "gpg.program", &fake.to_string_lossy()]);
    let opened = repo.open();

    let err = opened.annotated_tag("v1.0.0", "Release 1.0.0").unwrap_err();

    assert!(matches!(err, GitError::Cli { .. }), "{err:?}");
    assert!(
        err.to_string().contains("fake gpg refuses to sign"),
        "{err}"
    );
    assert!(!opened.tag_exists("v1.0.0").unwrap());
    assert_eq!(repo.git(&["tag", "--list"]), "");
}

/// `commit.gpgSign`/`tag.gpgSign` set only in the file `GIT_CONFIG_GLOBAL` names
/// must be seen. The global config is process-wide, so the check runs in a child
/// test process with its own `GIT_CONFIG_GLOBAL`.
#[cfg(unix)]
#[test]
fn gpgsign_in_the_global_config_is_honoured() {
    if env::var_os(GLOBAL_OVERRIDE).is_some() {
        return global_gpgsign_child();
    }
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fault-injection-gpg");
    fs::write(
        &fake,
        "#!/bin/sh\necho 'fault injection: global gpg' >&2\nexit 1\n",
    )
    .unwrap();
    make_executable(&fake);
    let global = dir.path().join("global-gitconfig");
    let config = format!(
        "[commit]\n\tgpgSign = true\n[tag]\n\tgpgSign = true\n[gpg]\n\tprogram = {}\n",
        fake.display()
    );
    fs::write(&global, config).unwrap();
    let out = Command::new(env::current_exe().unwrap())
        .args(["--exact", "gpgsign_in_the_global_config_is_honoured"])
        .args(["--nocapture", "--test-threads=1"])
        .env(GLOBAL_OVERRIDE, &global)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child test failed:\n{report}");
    assert!(
        report.contains("1 passed"),
        "the child ran no test:\n{report}"
    );
}

#[cfg(unix)]
fn global_gpgsign_child() {
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n")]);
    let before = repo.head();
    repo.write("version.txt", "1.1.0\n");
    let opened = repo.open();
    let err = opened
        .commit_paths(&paths(&["version.txt"]), "release")
        .unwrap_err();
    assert!(
        err.to_string().contains("fault injection: global gpg"),
        "{err}"
    );
    assert_eq!(repo.head(), before);
    let err = opened.annotated_tag("v1.0.0", "Release").unwrap_err();
    assert!(
        err.to_string().contains("fault injection: global gpg"),
        "{err}"
    );
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn ssh_signed_commit_and_tag_verify() {
    let available = Command::new("which").arg("ssh-keygen").output();
    if !available.is_ok_and(|out| out.status.success()) {
        eprintln!("note: ssh-keygen not found; skipping the real SSH signing test");
        return;
    }
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n")]);
    let key = configure_ssh_signing(&repo);
    assert!(key.exists());
    repo.write("version.txt", "2.0.0\n");
    let opened = repo.open();

    let id = opened
        .commit_paths(&paths(&["version.txt"]), "release 2.0.0")
        .unwrap();
    opened.annotated_tag("v2.0.0", "Release 2.0.0").unwrap();

    assert_eq!(id, repo.head());
    let commit = repo.git(&["cat-file", "-p", "HEAD"]);
    assert!(
        commit.contains("\ngpgsig -----BEGIN SSH SIGNATURE-----"),
        "{commit}"
    );
    repo.git(&["verify-commit", "HEAD"]);
    assert_eq!(repo.git(&["cat-file", "-t", "v2.0.0"]), "tag");
    let tag = repo.git(&["cat-file", "-p", "v2.0.0"]);
    assert!(tag.contains("-----BEGIN SSH SIGNATURE-----"), "{tag}");
    repo.git(&["verify-tag", "v2.0.0"]);
    assert_eq!(repo.status(), "");
}

/// A fresh ed25519 key, configured for signing and trusted for verifying.
fn configure_ssh_signing(repo: &TestRepo) -> PathBuf {
    let key = repo.path().join(".git/signing-key");
    let key_arg = key.to_string_lossy().into_owned();
    let keygen = Command::new("ssh-keygen")
        .args([
            "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", &key_arg,
        ])
        .output()
        .unwrap();
    assert!(keygen.status.success(), "{keygen:?}");
    let public = fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = repo.path().join(".git/allowed-signers");
    fs::write(&allowed, format!("{EMAIL} {public}")).unwrap();
    for (name, value) in [
        ("gpg.format", "ssh"),
        ("user.signingKey", &key_arg),
        ("gpg.ssh.allowedSignersFile", &allowed.to_string_lossy()),
        ("commit.gpgSign", "true"),
        ("tag.gpgSign", "true"),
    ] {
        repo.git(&["config", name, value]);
    }
    key
}
