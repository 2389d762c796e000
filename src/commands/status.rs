//! `cargo pypi status`: every place the release version lives, its value, and
//! whether they agree.

use super::{Context, Error, Render};
use crate::sources::{Inventory, Spelling};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Report {
    pub packages: Vec<PackageStatus>,
}

#[derive(Debug, Serialize)]
pub struct PackageStatus {
    pub name: String,
    pub semver: String,
    pub pep440: String,
    pub backend: String,
    pub pyproject: String,
    pub agree: bool,
    pub sources: Vec<Source>,
    pub derived: Vec<Derived>,
    pub changelog: Option<ChangelogStatus>,
}

#[derive(Debug, Serialize)]
pub struct Source {
    pub file: String,
    pub line: usize,
    pub what: String,
    pub spelling: Spelling,
    pub found: String,
    pub expected: String,
    pub agrees: bool,
}

#[derive(Debug, Serialize)]
pub struct Derived {
    pub file: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct ChangelogStatus {
    pub file: String,
    /// Line of the Unreleased heading.
    pub unreleased: Option<usize>,
    /// Line of the section for the current version.
    pub current: Option<usize>,
}

impl ChangelogStatus {
    pub fn ok(&self) -> bool {
        self.unreleased.is_some() || self.current.is_some()
    }
}

pub fn run(ctx: &Context) -> Result<Report, Error> {
    let packages = ctx
        .inventories()?
        .iter()
        .map(|inv| package_status(ctx, inv))
        .collect();
    Ok(Report { packages })
}

pub fn package_status(ctx: &Context, inv: &Inventory) -> PackageStatus {
    let sources: Vec<Source> = inv
        .occurrences
        .iter()
        .map(|o| Source {
            file: ctx.show(&o.file),
            line: o.line,
            what: o.what.clone(),
            spelling: o.spelling,
            found: o.found.clone(),
            expected: o.expected(&inv.version),
            agrees: o.agrees(&inv.version),
        })
        .collect();
    let changelog = inv.changelog.as_ref().map(|c| ChangelogStatus {
        file: ctx.show(&c.path),
        unreleased: c.parsed.unreleased_line(),
        current: c
            .parsed
            .find(&[&inv.version.semver(), &inv.version.pep440()])
            .map(|s| s.line),
    });
    let agree =
        sources.iter().all(|s| s.agrees) && changelog.as_ref().is_none_or(ChangelogStatus::ok);
    PackageStatus {
        name: inv.name.clone(),
        semver: inv.version.semver(),
        pep440: inv.version.pep440(),
        backend: inv.backend.clone(),
        pyproject: ctx.show(&inv.pyproject),
        agree,
        sources,
        derived: inv
            .derived
            .iter()
            .map(|(f, note)| Derived {
                file: ctx.show(f),
                note: note.clone(),
            })
            .collect(),
        changelog,
    }
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
            let verdict = if p.agree {
                "all sources agree"
            } else {
                "sources DISAGREE: `cargo pypi check` lists them"
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
        let (mark, expected) = if s.agrees {
            ("ok", String::new())
        } else {
            ("MISMATCH", format!(" (expected {})", s.expected))
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
        rows.push(match (c.unreleased, c.current) {
            (Some(l), _) => (
                "ok",
                format!("{}:{l}", c.file),
                "changelog: Unreleased section".into(),
            ),
            (None, Some(l)) => (
                "ok",
                format!("{}:{l}", c.file),
                format!("changelog: section for {}", p.pep440),
            ),
            (None, None) => (
                "MISSING",
                c.file.clone(),
                format!(
                    "changelog: no Unreleased section and no section for {}",
                    p.pep440
                ),
            ),
        });
    }
    rows
}
