//! `cargo pypi release`: the whole release as one resumable run (the release
//! step's plan, one confirmation, its apply), `--abort`, and the report.

use super::{Context, Error, Render};
use crate::display::human_size;
use crate::git::Repo;
pub use crate::steps::publish::Ui;
use crate::steps::release::{self, State};
pub use crate::steps::release::{Options, ReleaseFile, Report, StepReport, Upload};

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
        files: Vec::new(),
        uploads: Vec::new(),
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
        out + &summary(self)
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

/// Each file the run built or uploaded with its size and full sha256 (for
/// audit; on a line of its own to stay within 80 columns), under the indexes
/// it went to: once for all of them when they got the same files.
fn summary(report: &Report) -> String {
    if report.files.is_empty() {
        return String::new();
    }
    let all = sorted(report.files.iter().map(|f| &f.file));
    let same = report
        .uploads
        .iter()
        .all(|u| sorted(u.files.iter().map(|f| &f.file)) == all);
    let every = report.files.iter().map(|f| (&f.file, &f.sha256));
    let mut out = String::from("\n");
    match report.uploads.as_slice() {
        [] => out += &format!("Checked, not uploaded:\n{}", rows(report, every)),
        uploads if same => {
            let names: Vec<&str> = uploads.iter().map(|u| u.repository.as_str()).collect();
            let heading = match names.as_slice() {
                [one] => format!("Uploaded to {one}:"),
                [all @ .., last] => format!(
                    "Uploaded to {} and {last} (the same {} to each):",
                    all.join(", "),
                    match report.files.len() {
                        1 => "file".to_string(),
                        n => format!("{n} files"),
                    }
                ),
                [] => unreachable!("matched above"),
            };
            out += &format!("{heading}\n{}", rows(report, every));
        }
        uploads => {
            for u in uploads {
                let sent = u.files.iter().map(|f| (&f.file, &f.sha256));
                out += &format!("Uploaded to {}:\n{}", u.repository, rows(report, sent));
            }
        }
    }
    out
}

fn sorted<'a>(names: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
    let mut names: Vec<_> = names.collect();
    names.sort_unstable();
    names
}

/// `  NAME (SIZE)` and `    sha256:HEX` for each file.
fn rows<'a>(report: &Report, files: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    let mut out = String::new();
    for (name, sha256) in files {
        let size = report
            .files
            .iter()
            .find(|f| f.file == *name)
            .map(|f| format!(" ({})", human_size(f.size)))
            .unwrap_or_default();
        out += &format!("  {name}{size}\n    sha256:{sha256}\n");
    }
    out
}
