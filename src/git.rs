//! git through git2: the working-tree state, committing exactly the bumped files,
//! annotated tags; signing goes through the git CLI, which owns the user's keys.

use std::path::{Path, PathBuf};

/// Why a git step failed. Messages name the repository path or the tag.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    #[error("tag `{0}` already exists; bump to a new version or delete the tag")]
    TagExists(String),
    #[error("`git {args}` failed in {dir}: {stderr}")]
    Cli {
        args: String,
        dir: PathBuf,
        stderr: String,
    },
}

/// An open repository.
pub struct Repo {
    repo: git2::Repository,
}

impl Repo {
    /// Opens the repository containing `path`, or `None` outside any repository.
    pub fn discover(path: &Path) -> Result<Option<Repo>, GitError> {
        let _ = path;
        todo!()
    }

    /// The work tree root.
    pub fn workdir(&self) -> &Path {
        let _ = &self.repo;
        todo!()
    }

    /// Tracked files with staged or unstaged changes (untracked files are ignored),
    /// relative to the work tree.
    pub fn dirty_files(&self) -> Result<Vec<PathBuf>, GitError> {
        todo!()
    }

    pub fn tag_exists(&self, name: &str) -> Result<bool, GitError> {
        let _ = name;
        todo!()
    }

    /// Commits exactly `paths` (absolute or relative to the work tree) on HEAD with
    /// `message`, leaving other staged or unstaged changes alone. Signs through
    /// `git commit -S` when the user's config sets `commit.gpgSign`.
    /// Returns the new commit's id as hex.
    pub fn commit_paths(&self, paths: &[PathBuf], message: &str) -> Result<String, GitError> {
        let _ = (paths, message);
        todo!()
    }

    /// Creates annotated tag `name` on HEAD; refuses when it exists. Signs through
    /// `git tag -s` when the user's config sets `tag.gpgSign`.
    pub fn annotated_tag(&self, name: &str, message: &str) -> Result<(), GitError> {
        let _ = (name, message);
        todo!()
    }
}
