//! `cargo pypi check`: read-only lockstep check, made to run on every commit.

use super::{Context, Error, Render};
use crate::steps::lockstep::{package_status, PackageStatus};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Report {
    pub ok: bool,
    /// `file:line: found X, expected Y (what)`, one per problem.
    pub problems: Vec<String>,
    /// How many of the problems are version sources out of step, and how
    /// many are changelogs without a section for the current version.
    pub sources: usize,
    pub changelogs: usize,
    /// Lock-file entries that are behind (warnings: cargo and uv update them).
    pub behind: Vec<String>,
    pub packages: Vec<PackageStatus>,
}

pub fn run(ctx: &Context) -> Result<Report, Error> {
    let packages: Vec<PackageStatus> = ctx
        .inventories()?
        .iter()
        .map(|inv| package_status(ctx, inv))
        .collect();
    let mut problems = Vec::new();
    let mut behind = Vec::new();
    let mut changelogs = 0;
    for p in &packages {
        for s in p.sources.iter().filter(|s| !s.agrees) {
            let line = format!(
                "{}:{}: found {}, expected {} ({})",
                s.file, s.line, s.found, s.expected, s.what
            );
            if !s.lock {
                problems.push(line);
                continue;
            }
            ctx.reporter.warn(&format!(
                "{line}: the lock file is behind; cargo and uv update it on the next build or sync, and `cargo pypi bump` rewrites it"
            ));
            behind.push(line);
        }
        if let Some(c) = p.changelog.as_ref().filter(|c| !c.ok()) {
            changelogs += 1;
            problems.push(format!(
                "{}: no `Unreleased` section and no section for {}: write one (`{}`), or set `changelog = false` in `[tool.cargo-pypi]`",
                c.file, p.pep440, c.suggested_heading
            ));
        }
        let agreeing = p.sources.iter().filter(|s| s.agrees).count();
        let agreeing = match p.sources.len() - agreeing {
            0 => format!("{agreeing} sources agree"),
            n => format!("{agreeing} sources agree, {n} lock entries behind"),
        };
        if p.agree {
            ctx.reporter
                .status("Checked", &format!("{} {}: {agreeing}", p.name, p.pep440));
        }
    }
    Ok(Report {
        ok: problems.is_empty(),
        sources: problems.len() - changelogs,
        changelogs,
        behind,
        problems,
        packages,
    })
}

impl Render for Report {
    fn human(&self) -> String {
        self.problems.iter().map(|p| format!("{p}\n")).collect()
    }

    fn failure(&self) -> Option<String> {
        let sources = format!(
            "{} version source(s) out of step; `cargo pypi bump --force <version>` rewrites them all",
            self.sources
        );
        let changelog = "the changelog has no section for the current version: write it, or set `changelog = false` in `[tool.cargo-pypi]`";
        match (self.sources, self.changelogs) {
            (0, 0) => None,
            (_, 0) => Some(sources),
            (0, _) => Some(changelog.to_string()),
            (_, _) => Some(format!("{sources}; and {changelog}")),
        }
    }

    fn ok(&self) -> bool {
        self.ok
    }
}
