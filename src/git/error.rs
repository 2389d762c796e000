//! The git module's error type: every message names the repository, file or tag
//! involved and, where there is one, the step that gets the user unstuck.

use std::path::PathBuf;

/// Why a git step failed. Messages name the repository path or the tag.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// A bare libgit2 error without more context; the module itself prefers
    /// [`GitError::Repo`], which names the repository and the step.
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
    /// `git` itself could not be started (signing goes through the CLI).
    #[error(
        "could not run `git` in {dir}: {source}; signed commits and tags need the git \
         command line, install it or put it on PATH"
    )]
    CliMissing {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// A libgit2 call failed; `action` says what was being done.
    #[error("could not {action} in {repo}: {source}")]
    Repo {
        repo: PathBuf,
        action: String,
        source: git2::Error,
    },
    #[error("{0} is a bare repository; cargo-pypi needs a work tree, run it inside a checkout")]
    Bare(PathBuf),
    #[error(
        "no commit identity in {repo} ({source}); set one with \
         `git config user.name \"Your Name\"` and `git config user.email you@example.com` \
         (add --global for every repository)"
    )]
    NoIdentity { repo: PathBuf, source: git2::Error },
    #[error("{repo} is in the middle of a {state}; finish or abort it, then release again")]
    Busy { repo: PathBuf, state: String },
    #[error(
        "{0} exists: another git process is using this repository, or one crashed; \
         wait for it to finish, or delete the file if no git process is running"
    )]
    Locked(PathBuf),
    #[error("`{path}` {reason} (repository {repo})")]
    BadPath {
        path: PathBuf,
        repo: PathBuf,
        reason: String,
    },
    #[error("no files given to commit in {0}; pass the files the version bump changed")]
    NoPaths(PathBuf),
    #[error("nothing to commit in {0}: the given files already match HEAD")]
    NothingToCommit(PathBuf),
    #[error("the {what} message for {repo} is empty; pass a non-empty message")]
    EmptyMessage { what: &'static str, repo: PathBuf },
    #[error(
        "`{0}` is not a valid tag name; use a name without spaces, `..`, `~`, `^`, `:`, `?`, \
         `*`, `[`, `\\` or a leading `-`"
    )]
    InvalidTagName(String),
    #[error("{0} has no commits yet; commit before tagging")]
    NoHead(PathBuf),
    /// The commit was made but the index could not be brought in line with it.
    #[error(
        "committed {commit} in {repo} but could not update the index ({source}); \
         run `git reset -- {paths}` to make `git status` agree with the commit"
    )]
    IndexAfterCommit {
        repo: PathBuf,
        commit: String,
        paths: String,
        source: git2::Error,
    },
}
