//! The repository's remote side, for a release: the branch's upstream, how far
//! behind it HEAD is, tags on the remote, and the atomic push of the release
//! commit and tag. Fetch, `ls-remote` and push go through the git command line,
//! so the user's credential helpers, SSH agent and `insteadOf` rules apply.

use super::cli::{os_args, run};
use super::{GitError, Repo};
use git2::ErrorCode;

/// Where the current branch pushes and pulls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    /// The remote's name (`origin`).
    pub remote: String,
    /// The branch on the remote (`main`).
    pub branch: String,
}

impl Repo {
    /// The current branch's upstream (`branch.<name>.remote` and `.merge`).
    pub fn upstream(&self) -> Result<Option<Upstream>, GitError> {
        let Some(branch) = self.head_branch()? else {
            return Ok(None);
        };
        let config = self
            .repo
            .config()
            .map_err(self.ctx("read the configuration"))?;
        let remote = config.get_string(&format!("branch.{branch}.remote"));
        let merge = config.get_string(&format!("branch.{branch}.merge"));
        match (remote, merge) {
            (Ok(remote), Ok(merge)) => Ok(Some(Upstream {
                remote,
                branch: merge.trim_start_matches("refs/heads/").to_owned(),
            })),
            _ => Ok(None),
        }
    }

    /// The remote's default branch, as `refs/remotes/<remote>/HEAD` names it.
    pub fn default_branch(&self, remote: &str) -> Option<String> {
        let head = self
            .repo
            .find_reference(&format!("refs/remotes/{remote}/HEAD"))
            .ok()?;
        let target = head.symbolic_target().ok()??;
        let prefix = format!("refs/remotes/{remote}/");
        target.strip_prefix(&prefix).map(str::to_owned)
    }

    /// `git fetch <remote>`: brings the remote-tracking branches up to date.
    pub fn fetch(&self, remote: &str) -> Result<(), GitError> {
        run(self, &os_args(&["fetch", "--quiet", "--no-tags", remote])).map(drop)
    }

    /// Commits HEAD is ahead of and behind `upstream`'s remote-tracking branch.
    pub fn ahead_behind(&self, upstream: &Upstream) -> Result<(usize, usize), GitError> {
        let tracking = format!("refs/remotes/{}/{}", upstream.remote, upstream.branch);
        let theirs = match self.repo.refname_to_id(&tracking) {
            Ok(id) => id,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok((0, 0)),
            Err(source) => return Err(self.error(format!("read {tracking}"), source)),
        };
        let ours = self.head_id()?;
        let counted = self.repo.graph_ahead_behind(ours, theirs);
        counted.map_err(|e| self.error(format!("compare HEAD with {tracking}"), e))
    }

    /// The commit HEAD points at.
    pub fn head_id(&self) -> Result<git2::Oid, GitError> {
        self.repo
            .refname_to_id("HEAD")
            .map_err(self.ctx("read HEAD"))
    }

    /// The commit tag `name` points at, when it exists here.
    pub fn tag_commit(&self, name: &str) -> Result<Option<String>, GitError> {
        if !self.tag_exists(name)? {
            return Ok(None);
        }
        let object = self
            .repo
            .revparse_single(&format!("refs/tags/{name}^{{commit}}"));
        let object = object.map_err(|e| self.error(format!("read tag `{name}`"), e))?;
        Ok(Some(object.id().to_string()))
    }

    /// Whether `remote` has tag `name` (`git ls-remote --tags`).
    pub fn remote_has_tag(&self, remote: &str, name: &str) -> Result<bool, GitError> {
        let refname = format!("refs/tags/{name}");
        let out = run(self, &os_args(&["ls-remote", "--tags", remote, &refname]))?;
        Ok(!out.is_empty())
    }

    /// `git push --atomic <remote> HEAD:refs/heads/<branch> refs/tags/<tag>`:
    /// the release commit and its tag arrive together or not at all.
    pub fn push_atomic(&self, upstream: &Upstream, tag: &str) -> Result<(), GitError> {
        let branch = format!("HEAD:refs/heads/{}", upstream.branch);
        let tag = format!("refs/tags/{tag}");
        let args = [
            "push",
            "--atomic",
            "--quiet",
            &upstream.remote,
            &branch,
            &tag,
        ];
        run(self, &os_args(&args)).map(drop)
    }

    /// The URL `remote` fetches from (`remote.<name>.url`).
    pub fn remote_url(&self, remote: &str) -> Option<String> {
        let found = self.repo.find_remote(remote).ok()?;
        found.url().ok().map(str::to_owned)
    }

    /// The repository's git folder (`.git`), where release state is kept.
    pub fn git_dir(&self) -> &std::path::Path {
        self.repo.path()
    }
}
