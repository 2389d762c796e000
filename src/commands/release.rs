//! `cargo pypi release`: the whole release as one resumable run (the release
//! step's plan, one confirmation, its apply), `--abort`, and the report.

use super::{Context, Error, Render};
use crate::git::Repo;
pub use crate::steps::publish::Ui;
use crate::steps::release::{self, State};
pub use crate::steps::release::{Options, Report};

pub fn run(ctx: &Context, opts: &Options, ui: &Ui) -> Result<Report, Error> {
    let plan = release::plan(ctx, opts)?;
    let ask = !opts.dry_run && !plan.resumed && opts.publish.interactive && !opts.publish.yes;
    if ask {
        let remote = plan
            .upstream
            .as_ref()
            .map(|u| format!("{}/{}", u.remote, u.branch));
        let steps = crate::steps::release::planned_steps(
            &plan.state,
            &plan.targets,
            remote,
            &plan.github,
            opts,
        );
        let lines: Vec<String> = steps
            .iter()
            .map(|(s, d)| format!("  {:>14}  {d}", s.name()))
            .collect();
        let question = format!(
            "Release {}:\n{}\nGo on?",
            plan.state.version,
            lines.join("\n")
        );
        if !(ui.confirm)(&question) {
            return Err(Error::Refused(
                "release cancelled; nothing was changed".into(),
            ));
        }
    }
    release::apply(ctx, plan, opts, ui)
}

/// `--abort`: drops the release in progress; nothing published is undone.
pub fn abort(ctx: &Context) -> Result<Report, Error> {
    let root = &ctx.project.root;
    let repo = Repo::discover(root)?
        .ok_or_else(|| Error::Refused(format!("{} is not in a git repository", root.display())))?;
    let path = State::path(repo.git_dir());
    let state = State::load(&path)?
        .ok_or_else(|| Error::Refused("no release is in progress; nothing to abort".into()))?;
    std::fs::remove_file(&path)
        .map_err(|e| Error::Refused(format!("cannot remove {}: {e}", path.display())))?;
    Ok(Report {
        version: state.version,
        tag: state.tag,
        dry_run: false,
        resumed: false,
        steps: Vec::new(),
        diff: String::new(),
    })
}

impl Render for Report {
    fn human(&self) -> String {
        let mut out = self.diff.clone();
        for s in &self.steps {
            out.push_str(&format!(
                "{:>14}  {:<12}  {}\n",
                s.step, s.outcome, s.detail
            ));
        }
        out
    }

    fn closing_status(&self) -> Option<(&'static str, String)> {
        let what = format!("{} ({})", self.version, self.tag);
        Some(match (self.dry_run, self.steps.is_empty()) {
            (true, _) => (
                "Finished",
                format!("dry run of the release of {what}; nothing was changed"),
            ),
            (false, true) => (
                "Aborted",
                format!("the release of {what}; nothing published was undone"),
            ),
            (false, false) => ("Released", what),
        })
    }
}
