//! Everything that can stop a release, checked before anything changes and
//! reported all at once: the git state (clean tree, an allowed branch, up to
//! date with its upstream, the tag free here and on the remote), the build
//! tool (unless the artifacts come from `--dist`), versions in
//! lockstep, credentials for every index the release publishes to, and the
//! new version not on those indexes yet.

use super::Options;
use crate::dist::filename::file_name_part;
use crate::git::{Repo, Upstream};
use crate::publish::credentials::Located;
use crate::publish::index::{self, IndexAuth};
use crate::publish::target::Target;
use crate::sources::Inventory;
use crate::steps::{build, publish, Context, Error};
use crate::version::ReleaseVersion;
use std::time::Duration;

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
    (version, tag): (&ReleaseVersion, &str),
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
    let version = &version.pep440();
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
    if opts.dist.is_none() {
        let plan = build::plan(ctx, None)?;
        match crate::build::tools_ready(plan.package, &plan.request) {
            Ok(label) => ctx.reporter.verbose(&format!("build tool: {label}")),
            Err(e) => problems.push(ctx.show_message(&e.to_string())),
        }
    }
    for (name, request) in super::targets(inv, opts) {
        match publish::locate(ctx, &request) {
            Ok((target, located)) => {
                if let Some(problem) = on_index(&target, &located, inv, version) {
                    problems.push(format!("{name}: {problem}"));
                }
            }
            Err(e) => problems.push(format!("{name}: {}", ctx.show_message(&e.to_string()))),
        }
    }
    Ok(Preflight { problems, upstream })
}

/// Whether the index already has files of `version` (or cannot be listed).
fn on_index(target: &Target, located: &Located, inv: &Inventory, version: &str) -> Option<String> {
    let auth = match located {
        Located::Ready(c) => Some(IndexAuth {
            username: &c.username,
            password: &c.password,
        }),
        Located::Deferred { .. } => None,
    };
    let listed = index::client(Duration::from_secs(30))
        .and_then(|client| index::existing_files(&client, &target.index_url, &inv.name, auth));
    let files = match listed {
        Ok(files) => files,
        Err(e) => return Some(format!("cannot list {}: {e}", target.index_url)),
    };
    let prefix = format!("{}-{version}", file_name_part(&inv.name)).to_lowercase();
    let released = files.iter().find(|f| {
        let name = f.filename.to_lowercase();
        name.starts_with(&format!("{prefix}-")) || name == format!("{prefix}.tar.gz")
    })?;
    Some(format!(
        "{} already has {} of {version}: this version was released; release the next one",
        target.index_url, released.filename
    ))
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
