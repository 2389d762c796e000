//! Version sources: every place a package's release version is written, found
//! with its file, line and value, and the spelling it must have.
//!
//! Sources only read; [`plan`] turns them into new file contents for a bump.

mod cargo;
mod changelog;
mod occurrence;
mod package_dirs;
pub mod plan;
mod python;
pub mod requirement;

pub use changelog::{ChangelogFile, Role};
use occurrence::inside;
pub use occurrence::{Loc, Occurrence, Spelling};

use crate::error::ReadError;
use crate::project::{display_name, Project, Unit};
use crate::version::ReleaseVersion;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every version source of one package.
pub struct Inventory {
    pub name: String,
    pub backend: String,
    pub pyproject: PathBuf,
    /// `[tool.cargo-pypi]` of the package.
    pub config: crate::config::Config,
    /// The release version: the value of `occurrences[0]`.
    pub version: ReleaseVersion,
    pub occurrences: Vec<Occurrence>,
    /// Sources that follow the others without holding a value (dynamic versions).
    pub derived: Vec<(PathBuf, String)>,
    pub changelog: Option<ChangelogFile>,
    /// Text of every file holding an occurrence.
    pub texts: BTreeMap<PathBuf, String>,
}

impl Inventory {
    /// Finds every source of `unit`. The first crate the package builds (or, with
    /// `crates = []`, the static pyproject version) gives the release version.
    pub fn scan(project: &Project, unit: &Unit) -> Result<Inventory, ReadError> {
        Inventory::scan_or(project, unit, None).map(|(inventory, _)| inventory)
    }

    /// As [`Inventory::scan`]; when the release version cannot be read and a
    /// `fallback` is given (`bump VERSION --force`), takes the fallback as the
    /// current version and returns the read error beside the inventory.
    pub fn scan_or(
        project: &Project,
        unit: &Unit,
        fallback: Option<&ReleaseVersion>,
    ) -> Result<(Inventory, Option<ReadError>), ReadError> {
        let mut texts = BTreeMap::new();
        let mut occurrences = cargo::scan(project, unit, &mut texts)?;
        let mut derived = Vec::new();
        occurrences.extend(python::scan(project, unit, &mut texts, &mut derived)?);
        for manifest in &unit.own_line {
            let name = manifest.name().unwrap_or_default();
            let version = project.crates.version_of(manifest).unwrap_or_default();
            derived.push((
                manifest.path().to_path_buf(),
                format!("crate `{name}` {version} keeps a version of its own (not published, another major version): it does not move; `tool.cargo-pypi.crates = [\"{name}\"]` makes it move"),
            ));
        }
        let (occurrences, texts) = canonical(&project.root, occurrences, texts)?;
        let first = occurrences.first().ok_or_else(|| {
            ReadError::invalid(&unit.package.file.path, 0, "no version found: no crate moves with this package (`tool.cargo-pypi.crates` is empty) and `[project].version` is not static")
        })?;
        let parsed = match first.spelling {
            Spelling::Pep440 => ReleaseVersion::parse_pep440(&first.found),
            _ => ReleaseVersion::parse_semver(&first.found),
        }
        .map_err(|e| {
            let message = format!("{e}; fix it, or let `cargo pypi bump <version> --force` write <version> everywhere");
            ReadError::invalid(&first.file, first.line, message)
        });
        let (version, unreadable) = match (parsed, fallback) {
            (Ok(version), _) => (version, None),
            (Err(e), Some(fallback)) => (fallback.clone(), Some(e)),
            (Err(e), None) => return Err(e),
        };
        let mut changelog = changelog::find(project, unit)?;
        if let Some(file) = changelog.as_mut() {
            file.judge(&version);
        }
        let inventory = Inventory {
            name: display_name(unit.package),
            backend: unit.package.backend.label(),
            pyproject: unit.package.file.path.clone(),
            config: unit.package.config.clone(),
            version,
            occurrences,
            derived,
            changelog,
            texts,
        };
        Ok((inventory, unreadable))
    }

    /// Sources that disagree with the release version, lock files aside.
    pub fn disagreements(&self) -> impl Iterator<Item = &Occurrence> {
        let version = &self.version;
        self.occurrences
            .iter()
            .filter(move |o| !o.in_lock_file() && !o.agrees(version))
    }
}

/// Occurrences keyed by canonical path (a symlinked file is edited at its target),
/// each place once: a `files` search may find what a built-in source found. Text
/// ranges that overlap without being equal cannot both be rewritten and are refused,
/// and so is a file whose target is outside the repository.
fn canonical(
    root: &Path,
    occurrences: Vec<Occurrence>,
    texts: BTreeMap<PathBuf, String>,
) -> Result<(Vec<Occurrence>, BTreeMap<PathBuf, String>), ReadError> {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let texts: BTreeMap<PathBuf, String> = texts.into_iter().map(|(p, t)| (real(&p), t)).collect();
    let mut out: Vec<Occurrence> = Vec::with_capacity(occurrences.len());
    for mut occurrence in occurrences {
        occurrence.file = inside(root, &occurrence.file).map_err(|real| {
            let message = format!(
                "{} leads outside the repository, to {}; cargo pypi edits only files inside {}",
                occurrence.what,
                real.display(),
                root.display()
            );
            ReadError::invalid(&occurrence.file, occurrence.line, message)
        })?;
        let mut duplicate = false;
        for other in out.iter().filter(|o| o.file == occurrence.file) {
            match (&other.loc, &occurrence.loc) {
                (Loc::Toml(a), Loc::Toml(b)) if a == b => duplicate = true,
                (Loc::Text(a), Loc::Text(b)) if a == b => duplicate = true,
                (Loc::Text(a), Loc::Text(b)) if a.start < b.end && b.start < a.end => {
                    let message = format!(
                        "{} and {} overlap; remove one from `tool.cargo-pypi.files`",
                        other.what, occurrence.what
                    );
                    return Err(ReadError::invalid(
                        &occurrence.file,
                        occurrence.line,
                        message,
                    ));
                }
                _ => {}
            }
        }
        if !duplicate {
            out.push(occurrence);
        }
    }
    Ok((out, texts))
}
