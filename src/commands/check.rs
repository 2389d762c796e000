//! `cargo pypi check`: read-only lockstep check, made to run on every commit.

use super::{Context, Error, Render};
use crate::steps::lockstep::{package_status, PackageStatus};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Report {
    pub ok: bool,
    /// `file:line: found X, expected Y (what)`, one per problem.
    pub problems: Vec<String>,
    pub packages: Vec<PackageStatus>,
}

pub fn run(ctx: &Context) -> Result<Report, Error> {
    let packages: Vec<PackageStatus> = ctx
        .inventories()?
        .iter()
        .map(|inv| package_status(ctx, inv))
        .collect();
    let mut problems = Vec::new();
    for p in &packages {
        for s in p.sources.iter().filter(|s| !s.agrees) {
            problems.push(format!(
                "{}:{}: found {}, expected {} ({})",
                s.file, s.line, s.found, s.expected, s.what
            ));
        }
        if let Some(c) = p.changelog.as_ref().filter(|c| !c.ok()) {
            problems.push(format!(
                "{}: no `Unreleased` section and no section for {} (add `## [Unreleased]`)",
                c.file, p.pep440
            ));
        }
        let agreeing = p.sources.iter().filter(|s| s.agrees).count();
        if p.agree {
            ctx.reporter.status(
                "Checked",
                &format!("{} {}: {agreeing} sources agree", p.name, p.pep440),
            );
        }
    }
    Ok(Report {
        ok: problems.is_empty(),
        problems,
        packages,
    })
}

impl Render for Report {
    fn human(&self) -> String {
        self.problems.iter().map(|p| format!("{p}\n")).collect()
    }

    fn failure(&self) -> Option<String> {
        (!self.ok).then(|| {
            format!(
                "{} version source(s) out of step; `cargo pypi bump --force <version>` rewrites them all",
                self.problems.len()
            )
        })
    }

    fn ok(&self) -> bool {
        self.ok
    }
}
