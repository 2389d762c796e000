//! The release's GitHub step: whether it runs, what the plan says it will
//! do, and the release itself (through [`crate::github`]), marked the latest
//! release only when no tag of a higher version exists.

use super::{Options, State};
use crate::config::Config;
use crate::git::{Repo, Upstream};
use crate::github;
use crate::sources::Inventory;
use crate::steps::{Context, Error};
use std::path::PathBuf;
use std::str::FromStr;

/// Why the options leave the GitHub release out, if they do.
pub(super) fn skipped(inv: &Inventory, opts: &Options) -> Option<&'static str> {
    if opts.no_github_release {
        Some("--no-github-release")
    } else if opts.no_push {
        Some("--no-push: the tag is not on GitHub")
    } else if !super::publishes(inv, opts) {
        Some("not publishing (--no-publish or `publish = false`): CI releases from the tag")
    } else {
        None
    }
}

/// What the GitHub release step will do, for the plan: the repository and
/// token it would use (never the token itself), or why it is skipped.
pub(super) fn planned(
    inv: &Inventory,
    state: &State,
    repo: &Repo,
    upstream: Option<&Upstream>,
    opts: &Options,
) -> Result<String, Error> {
    if let Some(reason) = skipped(inv, opts) {
        return Ok(format!("skipped: {reason}"));
    }
    let env = |key: &str| std::env::var(key).ok();
    let remote_url = upstream.and_then(|u| repo.remote_url(&u.remote));
    let latest = is_latest(repo, &inv.config, &state.version)?;
    let request = request(inv, state, remote_url.as_deref(), latest, &[], &env);
    Ok(match github::plan(&request)? {
        github::Planned::Skip(skip) => format!("skipped: {}", skip.reason),
        github::Planned::Release(plan) => format!(
            "release {} on GitHub {} (token from {}): a draft, the artifacts, then published{}",
            plan.tag,
            plan.repository,
            plan.token_source,
            if latest || plan.prerelease {
                ""
            } else {
                ", not marked latest (a higher version is tagged)"
            }
        ),
    })
}

/// The GitHub release's request: the notes are the tag message's changelog
/// section (the message is the commit message, a blank line, the section).
fn request<'a>(
    inv: &'a Inventory,
    state: &'a State,
    remote_url: Option<&'a str>,
    latest: bool,
    assets: &'a [PathBuf],
    env: &'a dyn Fn(&str) -> Option<String>,
) -> github::Request<'a> {
    let notes = state
        .tag_message
        .split_once("\n\n")
        .map_or("", |(_, body)| body);
    let prerelease = crate::version::ReleaseVersion::parse_pep440(&state.version)
        .is_ok_and(|v| v.is_prerelease());
    github::Request {
        repository: inv.config.release.github.as_deref(),
        remote_url,
        tag: &state.tag,
        notes,
        prerelease,
        latest,
        assets,
        env,
    }
}

/// The GitHub release of the tag: a draft, the artifacts, then published;
/// skipped (with the reason) without a GitHub repository or a token.
pub(super) fn step(
    ctx: &Context,
    inv: &Inventory,
    state: &State,
    repo: &Repo,
    upstream: Option<&Upstream>,
) -> Result<(&'static str, String), Error> {
    let env = |key: &str| std::env::var(key).ok();
    let remote_url = upstream.and_then(|u| repo.remote_url(&u.remote));
    let latest = is_latest(repo, &inv.config, &state.version)?;
    let request = request(
        inv,
        state,
        remote_url.as_deref(),
        latest,
        &state.artifacts,
        &env,
    );
    match github::plan(&request)? {
        github::Planned::Skip(skip) => Ok(("skipped", skip.reason)),
        github::Planned::Release(plan) => {
            let outcome = github::apply(&plan, ctx.reporter)?;
            let done = match outcome.status {
                github::Status::AlreadyReleased => "already done",
                _ => "done",
            };
            Ok((done, outcome.url))
        }
    }
}

/// Whether `version` is above every other version tagged with the tag-name
/// template (`v{version}`): a fix released on an older line (1.2.5 after
/// 2.0.0) must not become GitHub's "latest" release.
pub(super) fn is_latest(repo: &Repo, config: &Config, version: &str) -> Result<bool, Error> {
    let Ok(ours) = pep440_rs::Version::from_str(version) else {
        return Ok(true);
    };
    let template = &config.tag_name;
    let Some((prefix, suffix)) = ["{version}", "{pep440}", "{semver}"]
        .iter()
        .find_map(|p| template.split_once(p))
    else {
        return Ok(true);
    };
    let higher = repo.tag_names()?.into_iter().any(|tag| {
        tag.strip_prefix(prefix)
            .and_then(|t| t.strip_suffix(suffix))
            .and_then(|v| pep440_rs::Version::from_str(v).ok())
            .is_some_and(|v| v > ours && !v.any_prerelease())
    });
    Ok(!higher)
}
