//! The release: preflight, bump and commit, build and check, staging and
//! production uploads, tag, push, as one resumable run. The plan runs every
//! check and computes every change without making one; the apply makes them,
//! step by step, saving its [`State`] after each, so that a re-run after a
//! failure continues with the same version and never repeats a step.

mod github;
mod planned;
mod preflight;
mod run;
mod state;

pub use state::{State, Step};

use super::{bump, publish, Context, Error};
use crate::git::{Repo, Upstream};
use crate::sources::Inventory;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// LEVEL or VERSION; `None` continues the release in progress.
    pub target: Option<bump::Target>,
    /// The target as given, kept in the state to tell a re-run from a new release.
    pub requested: Option<String>,
    pub dry_run: bool,
    /// Prebuilt artifacts (wheels from CI) instead of building here.
    pub dist: Option<PathBuf>,
    pub no_staging: bool,
    pub no_publish: bool,
    pub no_push: bool,
    pub no_github_release: bool,
    /// Changelog date (default: `SOURCE_DATE_EPOCH`, else today).
    pub date: Option<String>,
    /// What every upload shares: jobs, wait, prompt, terminal.
    pub publish: publish::Options,
}

/// A release ready to run (or to go on with).
pub struct Plan {
    pub state: State,
    pub state_path: PathBuf,
    /// True when a release in progress is continued.
    pub resumed: bool,
    /// The version bump, for a release that starts now.
    pub bump: Option<bump::Plan>,
    pub upstream: Option<Upstream>,
    /// `(step name, repository)` of each index the release uploads to.
    pub targets: Vec<(String, String)>,
    /// What the GitHub release step will do, or why it is skipped.
    pub github: String,
    pub repo: Repo,
}

/// What a release did, step by step.
#[derive(Debug, Serialize)]
pub struct Report {
    pub version: String,
    pub tag: String,
    pub dry_run: bool,
    pub resumed: bool,
    pub steps: Vec<StepReport>,
    /// A dry run's unified diff of the bump (empty otherwise).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub diff: String,
    /// The files this run built (and checked) or uploaded, for audit; none
    /// when it did neither (a dry run, or a re-run with those steps done).
    pub files: Vec<ReleaseFile>,
    /// Each index this run uploaded to, in order, and what became of each file.
    pub uploads: Vec<Upload>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseFile {
    pub file: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct Upload {
    /// `staging` or `production`.
    pub step: &'static str,
    pub repository: String,
    /// In the order sent: the wheels, then the sdist.
    pub files: Vec<publish::FileOutcome>,
}

#[derive(Debug, Serialize)]
pub struct StepReport {
    pub step: &'static str,
    /// `done`, `already done`, `skipped`, or `planned` (dry run).
    pub outcome: &'static str,
    pub detail: String,
}

pub fn plan(ctx: &Context, opts: &Options) -> Result<Plan, Error> {
    let root = &ctx.project.root;
    let repo = Repo::discover(root)?.ok_or_else(|| {
        Error::Refused(format!(
            "a release needs a git repository, and {} is not in one",
            root.display()
        ))
    })?;
    let state_path = State::path(repo.git_dir());
    let inv = ctx.single()?.inventory;
    let targets: Vec<_> = targets(&inv, opts)
        .into_iter()
        .map(|(step, o)| (step.to_string(), repository(&o)))
        .collect();
    if let Some(state) = State::load(&state_path)? {
        // A complete release is remembered until something is committed after it.
        let complete = Step::ALL.iter().all(|s| state.is_done(*s));
        let head = repo.head_id()?.to_string();
        if !complete || repo.tag_commit(&state.tag)?.as_deref() == Some(head.as_str()) {
            refuse_closed_window(ctx, &inv, &state, opts)?;
            return resume(ctx, opts, repo, state, state_path, targets);
        }
        std::fs::remove_file(&state_path)
            .map_err(|e| Error::Refused(format!("cannot remove {}: {e}", state_path.display())))?;
    }
    let target = opts.target.as_ref().ok_or_else(|| {
        Error::Input("no release in progress: give the LEVEL or VERSION to release".into())
    })?;
    // The version and the file changes first (no git checks), to name the tag.
    let bump_options = bump::Options {
        commit: Some(false),
        tag: Some(false),
        date: opts.date.clone(),
        dry_run: opts.dry_run,
        ..bump::Options::default()
    };
    let draft = bump::plan(ctx, target, &bump_options)?;
    let found = preflight::run(ctx, &repo, &inv, (&draft.next, &draft.tag_name), opts)?;
    if !found.problems.is_empty() {
        let list: Vec<String> = found.problems.iter().map(|p| format!("  {p}")).collect();
        return Err(Error::Refused(format!(
            "the release cannot start; nothing was changed:\n{}",
            list.join("\n")
        )));
    }
    let bump = bump::plan(
        ctx,
        target,
        &bump::Options {
            commit: Some(true),
            ..bump_options
        },
    )?;
    let state = State {
        version: bump.next.pep440(),
        tag: bump.tag_name.clone(),
        requested: opts.requested.clone().unwrap_or_default(),
        commit: None,
        done: Vec::new(),
        artifacts: Vec::new(),
        tag_message: bump::planned_tag_message(&bump),
    };
    let github = github::planned(&inv, &state, &repo, found.upstream.as_ref(), opts)?;
    Ok(Plan {
        state,
        state_path,
        resumed: false,
        bump: Some(bump),
        upstream: found.upstream,
        targets,
        github,
        repo,
    })
}

/// Goes on with the release in `state`: the same request, or none.
fn resume(
    ctx: &Context,
    opts: &Options,
    repo: Repo,
    state: State,
    state_path: PathBuf,
    targets: Vec<(String, String)>,
) -> Result<Plan, Error> {
    if let Some(requested) = opts.requested.as_deref().filter(|r| *r != state.requested) {
        return Err(Error::Refused(format!(
            "a release of {} (`{}`) is in progress ({}); run `cargo pypi release` to go on with it, or `cargo pypi release --abort` before releasing `{requested}`",
            state.version,
            state.requested,
            ctx.show(&state_path)
        )));
    }
    let upstream = repo.upstream()?;
    let inv = ctx.single()?.inventory;
    let github = github::planned(&inv, &state, &repo, upstream.as_ref(), opts)?;
    Ok(Plan {
        state,
        state_path,
        resumed: true,
        bump: None,
        upstream,
        targets,
        github,
        repo,
    })
}

/// Before uploads are resumed: an index that took this version's first file
/// more than 14 days ago (PyPI's rule, read from the JSON API where the index
/// has one) takes no more files for it, so the release must move on.
fn refuse_closed_window(
    ctx: &Context,
    inv: &Inventory,
    state: &State,
    opts: &Options,
) -> Result<(), Error> {
    use crate::publish::index::{self, json_api};
    let pending = targets(inv, opts).into_iter().filter(|(step, _)| {
        let step = if *step == "staging" {
            Step::Staging
        } else {
            Step::Production
        };
        !state.is_done(step)
    });
    for (_, options) in pending {
        let (target, _) = publish::locate(ctx, &options)?;
        let client = index::client(std::time::Duration::from_secs(30))
            .map_err(|e| Error::Refused(e.to_string()))?;
        let first = json_api::first_upload(&client, &target.index_url, &inv.name, &state.version);
        let Ok(Some(first)) = first else { continue };
        if let Some(date) = json_api::window_closed(first, time::OffsetDateTime::now_utc()) {
            return Err(Error::Refused(format!(
                "{} took the first file of {} {} on {date}, more than {} days ago, and takes no more files for it: `cargo pypi release --abort`, then release the next version",
                target.index_url, inv.name, state.version, json_api::UPLOAD_WINDOW_DAYS
            )));
        }
    }
    Ok(())
}

/// The indexes the release uploads to, in order, with the options of each upload.
pub fn targets(inv: &Inventory, opts: &Options) -> Vec<(&'static str, publish::Options)> {
    if !publishes(inv, opts) {
        return Vec::new();
    }
    let release = &inv.config.release;
    let staging = release.staging.clone().filter(|_| !opts.no_staging);
    let named = staging
        .map(|s| ("staging", s))
        .into_iter()
        .chain([("production", release.repository.clone())]);
    named
        .map(|(step, repository)| {
            let mut o = opts.publish.clone();
            o.target.repository = Some(repository);
            o.yes = true;
            o.dry_run = opts.dry_run;
            (step, o)
        })
        .collect()
}

/// The release uploads (and makes the GitHub release): not with
/// `--no-publish` or `publish = false`, when CI does both from the tag.
pub fn publishes(inv: &Inventory, opts: &Options) -> bool {
    !opts.no_publish && inv.config.release.publish != Some(false)
}

fn repository(o: &publish::Options) -> String {
    o.target.repository.clone().unwrap_or_default()
}

pub use planned::planned_steps;
pub use run::apply;
