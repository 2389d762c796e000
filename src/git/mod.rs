//! git through git2: the working-tree state, committing exactly the bumped files,
//! annotated tags; signing goes through the git CLI, which owns the user's keys.
//!
//! # Configuration and environment
//!
//! [`Repo::discover`] opens the repository in libgit2's `FROM_ENV` mode, so the
//! configuration is found the way `git` finds it: `GIT_CONFIG_GLOBAL`,
//! `GIT_CONFIG_SYSTEM`, `GIT_CONFIG_NOSYSTEM`, `HOME` and `XDG_CONFIG_HOME` are all
//! honoured, as are `GIT_INDEX_FILE`, `GIT_WORK_TREE` and `GIT_CEILING_DIRECTORIES`.
//! (Plain `git2::Repository::discover` reads the global file from `HOME` only and
//! ignores `GIT_CONFIG_GLOBAL`.) `git -c` overrides from a parent git process
//! (`GIT_CONFIG_PARAMETERS`) are not seen by libgit2. Author and committer follow
//! `user.name`/`user.email` with git's `GIT_AUTHOR_*`/`GIT_COMMITTER_*` overrides.
//!
//! # Signing
//!
//! `commit.gpgSign` and `tag.gpgSign` are read from the full configuration
//! snapshot (system, global, XDG, repository, with includes). When set, the commit
//! or tag is made by the `git` command line: libgit2 cannot produce a signature
//! itself, and re-implementing `gpg.program`, `gpg.format` (openpgp, ssh, x509),
//! `user.signingKey` and the gpg/ssh agents would reach the user's keys less
//! reliably than git does. Failures come back as [`GitError::Cli`] with git's
//! stderr.
//!
//! # Hooks
//!
//! libgit2 runs no hooks. Rather than skip them silently, [`Repo::commit_paths`]
//! also goes through `git commit` (never with `--no-verify`) whenever one of the
//! [`COMMIT_HOOKS`] is installed, so a failing hook stops the release with the
//! hook's output. [`Repo::commit_hooks`] lists them for callers that want to say
//! so. Other hooks (`reference-transaction`, `post-index-change`) are not run on
//! the libgit2 path; tags have no hooks.

mod cli;
mod commit;
mod error;
mod remote;

pub use error::GitError;
pub use remote::Upstream;

use std::path::{Path, PathBuf};

use git2::{Commit, Config, ErrorCode, Index, Repository, RepositoryOpenFlags, Signature, Status};

/// The hooks `git commit` runs; when any is installed, commits go through the CLI.
pub const COMMIT_HOOKS: [&str; 4] = [
    "pre-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
];

/// An open repository.
pub struct Repo {
    repo: Repository,
    workdir: PathBuf,
}

/// Author and committer for a new commit (the committer also tags).
struct Identity {
    author: Signature<'static>,
    committer: Signature<'static>,
}

impl Repo {
    /// Opens the repository containing `path`, or `None` outside any repository.
    pub fn discover(path: &Path) -> Result<Option<Repo>, GitError> {
        let flags = RepositoryOpenFlags::FROM_ENV;
        let repo = match Repository::open_ext(path, flags, ceiling_dirs()) {
            Ok(repo) => repo,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(source) => {
                return Err(GitError::Repo {
                    repo: path.to_path_buf(),
                    action: "open the git repository".into(),
                    source,
                })
            }
        };
        match repo.workdir() {
            Some(dir) if !repo.is_bare() => {
                // Without git2's trailing slash, so messages show the folder as a path.
                let workdir = dir.components().collect();
                Ok(Some(Repo { repo, workdir }))
            }
            _ => Err(GitError::Bare(repo.path().to_path_buf())),
        }
    }

    /// The work tree root.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// Tracked files with staged or unstaged changes (untracked files are ignored),
    /// relative to the work tree.
    pub fn dirty_files(&self) -> Result<Vec<PathBuf>, GitError> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(false)
            .include_ignored(false)
            .include_unmodified(false)
            .renames_head_to_index(false)
            .renames_index_to_workdir(false);
        self.fresh_index()?;
        let statuses =
            (self.repo.statuses(Some(&mut opts))).map_err(self.ctx("read the status"))?;
        let mut files: Vec<PathBuf> = statuses
            .iter()
            .filter(|entry| entry.status().intersects(tracked_changes()))
            .map(|entry| bytes_to_path(entry.path_bytes()))
            .collect();
        files.sort();
        files.dedup();
        Ok(files)
    }

    /// The names of every tag.
    pub fn tag_names(&self) -> Result<Vec<String>, GitError> {
        let names = self
            .repo
            .tag_names(None)
            .map_err(|source| self.error("list the tags".into(), source))?;
        Ok(names
            .iter()
            .filter_map(|n| n.ok().flatten().map(String::from))
            .collect())
    }

    /// Whether tag `name` exists (annotated or lightweight).
    pub fn tag_exists(&self, name: &str) -> Result<bool, GitError> {
        let refname = tag_ref(name)?;
        match self.repo.find_reference(&refname) {
            Ok(_) => Ok(true),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(false),
            Err(source) => Err(self.error(format!("look up tag `{name}`"), source)),
        }
    }

    /// Whether `path` (absolute or relative to the work tree) is in the index.
    pub fn is_tracked(&self, path: &Path) -> Result<bool, GitError> {
        let rel = self.relative(path)?;
        let index = self.fresh_index()?;
        Ok(in_index(&index, &rel))
    }

    /// Whether `path` is untracked and matched by an ignore rule, as
    /// `git check-ignore` reports it.
    pub fn is_ignored(&self, path: &Path) -> Result<bool, GitError> {
        if self.is_tracked(path)? {
            return Ok(false);
        }
        let rel = self.relative(path)?;
        (self.repo.is_path_ignored(&rel)).map_err(self.ctx("check the ignore rules"))
    }

    /// Fails with the `git config` commands to run when no author/committer identity is set.
    pub fn check_identity(&self) -> Result<(), GitError> {
        self.identity().map(|_| ())
    }

    /// The branch HEAD points at (also before the first commit); `None` when detached.
    pub fn head_branch(&self) -> Result<Option<String>, GitError> {
        let head = (self.repo.find_reference("HEAD")).map_err(self.ctx("read HEAD"))?;
        let target = head
            .symbolic_target()
            .map_err(self.ctx("read HEAD's branch name"))?;
        let branch = target.and_then(|t| t.strip_prefix("refs/heads/"));
        Ok(branch.map(str::to_owned))
    }

    /// The installed, executable [`COMMIT_HOOKS`] (honouring `core.hooksPath`).
    pub fn commit_hooks(&self) -> Result<Vec<String>, GitError> {
        let dir = self.hooks_dir()?;
        let installed = COMMIT_HOOKS.iter().filter(|h| is_executable(&dir.join(h)));
        Ok(installed.map(|h| h.to_string()).collect())
    }

    /// Creates annotated tag `name` on HEAD; refuses when it exists. Signs through
    /// `git tag -s` when the user's config sets `tag.gpgSign`.
    pub fn annotated_tag(&self, name: &str, message: &str) -> Result<(), GitError> {
        if self.tag_exists(name)? {
            return Err(GitError::TagExists(name.to_owned()));
        }
        let message = self.prettify(message, "tag")?;
        let target = (self.head_commit()?).ok_or_else(|| GitError::NoHead(self.workdir.clone()))?;
        let tagger = self.identity()?.committer;
        if self.config_flag("tag.gpgSign")? {
            return cli::signed_tag(self, name, &message, target.id());
        }
        match self
            .repo
            .tag(name, target.as_object(), &tagger, &message, false)
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == ErrorCode::Exists => Err(GitError::TagExists(name.to_owned())),
            Err(source) => Err(self.error(format!("create tag `{name}`"), source)),
        }
    }

    /// Maps a libgit2 error to [`GitError::Repo`] naming this repository.
    fn ctx(&self, action: &'static str) -> impl FnOnce(git2::Error) -> GitError + '_ {
        move |source| self.error(action.to_owned(), source)
    }

    fn error(&self, action: String, source: git2::Error) -> GitError {
        let repo = self.workdir.clone();
        GitError::Repo {
            repo,
            action,
            source,
        }
    }

    /// The repository's shared index, reloaded if the file changed on disk.
    fn fresh_index(&self) -> Result<Index, GitError> {
        let mut index = (self.repo.index()).map_err(self.ctx("open the index"))?;
        index.read(false).map_err(self.ctx("read the index"))?;
        Ok(index)
    }

    /// HEAD's commit, `None` on an unborn branch.
    fn head_commit(&self) -> Result<Option<Commit<'_>>, GitError> {
        match self.repo.head() {
            Ok(head) => (head.peel_to_commit().map(Some)).map_err(self.ctx("read the HEAD commit")),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(source) => Err(self.error("read HEAD".into(), source)),
        }
    }

    /// The whole configuration (system, global, XDG, repository) as one snapshot.
    fn config(&self) -> Result<Config, GitError> {
        let mut live = (self.repo.config()).map_err(self.ctx("open the git config"))?;
        live.snapshot().map_err(self.ctx("read the git config"))
    }

    /// A boolean config value; unset means `false`.
    fn config_flag(&self, key: &str) -> Result<bool, GitError> {
        match self.config()?.get_bool(key) {
            Ok(value) => Ok(value),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(false),
            Err(source) => Err(self.error(format!("read `{key}` from the git config"), source)),
        }
    }

    fn hooks_dir(&self) -> Result<PathBuf, GitError> {
        match self.config()?.get_path("core.hooksPath") {
            Ok(dir) => Ok(self.workdir.join(dir)),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(self.repo.commondir().join("hooks")),
            Err(source) => Err(self.error("read `core.hooksPath`".into(), source)),
        }
    }

    /// Author and committer from the config and git's environment overrides.
    fn identity(&self) -> Result<Identity, GitError> {
        let missing = |source: git2::Error| match source.code() {
            ErrorCode::NotFound => GitError::NoIdentity {
                repo: self.workdir.clone(),
                source,
            },
            _ => self.error("work out the commit identity".into(), source),
        };
        let author = self.repo.author_from_env().map_err(missing)?;
        let committer = self.repo.committer_from_env().map_err(missing)?;
        Ok(Identity { author, committer })
    }

    /// Cleans `message` up the way `git commit -m` does; refuses an empty one.
    fn prettify(&self, message: &str, what: &'static str) -> Result<String, GitError> {
        let clean = git2::message_prettify(message, None).map_err(self.ctx("tidy the message"))?;
        if clean.trim().is_empty() {
            let repo = self.workdir.clone();
            return Err(GitError::EmptyMessage { what, repo });
        }
        Ok(clean)
    }
}

/// `refs/tags/<name>`, or an error when git would reject the name.
fn tag_ref(name: &str) -> Result<String, GitError> {
    let refname = format!("refs/tags/{name}");
    if name.starts_with('-') || !git2::Reference::is_valid_name(&refname) {
        return Err(GitError::InvalidTagName(name.to_owned()));
    }
    Ok(refname)
}

/// Whether `rel` has an index entry at any stage (conflicts count as tracked).
fn in_index(index: &Index, rel: &Path) -> bool {
    (0..=3).any(|stage| index.get_path(rel, stage).is_some())
}

/// Status bits of a tracked file that differs from HEAD or from the index.
fn tracked_changes() -> Status {
    Status::INDEX_NEW
        | Status::INDEX_MODIFIED
        | Status::INDEX_DELETED
        | Status::INDEX_RENAMED
        | Status::INDEX_TYPECHANGE
        | Status::WT_MODIFIED
        | Status::WT_DELETED
        | Status::WT_RENAMED
        | Status::WT_TYPECHANGE
        | Status::CONFLICTED
}

/// `GIT_CEILING_DIRECTORIES`, which libgit2 only reads when given no ceilings.
fn ceiling_dirs() -> Vec<PathBuf> {
    let Some(value) = std::env::var_os(crate::env_vars::EnvVars::GIT_CEILING_DIRECTORIES) else {
        return Vec::new();
    };
    let dirs = std::env::split_paths(&value).filter(|d| !d.as_os_str().is_empty());
    dirs.collect()
}

#[cfg(unix)]
fn bytes_to_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn bytes_to_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path);
    meta.is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}
