//! `cargo pypi bump`: move every version source to the next version in one
//! all-or-nothing write, release the changelog, then optionally commit and tag
//! (the bump step's plan; its diff on a dry run, else its apply and tag).

use super::{Context, Error, Render};
use crate::changelog::Outcome;
use crate::steps::bump;
pub use crate::steps::bump::{Options, Target};
use crate::version::ReleaseVersion;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Report {
    pub name: String,
    pub from: Spellings,
    pub to: Spellings,
    pub dry_run: bool,
    /// Changed files, relative to the repository root.
    pub files: Vec<String>,
    /// Unified diff of every change (dry run only).
    pub diff: Option<String>,
    pub commit: Option<String>,
    pub tag: Option<String>,
    /// What happened to the changelog, when there is one that cargo-pypi keeps.
    pub changelog: Option<ChangelogReport>,
    /// Also shown as warnings on stderr: notes still to be written.
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ChangelogReport {
    pub file: String,
    /// `rotated` (Unreleased became the release), `added` (a section without
    /// notes), or `unchanged` (the release already had a section).
    pub action: &'static str,
    /// Line of the release's heading, when known before writing.
    pub line: Option<usize>,
    /// The release's section has no notes yet.
    pub notes_to_write: bool,
}

#[derive(Debug, Serialize)]
pub struct Spellings {
    pub semver: String,
    pub pep440: String,
}

impl From<&ReleaseVersion> for Spellings {
    fn from(v: &ReleaseVersion) -> Spellings {
        Spellings {
            semver: v.semver(),
            pep440: v.pep440(),
        }
    }
}

pub fn run(ctx: &Context, target: &Target, opts: &Options) -> Result<Report, Error> {
    let plan = bump::plan(ctx, target, opts)?;
    let mut report = Report {
        name: plan.inventory.name.clone(),
        from: (&plan.inventory.version).into(),
        to: (&plan.next).into(),
        dry_run: opts.dry_run,
        files: plan.changes.iter().map(|c| ctx.show(&c.path)).collect(),
        diff: None,
        commit: None,
        tag: None,
        changelog: None,
        warnings: Vec::new(),
    };
    changelog_report(ctx, &plan, opts.dry_run, &mut report);
    if opts.dry_run {
        report.diff = Some(bump::diff(ctx, &plan));
    } else {
        report.commit = bump::apply(ctx, &plan)?;
        report.tag = bump::tag(ctx, &plan)?;
    }
    for warning in &report.warnings {
        ctx.reporter.warn(warning);
    }
    Ok(report)
}

/// The changelog part of the report, and a warning when the release's
/// section has no notes.
fn changelog_report(ctx: &Context, plan: &bump::Plan, dry_run: bool, report: &mut Report) {
    let (Some(file), Some(outcome)) = (&plan.inventory.changelog, plan.changelog) else {
        return;
    };
    let (shown, version) = (ctx.show(&file.path), &plan.heading);
    let (added, was) = match dry_run {
        true => ("would add", "is"),
        false => ("added", "was"),
    };
    let (action, line, notes_to_write) = match outcome {
        Outcome::Rotated { empty } => ("rotated", None, empty),
        Outcome::Added { line } => ("added", Some(line), true),
        Outcome::Exists { line } => ("unchanged", Some(line), false),
    };
    match outcome {
        Outcome::Rotated { empty: true } => report.warnings.push(format!("{shown}: the Unreleased section {was} empty, so the notes for {version} are still to be written")),
        Outcome::Added { .. } => report.warnings.push(format!("{shown}: {added} a section for {version}; its notes are still to be written")),
        _ => {}
    }
    report.changelog = Some(ChangelogReport {
        file: shown,
        action,
        line,
        notes_to_write,
    });
}

impl Render for Report {
    /// The dry run's diff; nothing otherwise (the steps were reported as they ran).
    fn human(&self) -> String {
        self.diff.clone().unwrap_or_default()
    }

    fn closing_status(&self) -> Option<(&'static str, String)> {
        self.diff.as_ref().map(|_| {
            let message = format!(
                "{} {} -> {} ({} files; dry run, nothing written)",
                self.name,
                self.from.pep440,
                self.to.pep440,
                self.files.len()
            );
            ("Would bump", message)
        })
    }
}
