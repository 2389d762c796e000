//! Running a planned release step by step. The state is written before the
//! first change and after every step; a step already done is not done again
//! (the uploads also skip files the index holds with the same sha256). A
//! complete release keeps its state, every step done, so that running the
//! same command again says so instead of releasing the next version.

use super::github;
use super::{targets, Options, Plan, ReleaseFile, Report, State, Step, StepReport, Upload};
use crate::dist::Artifact;
use crate::git::{Repo, Upstream};
use crate::sources::Inventory;
use crate::steps::{artifacts, build, bump, check_dist, publish, Context, Error};
use std::path::{Path, PathBuf};

/// Makes the release `plan` holds (a dry run lists the steps and changes nothing).
pub fn apply(ctx: &Context, plan: Plan, opts: &Options, ui: &publish::Ui) -> Result<Report, Error> {
    let report = Report {
        version: plan.state.version.clone(),
        tag: plan.state.tag.clone(),
        dry_run: opts.dry_run,
        resumed: plan.resumed,
        steps: Vec::new(),
        diff: String::new(),
        files: Vec::new(),
        uploads: Vec::new(),
    };
    if opts.dry_run {
        return Ok(super::planned::dry_run(ctx, &plan, opts, report));
    }
    let Plan {
        state,
        state_path,
        resumed,
        bump: planned,
        upstream,
        repo,
        ..
    } = plan;
    let mut run = Run {
        state,
        state_path,
        report,
    };
    run.save()?;
    run.bump(ctx, planned.as_ref(), resumed)?;
    let ctx = ctx.refreshed()?;
    let inv = ctx.single()?.inventory;
    run.build(&ctx, &inv, opts)?;
    run.uploads(&ctx, &inv, opts, ui)?;
    run.tag(&ctx, &repo)?;
    run.push(&ctx, &repo, upstream.as_ref(), opts)?;
    let (outcome, detail) = match github::skipped(&inv, opts) {
        Some(reason) => ("skipped", reason.to_string()),
        None => github::step(&ctx, &inv, &run.state, &repo, upstream.as_ref())?,
    };
    run.record(Step::GithubRelease, outcome, detail)?;
    // The state stays, every step done: a re-run says the release is complete
    // until something is committed after it.
    Ok(run.report)
}

/// A release under way: its state, saved after every step, and its report.
struct Run {
    state: State,
    state_path: PathBuf,
    report: Report,
}

impl Run {
    fn save(&self) -> Result<(), Error> {
        self.state.save(&self.state_path).map_err(|e| {
            Error::Refused(format!(
                "cannot write the release state {}: {e}",
                self.state_path.display()
            ))
        })
    }

    /// Marks `step` done, reports it, saves the state.
    fn record(&mut self, step: Step, outcome: &'static str, detail: String) -> Result<(), Error> {
        if !self.state.is_done(step) {
            self.state.done.push(step);
        }
        self.report.steps.push(StepReport {
            step: step.name(),
            outcome,
            detail,
        });
        self.save()
    }

    /// Bumps and commits (see [`bump_step`]); a new release whose bump fails
    /// leaves no state behind, since the bump undoes its own writes.
    fn bump(
        &mut self,
        ctx: &Context,
        planned: Option<&bump::Plan>,
        resumed: bool,
    ) -> Result<(), Error> {
        if self.state.is_done(Step::Bump) {
            let detail = self.state.version.clone();
            return self.record(Step::Bump, "already done", detail);
        }
        let id = bump_step(ctx, planned, &self.state).inspect_err(|_| {
            if !resumed {
                let _ = std::fs::remove_file(&self.state_path);
            }
        })?;
        self.state.commit = id.or(self.state.commit.take());
        let detail = format!("{} committed", self.state.version);
        self.record(Step::Bump, "done", detail)
    }

    fn build(&mut self, ctx: &Context, inv: &Inventory, opts: &Options) -> Result<(), Error> {
        if self.state.is_done(Step::Build) {
            let detail = names(&self.state.artifacts);
            return self.record(Step::Build, "already done", detail);
        }
        // Without publishing, the build only proves the release builds: CI
        // builds the platforms and checks the expected set when it publishes.
        let wheels = match super::publishes(inv, opts) {
            true => inv.config.release.wheels.as_slice(),
            false => &[],
        };
        let (files, checked) = build_step(ctx, opts.dist.as_deref(), wheels)?;
        self.state.artifacts = files;
        self.report.files = checked.iter().map(release_file).collect();
        // The summary lists them, with their sizes and sha256.
        let detail = match checked.len() {
            1 => "1 file checked, listed below".to_string(),
            n => format!("{n} files checked, listed below"),
        };
        self.record(Step::Build, "done", detail)
    }

    /// Staging, then production: each asked for and not done yet.
    fn uploads(
        &mut self,
        ctx: &Context,
        inv: &Inventory,
        opts: &Options,
        ui: &publish::Ui,
    ) -> Result<(), Error> {
        let all_targets = targets(inv, opts);
        for (name, step) in [("staging", Step::Staging), ("production", Step::Production)] {
            let Some((_, options)) = all_targets.iter().find(|(n, _)| *n == name) else {
                self.record(step, "skipped", "not asked for".into())?;
                continue;
            };
            let repository = options.target.repository.clone().unwrap_or_default();
            if self.state.is_done(step) {
                self.record(step, "already done", repository)?;
                continue;
            }
            let (checked, sent) = upload_step(ctx, &self.state.artifacts, options, ui)?;
            if self.report.files.is_empty() {
                self.report.files = checked.iter().map(release_file).collect();
            }
            self.report.uploads.push(Upload {
                step: step.name(),
                repository: repository.clone(),
                files: sent.files,
            });
            let detail = format!(
                "{repository}: {}, installed",
                sent_summary(sent_files(&self.report))
            );
            self.record(step, "done", detail)?;
        }
        Ok(())
    }

    /// The annotated tag on the release commit; one made meanwhile on another
    /// commit stops the release.
    fn tag(&mut self, ctx: &Context, repo: &Repo) -> Result<(), Error> {
        let tag = self.state.tag.clone();
        match repo.tag_commit(&tag)? {
            Some(at) if self.state.commit.as_ref().is_some_and(|c| *c != at) => {
                Err(Error::Refused(format!(
                    "tag `{tag}` points at {at}, not at the release commit {}: delete it (`git tag -d {tag}`) and run the release again",
                    self.state.commit.as_deref().unwrap_or_default()
                )))
            }
            Some(_) => self.record(Step::Tag, "already done", tag),
            None => {
                repo.annotated_tag(&tag, &self.state.tag_message)?;
                ctx.reporter.status("Tagged", &tag);
                self.record(Step::Tag, "done", tag)
            }
        }
    }

    /// The branch and the tag, together, to the upstream.
    fn push(
        &mut self,
        ctx: &Context,
        repo: &Repo,
        upstream: Option<&Upstream>,
        opts: &Options,
    ) -> Result<(), Error> {
        match (upstream, opts.no_push) {
            (_, true) => self.record(Step::Push, "skipped", "--no-push".into()),
            (None, false) => self.record(Step::Push, "skipped", "no upstream".into()),
            (Some(up), false) if self.state.is_done(Step::Push) => {
                self.record(Step::Push, "already done", up.remote.clone())
            }
            (Some(up), false) => {
                repo.push_atomic(up, &self.state.tag)?;
                let detail = format!("{} and {} to {}", up.branch, self.state.tag, up.remote);
                ctx.reporter.status("Pushed", &detail);
                self.record(Step::Push, "done", detail)
            }
        }
    }
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
/// checks the set against `[tool.cargo-pypi.release] wheels`: the files and
/// what the check read in them.
fn build_step(
    ctx: &Context,
    dist: Option<&Path>,
    wheels: &[String],
) -> Result<(Vec<PathBuf>, Vec<Artifact>), Error> {
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
    Ok((files, artifacts))
}

/// Uploads the files (the publish step sends the wheels first and the sdist
/// last: a run cut short never leaves an sdist-only release that makes pip
/// compile from source), then verifies the install once every file is there:
/// the files as checked, and the publish's report.
fn upload_step(
    ctx: &Context,
    files: &[PathBuf],
    options: &publish::Options,
    ui: &publish::Ui,
) -> Result<(Vec<Artifact>, publish::Report), Error> {
    let mut o = options.clone();
    o.files = files.to_vec();
    o.verify_install = true;
    let plan = publish::plan(ctx, &o)?;
    let report = publish::apply(ctx, &plan, &o, ui)?;
    Ok((plan.artifacts, report))
}

/// The files of the upload just recorded.
fn sent_files(report: &Report) -> &[publish::FileOutcome] {
    report.uploads.last().map_or(&[], |u| u.files.as_slice())
}

/// `2 uploaded`, `1 uploaded, 1 already there`, `all 2 already there`.
fn sent_summary(files: &[publish::FileOutcome]) -> String {
    use crate::publish::upload::Outcome;
    let count = |o: Outcome| files.iter().filter(|f| f.outcome == o).count();
    match (count(Outcome::Uploaded), count(Outcome::AlreadyThere)) {
        (n, 0) => format!("{n} uploaded"),
        (0, n) => format!("all {n} already there"),
        (n, there) => format!("{n} uploaded, {there} already there"),
    }
}

fn release_file(a: &Artifact) -> ReleaseFile {
    ReleaseFile {
        file: crate::display::file_name(&a.path),
        size: a.size,
        sha256: a.sha256.clone(),
    }
}

fn names(files: &[PathBuf]) -> String {
    let names: Vec<String> = files.iter().map(|f| crate::display::file_name(f)).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::upload::Outcome;

    #[test]
    fn the_upload_steps_detail_counts_what_was_sent_and_what_was_there() {
        let file = |outcome: Outcome| publish::FileOutcome {
            file: "f".into(),
            sha256: String::new(),
            outcome,
            attestations: 0,
        };
        let (up, there) = (Outcome::Uploaded, Outcome::AlreadyThere);
        let cases = [
            (vec![file(up.clone()), file(up.clone())], "2 uploaded"),
            (
                vec![file(up.clone()), file(there.clone())],
                "1 uploaded, 1 already there",
            ),
            (
                vec![file(there.clone()), file(there)],
                "all 2 already there",
            ),
        ];
        for (files, expected) in cases {
            assert_eq!(sent_summary(&files), expected);
        }
    }
}
