//! Committing exactly the named files: the commit's tree is HEAD's tree with only
//! those paths taken from the work tree, so whatever else is staged or modified
//! stays out of the commit and stays staged or modified afterwards.

use std::fs;
use std::path::{Component, Path, PathBuf};

use git2::{Commit, Index, Oid, RepositoryState};

use super::{cli, in_index, GitError, Identity, Repo};

impl Repo {
    /// Commits exactly `paths` (absolute or relative to the work tree) on HEAD with
    /// `message`, leaving other staged or unstaged changes alone. Signs through
    /// `git commit -S` when the user's config sets `commit.gpgSign`.
    /// Returns the new commit's id as hex.
    ///
    /// New files are allowed; a tracked file missing from the work tree is
    /// committed as deleted. Untracked ignored files and directories are refused,
    /// as is a commit that would not change HEAD's tree. The commit goes through
    /// `git commit --only` (hooks run, see the module docs) when signing is on or a
    /// commit hook is installed, and through libgit2 otherwise.
    pub fn commit_paths(&self, paths: &[PathBuf], message: &str) -> Result<String, GitError> {
        self.ensure_idle()?;
        let rels = self.relative_paths(paths)?;
        let message = self.prettify(message, "commit")?;
        let identity = self.identity()?;
        let parent = self.head_commit()?;
        let sign = self.config_flag("commit.gpgSign")?;
        let use_cli = sign || !self.commit_hooks()?.is_empty();
        let mut index = self.fresh_index()?;
        self.ensure_unlocked(&index)?;
        let tree = match self.staged_tree(&mut index, &rels, parent.as_ref()) {
            Ok(tree) => tree,
            Err(e) => return Err(discard(&mut index, e)),
        };
        if parent.as_ref().is_some_and(|p| p.tree_id() == tree) {
            return Err(discard(
                &mut index,
                GitError::NothingToCommit(self.workdir.clone()),
            ));
        }
        if use_cli {
            index.read(true).map_err(self.ctx("reload the index"))?;
            return cli::commit(self, &rels, &message, sign);
        }
        let parents: Vec<&Commit<'_>> = parent.iter().collect();
        self.write_commit(&mut index, &rels, tree, &parents, &identity, &message)
    }

    /// Paths relative to the work tree, sorted, without duplicates.
    fn relative_paths(&self, paths: &[PathBuf]) -> Result<Vec<PathBuf>, GitError> {
        if paths.is_empty() {
            return Err(GitError::NoPaths(self.workdir.clone()));
        }
        let rels: Result<Vec<PathBuf>, GitError> = paths.iter().map(|p| self.relative(p)).collect();
        let mut rels = rels?;
        rels.sort();
        rels.dedup();
        Ok(rels)
    }

    /// `path` relative to the work tree; absolute paths must lie inside it.
    pub(super) fn relative(&self, path: &Path) -> Result<PathBuf, GitError> {
        let inside = if path.is_absolute() {
            (self.strip_workdir(path)).ok_or_else(|| {
                self.bad_path(path, "is outside the work tree; pass files inside it")
            })?
        } else {
            path.to_path_buf()
        };
        let mut rel = PathBuf::new();
        for component in inside.components() {
            match component {
                Component::Normal(part) => rel.push(part),
                Component::CurDir => {}
                _ => {
                    return Err(self.bad_path(
                        path,
                        "must not contain `..`; pass a path inside the work tree",
                    ))
                }
            }
        }
        if rel.as_os_str().is_empty() {
            return Err(self.bad_path(path, "is the work tree itself; pass the files to commit"));
        }
        if rel.starts_with(".git") {
            return Err(self.bad_path(path, "is inside `.git`; pass files from the work tree"));
        }
        Ok(rel)
    }

    /// Strips the work tree prefix, looking through symlinks (e.g. `/tmp` on macOS).
    fn strip_workdir(&self, path: &Path) -> Option<PathBuf> {
        if let Ok(rel) = path.strip_prefix(&self.workdir) {
            return Some(rel.to_path_buf());
        }
        let root = fs::canonicalize(&self.workdir).ok()?;
        let dir = fs::canonicalize(path.parent()?).ok()?;
        let rel = dir.strip_prefix(root).ok()?;
        Some(rel.join(path.file_name()?))
    }

    fn bad_path(&self, path: &Path, reason: &str) -> GitError {
        GitError::BadPath {
            path: path.to_path_buf(),
            repo: self.workdir.clone(),
            reason: reason.to_owned(),
        }
    }

    /// Refuses to commit in the middle of a merge, rebase, cherry-pick, etc.
    fn ensure_idle(&self) -> Result<(), GitError> {
        let state = match self.repo.state() {
            RepositoryState::Clean => return Ok(()),
            RepositoryState::Merge => "merge",
            RepositoryState::Revert | RepositoryState::RevertSequence => "revert",
            RepositoryState::CherryPick | RepositoryState::CherryPickSequence => "cherry-pick",
            RepositoryState::Bisect => "bisect",
            RepositoryState::ApplyMailbox => "`git am`",
            _ => "rebase",
        };
        let repo = self.workdir.clone();
        Err(GitError::Busy {
            repo,
            state: state.to_owned(),
        })
    }

    /// Refuses when another git process holds the index lock, before anything
    /// is written, so HEAD and the index cannot end up out of step.
    fn ensure_unlocked(&self, index: &Index) -> Result<(), GitError> {
        let Some(path) = index.path() else {
            return Ok(());
        };
        let mut lock = path.as_os_str().to_owned();
        lock.push(".lock");
        if Path::new(&lock).exists() {
            return Err(GitError::Locked(lock.into()));
        }
        Ok(())
    }

    /// Updates `index` (in memory) with the work-tree state of `rels` and returns
    /// the tree of `parent` with only those paths changed.
    fn staged_tree(
        &self,
        index: &mut Index,
        rels: &[PathBuf],
        parent: Option<&Commit<'_>>,
    ) -> Result<Oid, GitError> {
        let mut tree_index = Index::new().map_err(self.ctx("create an in-memory index"))?;
        if let Some(parent) = parent {
            let tree = parent.tree().map_err(self.ctx("read HEAD's tree"))?;
            (tree_index.read_tree(&tree)).map_err(self.ctx("load HEAD's tree"))?;
        }
        for rel in rels {
            self.stage_one(index, &mut tree_index, rel)?;
        }
        (tree_index.write_tree_to(&self.repo)).map_err(self.ctx("write the commit's tree"))
    }

    /// Takes one path's work-tree state into both `index` and `tree_index`.
    fn stage_one(
        &self,
        index: &mut Index,
        tree_index: &mut Index,
        rel: &Path,
    ) -> Result<(), GitError> {
        let known = in_index(index, rel) || tree_index.get_path(rel, 0).is_some();
        let action = || format!("stage `{}`", rel.display());
        let Ok(meta) = fs::symlink_metadata(self.workdir.join(rel)) else {
            if !known {
                return Err(self.bad_path(rel, "does not exist and is not tracked; check the path"));
            }
            index
                .remove_path(rel)
                .map_err(|e| self.error(action(), e))?;
            return tree_index
                .remove_path(rel)
                .map_err(|e| self.error(action(), e));
        };
        if meta.is_dir() {
            return Err(self.bad_path(rel, "is a directory; pass the files inside it"));
        }
        let ignored = || {
            self.repo
                .is_path_ignored(rel)
                .map_err(|e| self.error(action(), e))
        };
        if !known && ignored()? {
            return Err(self.bad_path(rel, "is ignored by git; un-ignore it or leave it out"));
        }
        index.add_path(rel).map_err(|e| self.error(action(), e))?;
        let entry = index.get_path(rel, 0);
        let entry = entry.ok_or_else(|| {
            self.bad_path(rel, "was not staged; stage it with `git add` and retry")
        })?;
        tree_index.add(&entry).map_err(|e| self.error(action(), e))
    }

    /// Writes the commit through libgit2, moves HEAD, then saves the index.
    fn write_commit(
        &self,
        index: &mut Index,
        rels: &[PathBuf],
        tree: Oid,
        parents: &[&Commit<'_>],
        who: &Identity,
        message: &str,
    ) -> Result<String, GitError> {
        let made = self.repo.find_tree(tree).and_then(|tree| {
            let (author, committer) = (&who.author, &who.committer);
            (self.repo).commit(Some("HEAD"), author, committer, message, &tree, parents)
        });
        let id = made.map_err(|e| discard(index, self.error("create the commit".into(), e)))?;
        index.write().map_err(|source| GitError::IndexAfterCommit {
            repo: self.workdir.clone(),
            commit: id.to_string(),
            paths: join_paths(rels),
            source,
        })?;
        Ok(id.to_string())
    }
}

/// Drops unsaved changes to the shared index after `error`, then returns it. Best
/// effort: a failing reload means the index file is unreadable, which every later
/// step reports anyway.
fn discard(index: &mut Index, error: GitError) -> GitError {
    let _ = index.read(true);
    error
}

fn join_paths(rels: &[PathBuf]) -> String {
    let shown: Vec<String> = rels.iter().map(|r| r.display().to_string()).collect();
    shown.join(" ")
}
