//! Tests for `cargo_pypi::git` on real repositories in temporary directories,
//! cross-checked with the `git` command line.
//!
//! The process environment is hermetic for the whole test binary (see
//! `support::env`): neither libgit2 nor the `git` processes the library spawns
//! see the machine's config. Identities are set per repository through its own
//! config.

mod commit;
mod repo;
mod signing;
mod tag;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support;
use cargo_pypi::git::Repo;
use tempfile::TempDir;

const NAME: &str = "Test Release";
const EMAIL: &str = "release@cargo-pypi.invalid";

/// `git <args>` in `dir` with the hermetic config spelled out explicitly.
fn git_output(dir: &Path, args: &[&str]) -> Output {
    support::git_command(dir, args).output().expect("run git")
}

/// `git <args>` in `dir`, which must succeed; its trimmed stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    support::git(dir, args).trim_end().to_owned()
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
