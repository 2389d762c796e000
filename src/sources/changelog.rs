//! Which file is a package's changelog, and who writes it: cargo-pypi when it
//! keeps versions, nobody when it has no version heading (not a changelog), or
//! towncrier, which assembles the notes from fragments at release time.

use crate::changelog::{Changelog, Format};
use crate::config::ChangelogSetting;
use crate::error::ReadError;
use crate::project::{Project, Unit};
use crate::toml_path;
use crate::version::ReleaseVersion;
use std::path::{Path, PathBuf};

/// Looked for beside pyproject.toml, then at the repository root, in this order.
const NAMES: &[&str] = &[
    "CHANGELOG.md",
    "CHANGES.md",
    "HISTORY.md",
    "CHANGELOG.rst",
    "CHANGES.rst",
    "HISTORY.rst",
    "NEWS.md",
    "NEWS.rst",
    "docs/changelog.md",
    "docs/changelog.rst",
];

/// Folders that hold news fragments (towncrier's and scriv's defaults).
const FRAGMENT_DIRS: &[&str] = &["changelog.d", "newsfragments"];

/// The changelog of a package and what it holds.
pub struct ChangelogFile {
    pub path: PathBuf,
    pub text: String,
    pub format: Format,
    pub parsed: Changelog,
    pub role: Role,
}

/// Who writes the changelog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// It keeps versions: `check` wants a section, `bump` writes one.
    Kept,
    /// No version heading (it says where the notes are): not a changelog.
    NotAChangelog,
    /// towncrier assembles it at release time; the evidence found
    /// (`[tool.towncrier]`, `towncrier.toml`, `changelog.d/`…).
    Towncrier(String),
    /// Nobody keeps it any more: no Unreleased section, and its newest section
    /// (the version given) is more than one minor line behind the package
    /// (tokenizers' stops at 0.13.2 under 0.23.3). Not checked or edited.
    Stale(String),
}

impl ChangelogFile {
    /// Whether cargo-pypi checks and edits it.
    pub fn kept(&self) -> bool {
        self.role == Role::Kept
    }

    /// Marks a kept changelog [`Role::Stale`] when it stopped long before
    /// `version`. One line back still counts as kept: notes forgotten for
    /// 1.4.0 under a newest section of 1.3.2 are what `check` is there to catch.
    pub(super) fn judge(&mut self, version: &ReleaseVersion) {
        if !self.kept() || self.parsed.unreleased_line().is_some() {
            return;
        }
        let sections = self.parsed.sections().into_iter().filter_map(|s| {
            let parsed = ReleaseVersion::parse_any(s.version.trim_start_matches(['v', 'V']));
            parsed.ok().map(|v| (line_of(&v), s.version))
        });
        // The highest line; of its sections, the first in the file (the newest).
        let sections: Vec<_> = sections.collect();
        let Some((newest, written)) = sections.into_iter().rev().max_by_key(|(line, _)| *line)
        else {
            return;
        };
        let (major, minor) = line_of(version);
        let within_a_line =
            newest >= (major, minor.saturating_sub(1)) || (minor == 0 && newest.0 + 1 == major);
        if !within_a_line {
            self.role = Role::Stale(written);
        }
    }
}

/// A version's (major, minor).
fn line_of(version: &ReleaseVersion) -> (u64, u64) {
    let semver = semver::Version::parse(&version.semver()).ok();
    semver.map_or((0, 0), |v| (v.major, v.minor))
}

pub(super) fn find(project: &Project, unit: &Unit) -> Result<Option<ChangelogFile>, ReadError> {
    let dir = unit.package.dir();
    let found = match &unit.package.config.changelog {
        ChangelogSetting::Off => return Ok(None),
        ChangelogSetting::Path(p) => return read(&project.root, &dir.join(p), None).map(Some),
        ChangelogSetting::Auto => {
            // Beside pyproject.toml, beside the crate it builds (maturin sdists
            // put a binding crate's own CHANGELOG.md there), then at the root.
            let mut dirs = vec![dir];
            dirs.extend(unit.built.iter().map(|m| m.dir()));
            dirs.push(&project.root);
            dirs.dedup();
            auto(&dirs, &project.root)?
        }
    };
    let Some((evidence, at)) = towncrier(unit, &project.root) else {
        return Ok(found);
    };
    let configured = unit
        .package
        .file
        .string(&toml_path!["tool", "towncrier", "filename"])?
        .map(|s| dir.join(s.value));
    let role = Role::Towncrier(evidence);
    if let Some(path) = configured.as_ref().filter(|p| p.is_file()) {
        return read(&project.root, path, Some(role)).map(Some);
    }
    if let Some(file) = found {
        return Ok(Some(ChangelogFile { role, ..file }));
    }
    // No file yet (the first `towncrier build` writes it): show the evidence.
    let path = configured.unwrap_or(at);
    Ok(Some(ChangelogFile {
        text: String::new(),
        format: Format::of(&path),
        parsed: Changelog::parse(""),
        path,
        role,
    }))
}

/// The first candidate that keeps versions, else the first one found; names
/// in their order, each looked for in `dirs` in turn.
fn auto(dirs: &[&Path], root: &Path) -> Result<Option<ChangelogFile>, ReadError> {
    let mut first = None;
    let candidates = NAMES
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .filter(|p| p.is_file());
    for path in candidates {
        let file = read(root, &path, None)?;
        if file.kept() {
            return Ok(Some(file));
        }
        first.get_or_insert(file);
    }
    Ok(first)
}

/// Reads and parses `path`; without a given role, it is kept when it has a
/// version heading. A path that leads outside the repository (`..`, a
/// symlink) is refused: nothing outside `root` is edited.
fn read(root: &Path, path: &Path, role: Option<Role>) -> Result<ChangelogFile, ReadError> {
    let path = super::occurrence::inside(root, path).map_err(|real| {
        let message = format!(
            "the changelog leads outside the repository, to {}; cargo pypi edits only files inside {}",
            real.display(),
            root.display()
        );
        ReadError::invalid(path, 0, message)
    })?;
    let text = std::fs::read_to_string(&path).map_err(|e| ReadError::io(&path, e))?;
    let format = Format::of(&path);
    let parsed = Changelog::parse_as(&text, format);
    let role = role.unwrap_or(if parsed.keeps_versions() {
        Role::Kept
    } else {
        Role::NotAChangelog
    });
    Ok(ChangelogFile {
        path,
        text,
        format,
        parsed,
        role,
    })
}

/// What says towncrier is in use, beside pyproject.toml or at the root, and
/// where: `[tool.towncrier]`, a `towncrier.toml`, or a news fragment folder.
fn towncrier(unit: &Unit, root: &Path) -> Option<(String, PathBuf)> {
    let pyproject = &unit.package.file;
    if pyproject.get(&toml_path!["tool", "towncrier"]).is_some() {
        return Some(("[tool.towncrier]".to_string(), pyproject.path.clone()));
    }
    let dirs = [unit.package.dir(), root];
    let config = dirs
        .iter()
        .map(|d| d.join("towncrier.toml"))
        .find(|p| p.is_file());
    if let Some(path) = config {
        return Some(("towncrier.toml".to_string(), path));
    }
    FRAGMENT_DIRS.iter().find_map(|name| {
        let path = dirs.iter().map(|d| d.join(name)).find(|p| p.is_dir())?;
        Some((format!("{name}/"), path))
    })
}
