//! `cargo pypi status`: every place the release version lives, its value, and
//! whether they agree.

use super::{Context, Error};
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

impl Report {
    /// The human rendering: a block per package, a line per source.
    pub fn human(&self) -> String {
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
            let width = p
                .sources
                .iter()
                .map(|s| s.file.len() + digits(s.line) + 1)
                .max()
                .unwrap_or(0);
            for s in &p.sources {
                let at = format!("{}:{}", s.file, s.line);
                let mark = if s.agrees { "ok" } else { "MISMATCH" };
                let expected = if s.agrees {
                    String::new()
                } else {
                    format!(" (expected {})", s.expected)
                };
                out.push_str(&format!(
                    "  {mark:>8}  {at:<width$}  {}: {}{expected}\n",
                    s.what, s.found
                ));
            }
            for d in &p.derived {
                out.push_str(&format!(
                    "  {:>8}  {:<width$}  {}\n",
                    "derived", d.file, d.note
                ));
            }
            if let Some(c) = &p.changelog {
                let (mark, note) = match (c.unreleased, c.current) {
                    (Some(l), _) => ("ok", format!("{}:{l}  Unreleased section", c.file)),
                    (None, Some(l)) => ("ok", format!("{}:{l}  section for {}", c.file, p.pep440)),
                    (None, None) => (
                        "MISSING",
                        format!(
                            "{}  no Unreleased section and no section for {}",
                            c.file, p.pep440
                        ),
                    ),
                };
                out.push_str(&format!("  {mark:>8}  {note}\n"));
            }
            let verdict = if p.agree {
                "all sources agree"
            } else {
                "sources DISAGREE: run `cargo pypi check` for details"
            };
            out.push_str(&format!("  {verdict}\n"));
        }
        out
    }
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}
