//! Everything that can stop a release, checked before anything changes and
//! reported all at once: the git state (clean tree, an allowed branch, up to
//! date with its upstream, the tag free here and on the remote), versions in
//! lockstep, and credentials for every index the release publishes to.

use super::Options;
use crate::git::{Repo, Upstream};
use crate::sources::Inventory;
use crate::steps::{publish, Context, Error};

/// What the preflight found: the problems (empty when the release may go on)
/// and the upstream the release pushes to.
pub struct Preflight {
    pub problems: Vec<String>,
    pub upstream: Option<Upstream>,
}

pub fn run(
    ctx: &Context,
    repo: &Repo,
    inv: &Inventory,
    tag: &str,
    opts: &Options,
) -> Result<Preflight, Error> {
    let mut problems = Vec::new();
    if let Err(e) = repo.check_identity() {
        problems.push(e.to_string());
    }
    let dirty = repo.dirty_files()?;
    if !dirty.is_empty() {
        let files: Vec<String> = dirty.iter().map(|p| p.display().to_string()).collect();
        problems.push(format!(
            "uncommitted changes in {}: commit or stash them first",
            files.join(", ")
        ));
    }
    let upstream = git_state(repo, &inv.config.release.branches, tag, opts, &mut problems)?;
    let disagreeing: Vec<String> = inv
        .disagreements()
        .map(|o| format!("{}:{} ({})", ctx.show(&o.file), o.line, o.what))
        .collect();
    if !disagreeing.is_empty() {
        problems.push(format!(
            "version sources disagree with {}: {}; `cargo pypi check` lists them",
            inv.version.pep440(),
            disagreeing.join(", ")
        ));
    }
    for (name, request) in super::targets(inv, opts) {
        if let Err(e) = publish::locate(ctx, &request) {
            problems.push(format!("{name}: {}", ctx.show_message(&e.to_string())));
        }
    }
    Ok(Preflight { problems, upstream })
}

/// Branch, upstream and tags; the upstream when there is one.
fn git_state(
    repo: &Repo,
    branches: &[String],
    tag: &str,
    opts: &Options,
    problems: &mut Vec<String>,
) -> Result<Option<Upstream>, Error> {
    if repo.tag_exists(tag)? {
        problems.push(format!(
            "tag `{tag}` exists already: this version was released (or `git tag -d {tag}` if it was not)"
        ));
    }
    let Some(branch) = repo.head_branch()? else {
        problems.push(
            "HEAD is detached: check out the branch to release from (`git switch main`)".into(),
        );
        return Ok(None);
    };
    let upstream = repo.upstream()?;
    let allowed = match (branches.is_empty(), &upstream) {
        (false, _) => branches.to_vec(),
        (true, Some(up)) => vec![repo
            .default_branch(&up.remote)
            .unwrap_or_else(|| up.branch.clone())],
        (true, None) => vec!["main".into(), "master".into()],
    };
    if !allowed.contains(&branch) {
        problems.push(format!(
            "on branch `{branch}`, and releases come from {} (`tool.cargo-pypi.release.branches`)",
            allowed
                .iter()
                .map(|b| format!("`{b}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    let Some(up) = upstream else {
        if !opts.no_push {
            problems.push(format!(
                "branch `{branch}` has no upstream to push to: `git push -u origin {branch}`, or pass --no-push"
            ));
        }
        return Ok(None);
    };
    if let Err(e) = repo.fetch(&up.remote) {
        problems.push(format!("could not fetch `{}`: {e}", up.remote));
        return Ok(Some(up));
    }
    let (_, behind) = repo.ahead_behind(&up)?;
    if behind > 0 {
        problems.push(format!(
            "`{branch}` is behind `{}/{}` by {behind} commit(s): `git pull --rebase` first",
            up.remote, up.branch
        ));
    }
    if !opts.no_push && repo.remote_has_tag(&up.remote, tag)? {
        problems.push(format!(
            "tag `{tag}` exists on `{}` already: this version was released",
            up.remote
        ));
    }
    Ok(Some(up))
}
