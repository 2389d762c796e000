//! Running a planned release step by step. The state is written before the
//! first change and after every step; a step already done is not done again
//! (the uploads also skip files the index holds with the same sha256). A
//! complete release keeps its state, every step done, so that running the
//! same command again says so instead of releasing the next version.

use super::github;
use super::{targets, Options, Plan, Report, State, Step, StepReport};
use crate::steps::{artifacts, build, bump, check_dist, publish, Context, Error};
use std::path::{Path, PathBuf};

/// Makes the release `plan` holds (a dry run lists the steps and changes nothing).
pub fn apply(ctx: &Context, plan: Plan, opts: &Options, ui: &publish::Ui) -> Result<Report, Error> {
    let Plan {
        mut state,
        state_path,
        resumed,
        bump: planned,
        upstream,
        repo,
        targets: named,
        github: planned_github_step,
    } = plan;
    let mut report = Report {
        version: state.version.clone(),
        tag: state.tag.clone(),
        dry_run: opts.dry_run,
        resumed,
        steps: Vec::new(),
        diff: String::new(),
    };
    if opts.dry_run {
        let remote = upstream
            .as_ref()
            .map(|u| format!("{}/{}", u.remote, u.branch));
        if let Some(plan) = &planned {
            report.diff = bump::diff(ctx, plan);
        }
        for (step, detail) in planned_steps(&state, &named, remote, &planned_github_step, opts) {
            let skipped = detail
                .strip_prefix("skipped")
                .map(|d| d.trim_start_matches([':', ' ']));
            let (outcome, detail) = match skipped {
                _ if state.is_done(step) => ("already done", detail.as_str()),
                Some(reason) => ("skipped", reason),
                None => ("planned", detail.as_str()),
            };
            report.steps.push(StepReport {
                step: step.name(),
                outcome,
                detail: detail.to_owned(),
            });
        }
        return Ok(report);
    }
    let save = |state: &State| {
        state.save(&state_path).map_err(|e| {
            Error::Refused(format!(
                "cannot write the release state {}: {e}",
                state_path.display()
            ))
        })
    };
    save(&state)?;
    let mut record = |state: &mut State, step: Step, outcome: &'static str, detail: String| {
        if !state.is_done(step) {
            state.done.push(step);
        }
        report.steps.push(StepReport {
            step: step.name(),
            outcome,
            detail,
        });
        save(state)
    };

    if state.is_done(Step::Bump) {
        let detail = state.version.clone();
        record(&mut state, Step::Bump, "already done", detail)?;
    } else {
        let id = bump_step(ctx, planned.as_ref(), &state).inspect_err(|_| {
            // The bump undoes its own writes: nothing happened, nothing to resume.
            if !resumed {
                let _ = std::fs::remove_file(&state_path);
            }
        })?;
        state.commit = id.or(state.commit.take());
        let detail = format!("{} committed", state.version);
        record(&mut state, Step::Bump, "done", detail)?;
    }
    let ctx = ctx.refreshed()?;
    let inv = ctx.single()?.inventory;

    if state.is_done(Step::Build) {
        let detail = names(&state.artifacts);
        record(&mut state, Step::Build, "already done", detail)?;
    } else {
        // Without publishing, the build only proves the release builds: CI
        // builds the platforms and checks the expected set when it publishes.
        let wheels = match super::publishes(&inv, opts) {
            true => inv.config.release.wheels.as_slice(),
            false => &[],
        };
        state.artifacts = build_step(&ctx, opts.dist.as_deref(), wheels)?;
        let detail = names(&state.artifacts);
        record(&mut state, Step::Build, "done", detail)?;
    }

    let all_targets = targets(&inv, opts);
    for (name, step) in [("staging", Step::Staging), ("production", Step::Production)] {
        let Some((_, options)) = all_targets.iter().find(|(n, _)| *n == name) else {
            record(&mut state, step, "skipped", "not asked for".into())?;
            continue;
        };
        let repository = options.target.repository.clone().unwrap_or_default();
        if state.is_done(step) {
            record(&mut state, step, "already done", repository)?;
            continue;
        }
        upload_step(&ctx, &state.artifacts, options, ui)?;
        record(
            &mut state,
            step,
            "done",
            format!("{repository}: uploaded and installed"),
        )?;
    }

    let tag = state.tag.clone();
    match repo.tag_commit(&tag)? {
        Some(at) if state.commit.as_ref().is_some_and(|c| *c != at) => {
            return Err(Error::Refused(format!(
                "tag `{tag}` points at {at}, not at the release commit {}: delete it (`git tag -d {tag}`) and run the release again",
                state.commit.as_deref().unwrap_or_default()
            )));
        }
        Some(_) => record(&mut state, Step::Tag, "already done", tag)?,
        None => {
            repo.annotated_tag(&tag, &state.tag_message)?;
            ctx.reporter.status("Tagged", &tag);
            record(&mut state, Step::Tag, "done", tag)?;
        }
    }

    match (&upstream, opts.no_push) {
        (_, true) => record(&mut state, Step::Push, "skipped", "--no-push".into())?,
        (None, false) => record(&mut state, Step::Push, "skipped", "no upstream".into())?,
        (Some(up), false) if state.is_done(Step::Push) => {
            record(&mut state, Step::Push, "already done", up.remote.clone())?
        }
        (Some(up), false) => {
            repo.push_atomic(up, &state.tag)?;
            let detail = format!("{} and {} to {}", up.branch, state.tag, up.remote);
            ctx.reporter.status("Pushed", &detail);
            record(&mut state, Step::Push, "done", detail)?;
        }
    }
    let (outcome, detail) = match github::skipped(&inv, opts) {
        Some(reason) => ("skipped", reason.to_string()),
        None => github::step(&ctx, &inv, &state, &repo, upstream.as_ref())?,
    };
    record(&mut state, Step::GithubRelease, outcome, detail)?;
    // The state stays, every step done: a re-run says the release is complete
    // until something is committed after it.
    Ok(report)
}

/// Bumps and commits; on a resumed release whose bump did not happen, plans
/// it again for the recorded version. The release commit's id.
fn bump_step(
    ctx: &Context,
    planned: Option<&bump::Plan>,
    state: &State,
) -> Result<Option<String>, Error> {
    if let Some(plan) = planned {
        return bump::apply(ctx, plan);
    }
    let inv = ctx.single()?.inventory;
    if inv.version.pep440() == state.version {
        return Ok(None);
    }
    let version = crate::version::ReleaseVersion::parse_pep440(&state.version)
        .map_err(|e| Error::Input(format!("the release state names {}: {e}", state.version)))?;
    let options = bump::Options {
        commit: Some(true),
        tag: Some(false),
        ..bump::Options::default()
    };
    let plan = bump::plan(ctx, &bump::Target::Exact(version), &options)?;
    bump::apply(ctx, &plan)
}

/// Builds the sdist and wheel (or takes `dist`'s), checks every file, and
/// checks the set against `[tool.cargo-pypi.release] wheels`.
fn build_step(
    ctx: &Context,
    dist: Option<&Path>,
    wheels: &[String],
) -> Result<Vec<PathBuf>, Error> {
    let files = match dist {
        Some(dir) => artifacts::release_artifacts(ctx, Some(dir))?,
        None => {
            let plan = build::plan(ctx, None)?;
            let built = build::apply(ctx, &plan)?;
            built.files.into_iter().map(|f| f.path).collect()
        }
    };
    let checked = check_dist::apply(&check_dist::plan(Some(ctx), &files, None)?)?;
    let artifacts = checked.into_clean()?;
    let fix = "build it (or download it from CI) and pass the folder with --dist";
    publish::expected_set(&artifacts, wheels, fix)?;
    Ok(files)
}

/// Uploads the files (the publish step sends the wheels first and the sdist
/// last: a run cut short never leaves an sdist-only release that makes pip
/// compile from source), then verifies the install once every file is there.
fn upload_step(
    ctx: &Context,
    files: &[PathBuf],
    options: &publish::Options,
    ui: &publish::Ui,
) -> Result<(), Error> {
    let mut o = options.clone();
    o.files = files.to_vec();
    o.verify_install = true;
    let plan = publish::plan(ctx, &o)?;
    publish::apply(ctx, &plan, &o, ui)?;
    Ok(())
}

fn names(files: &[PathBuf]) -> String {
    let names: Vec<String> = files.iter().map(|f| crate::display::file_name(f)).collect();
    names.join(", ")
}

/// What each step will do, for `--dry-run` and the confirmation.
pub fn planned_steps(
    state: &State,
    targets: &[(String, String)],
    remote: Option<String>,
    github: &str,
    opts: &Options,
) -> Vec<(Step, String)> {
    let mut steps = vec![
        (Step::Bump, format!("version {} and commit", state.version)),
        (
            Step::Build,
            match &opts.dist {
                Some(dir) => format!("take the artifacts in {} and check them", dir.display()),
                None => "build the sdist and a wheel, and check them".into(),
            },
        ),
    ];
    for (step, name) in [(Step::Staging, "staging"), (Step::Production, "production")] {
        let detail = targets
            .iter()
            .find(|(n, _)| n == name)
            .map_or("skipped: not asked for".into(), |(_, r)| {
                format!("upload to `{r}` (wheels, then the sdist) and verify the install")
            });
        steps.push((step, detail));
    }
    steps.push((Step::Tag, format!("annotated tag {}", state.tag)));
    let push = match (opts.no_push, remote) {
        (true, _) => "skipped (--no-push)".into(),
        (false, Some(remote)) => format!("push the branch and {} to {remote}", state.tag),
        (false, None) => "skipped: no upstream".into(),
    };
    steps.push((Step::Push, push));
    steps.push((Step::GithubRelease, github.to_owned()));
    steps
}
