//! The lockstep check: every version source of a package against its release
//! version, and the changelog's section for it. `status` shows it, `check`
//! (the pre-commit hook) judges it, and a release starts from it.

use super::Context;
use crate::sources::{Inventory, Role, Spelling};
use serde::Serialize;

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
    /// An entry of Cargo.lock or uv.lock: when behind, a warning, not a failure.
    pub lock: bool,
}

#[derive(Debug, Serialize)]
pub struct Derived {
    pub file: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct ChangelogStatus {
    pub file: String,
    /// `kept` (checked and edited), `not-a-changelog` (no version heading),
    /// `towncrier` (assembled at release time), `stale` (stopped long ago).
    pub role: &'static str,
    /// What says towncrier is in use (`[tool.towncrier]`, `changelog.d/`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub towncrier: Option<String>,
    /// The newest section of a stale changelog.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newest: Option<String>,
    /// Line of the Unreleased heading.
    pub unreleased: Option<usize>,
    /// Line of the section for the current version.
    pub current: Option<usize>,
    /// A heading for the current version in the file's style (`YYYY-MM-DD`
    /// for the date), for the message when the section is missing.
    pub suggested_heading: String,
}

impl ChangelogStatus {
    /// Only a changelog that keeps versions needs a section for this one.
    pub fn ok(&self) -> bool {
        self.role != "kept" || self.unreleased.is_some() || self.current.is_some()
    }
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
            lock: o.in_lock_file(),
        })
        .collect();
    let changelog = inv.changelog.as_ref().map(|c| ChangelogStatus {
        file: ctx.show(&c.path),
        role: match c.role {
            Role::Kept => "kept",
            Role::NotAChangelog => "not-a-changelog",
            Role::Towncrier(_) => "towncrier",
            Role::Stale(_) => "stale",
        },
        towncrier: match &c.role {
            Role::Towncrier(evidence) => Some(evidence.clone()),
            _ => None,
        },
        newest: match &c.role {
            Role::Stale(newest) => Some(newest.clone()),
            _ => None,
        },
        unreleased: c.parsed.unreleased_line(),
        current: c
            .parsed
            .find(&[&inv.version.semver(), &inv.version.pep440()])
            .map(|s| s.line),
        suggested_heading: c.parsed.suggested_heading(&inv.version.pep440()),
    });
    let agree = sources.iter().all(|s| s.agrees || s.lock)
        && changelog.as_ref().is_none_or(ChangelogStatus::ok);
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
