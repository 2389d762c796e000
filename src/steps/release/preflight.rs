//! Everything that can stop a release, checked before anything changes and
//! reported all at once (the checks of `steps::readiness`): the git state
//! (identity, clean tree, an allowed branch, up to date with its upstream, the
//! tag free here and on the remote), versions in lockstep, the build tool
//! (unless the artifacts come from `--dist`), credentials for every index the
//! release uploads to, and the new version not on those indexes yet.

use super::Options;
use crate::git::{Repo, Upstream};
use crate::sources::Inventory;
use crate::steps::readiness::{self, Check};
use crate::steps::{Context, Error};
use crate::version::ReleaseVersion;

/// What the preflight found: the failed checks (none when the release may go
/// on) and the upstream the release pushes to.
pub struct Preflight {
    pub problems: Vec<String>,
    pub upstream: Option<Upstream>,
}

pub fn run(
    ctx: &Context,
    repo: &Repo,
    inv: &Inventory,
    (version, tag): (&ReleaseVersion, &str),
    opts: &Options,
) -> Result<Preflight, Error> {
    let mut checks: Vec<Check> = readiness::git_local(repo)?;
    let branches = &inv.config.release.branches;
    let (remote, upstream) = readiness::git_remote(repo, branches, Some(tag), !opts.no_push)?;
    checks.extend(remote);
    checks.push(readiness::lockstep(ctx, inv));
    if opts.dist.is_none() {
        checks.push(readiness::build_tool(ctx)?);
    }
    checks.extend(readiness::publishing(ctx, inv, super::publishes(inv, opts)));
    let targets = super::targets(inv, opts);
    checks.extend(readiness::indexes(
        ctx,
        inv,
        &targets,
        Some(&version.pep440()),
    ));
    let problems = checks
        .into_iter()
        .filter(|c| c.blocks)
        .map(|c| format!("{}: {}", c.name, c.detail))
        .collect();
    Ok(Preflight { problems, upstream })
}
