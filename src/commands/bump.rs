//! `cargo pypi bump`: move every version source to the next version in one
//! all-or-nothing write, rotate the changelog, then optionally commit and tag
//! (the bump step's plan; its diff on a dry run, else its apply and tag).

use super::{Context, Error, Render};
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
    };
    if opts.dry_run {
        report.diff = Some(bump::diff(ctx, &plan));
        return Ok(report);
    }
    report.commit = bump::apply(ctx, &plan)?;
    report.tag = bump::tag(ctx, &plan)?;
    Ok(report)
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
