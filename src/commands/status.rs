//! `cargo pypi status`: every place the release version lives, its value, and
//! whether they agree.

use super::{Context, Error, Render};
use crate::steps::lockstep::{package_status, ChangelogStatus, PackageStatus};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Report {
    pub packages: Vec<PackageStatus>,
}

pub fn run(ctx: &Context) -> Result<Report, Error> {
    let packages = ctx
        .inventories()?
        .iter()
        .map(|inv| package_status(ctx, inv))
        .collect();
    Ok(Report { packages })
}

impl Render for Report {
    fn ok(&self) -> bool {
        self.packages.iter().all(|p| p.agree)
    }

    /// A block per package, a line per source.
    fn human(&self) -> String {
        let mut out = String::new();
        for p in &self.packages {
            let spelling = if p.semver == p.pep440 {
                String::new()
            } else {
                format!(" (Python {})", p.pep440)
            };
            out.push_str(&format!(
                "{} {}{}  [{}, {}]\n",
                p.name, p.semver, spelling, p.backend, p.pyproject
            ));
            let rows = rows(p);
            let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
            for (mark, at, text) in &rows {
                out.push_str(&format!("  {mark:>8}  {at:<width$}  {text}\n"));
            }
            let behind = p.sources.iter().filter(|s| s.lock && !s.agrees).count();
            let verdict = match (p.agree, behind) {
                (true, 0) => "all sources agree".to_string(),
                (true, n) => format!("all sources agree ({n} lock entry behind)"),
                (false, _) => "sources DISAGREE: `cargo pypi check` lists them".to_string(),
            };
            out.push_str(&format!("  {verdict}\n"));
        }
        out
    }
}

/// `(mark, file:line, text)` for every source, derived note and the changelog.
fn rows(p: &PackageStatus) -> Vec<(&'static str, String, String)> {
    let mut rows = Vec::new();
    for s in &p.sources {
        let (mark, expected) = match (s.agrees, s.lock) {
            (true, _) => ("ok", String::new()),
            (false, true) => (
                "behind",
                format!(" (expected {}; cargo/uv update it)", s.expected),
            ),
            (false, false) => ("MISMATCH", format!(" (expected {})", s.expected)),
        };
        rows.push((
            mark,
            format!("{}:{}", s.file, s.line),
            format!("{}: {}{expected}", s.what, s.found),
        ));
    }
    for d in &p.derived {
        rows.push(("derived", d.file.clone(), d.note.clone()));
    }
    if let Some(c) = &p.changelog {
        rows.push(changelog_row(c, &p.pep440));
    }
    rows
}

fn changelog_row(c: &ChangelogStatus, version: &str) -> (&'static str, String, String) {
    if let Some(evidence) = &c.towncrier {
        let text = format!("changelog: assembled by towncrier ({evidence}): not checked or edited");
        return ("managed", c.file.clone(), text);
    }
    if let Some(newest) = &c.newest {
        let text = format!("changelog: its newest section is {newest}, long before {version}, and it has no Unreleased section: kept by nobody, so not checked or edited");
        return ("skipped", c.file.clone(), text);
    }
    if c.role != "kept" {
        let text = "changelog: no version heading, so not a changelog: not checked or edited";
        return ("skipped", c.file.clone(), text.into());
    }
    match (c.unreleased, c.current) {
        (Some(l), _) => (
            "ok",
            format!("{}:{l}", c.file),
            "changelog: Unreleased section".into(),
        ),
        (None, Some(l)) => (
            "ok",
            format!("{}:{l}", c.file),
            format!("changelog: section for {version}"),
        ),
        (None, None) => (
            "MISSING",
            c.file.clone(),
            format!("changelog: no Unreleased section and no section for {version}"),
        ),
    }
}
