//! Built distributions (wheels and sdists): reading them, and checking them for
//! what PyPI would reject or users would trip on.
//!
//! [`read`] opens one file, [`check`] several together. Each finding is a
//! [`Diagnostic`] carrying the stable id of its [`rules::Rule`]; the catalogue
//! is [`rules::ALL`]. Where the checks live:
//! - `filename`: file names, name normalization, platform tags;
//! - `wheel`, `record`, `zipframe`, `entry_points`: wheel archives, RECORD,
//!   ZIP framing, entry_points.txt;
//! - `sdist`: source archives;
//! - `metadata`: parsing METADATA/PKG-INFO; `fields`, `license`,
//!   `classifiers`, `description`: the rules on its fields; `rst`: rendering
//!   reStructuredText with readme_renderer, installed on first need;
//! - `release`: rules across files and the size limit;
//! - `limits`: what any reader may inflate and keep (hostile archives);
//! - `verified`: files already checked in this run (never read twice).
//!
//! Each file is read once: the archive's reader goes through a
//! [`crate::digest::Tee`] that hashes the file on the way.

mod classifiers;
mod description;
mod entry_points;
mod fields;
pub mod filename;
mod license;
mod limits;
pub mod metadata;
mod record;
mod release;
mod rst;
pub mod rules;
mod sdist;
mod verified;
mod wheel;
mod zipframe;

pub use classifiers::{is_accepted as is_accepted_classifier, list_version as classifiers_version};
pub use license::validate_expression as validate_license_expression;
pub use metadata::CoreMetadata;
pub use release::missing_from_set;
pub use rst::{render_rst, RstOutcome, PYTHON_ENV};
pub use verified::opened;

use crate::digest::Tee;
use crate::display::file_name;
use filename::{NameKind, WheelName};
use rst::RstRenderer;
use rules::Findings;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use verified::Stamp;

/// Why an artifact cannot be read at all (problems inside a readable one are [`Diagnostic`]s).
#[derive(Debug, thiserror::Error)]
pub enum DistError {
    #[error("cannot read {path}: {message}")]
    Unreadable { path: PathBuf, message: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Wheel,
    Sdist,
}

/// One wheel or sdist as read from disk.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub path: PathBuf,
    pub kind: Kind,
    /// Project name as the metadata gives it (else as the file name does; empty if neither).
    pub name: String,
    /// Version as the metadata gives it (else as the file name does; empty if neither).
    pub version: String,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
    /// The wheel's python tag (`cp311`, `py3`...), or `source` for an sdist:
    /// the `pyversion` of an upload.
    pub pyversion: String,
    /// The parsed METADATA or PKG-INFO, when the archive has one.
    pub metadata: Option<CoreMetadata>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding, naming the file and (when it applies) the metadata field.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// File name of the artifact.
    pub file: String,
    pub field: Option<String>,
    /// Stable identifier of the rule, e.g. `wheel-platform-tag`.
    pub rule: &'static str,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}[{}]", self.file, self.severity, self.rule)?;
        if let Some(field) = &self.field {
            write!(f, " {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Settings of a check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// PyPI's default upload limit, 100 MiB.
    pub max_size: u64,
    /// The Python that renders reStructuredText descriptions with
    /// readme_renderer; `None`: `$CARGO_PYPI_PYTHON`, else `python3`.
    pub python: Option<PathBuf>,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            max_size: 100 * 1024 * 1024,
            python: None,
        }
    }
}

/// Reads a wheel or an sdist, with the default options.
pub fn read(path: &Path) -> Result<(Artifact, Vec<Diagnostic>), DistError> {
    read_with(path, &CheckOptions::default())
}

/// Reads a wheel or an sdist and runs the rules on it alone. Only an I/O error
/// on `path` itself is an `Err`; a broken archive gives diagnostics.
pub fn read_with(
    path: &Path,
    options: &CheckOptions,
) -> Result<(Artifact, Vec<Diagnostic>), DistError> {
    let mut renderer = RstRenderer::new(options.python.as_deref());
    let (artifact, mut diagnostics) = inspect(path, options, &mut renderer)?;
    sort(&mut diagnostics);
    Ok((artifact, diagnostics))
}

/// Checks artifacts together (per-file rules, and rules across them such as one sdist per release).
pub fn check(
    paths: &[PathBuf],
    options: &CheckOptions,
) -> Result<(Vec<Artifact>, Vec<Diagnostic>), DistError> {
    let mut renderer = RstRenderer::new(options.python.as_deref());
    let mut artifacts = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        let (artifact, found) = inspect(path, options, &mut renderer)?;
        artifacts.push(artifact);
        diagnostics.extend(found);
    }
    diagnostics.extend(release::check(&artifacts));
    sort(&mut diagnostics);
    Ok((artifacts, diagnostics))
}

/// By file, errors before warnings, otherwise in the order found.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.file.cmp(&b.file).then(b.severity.cmp(&a.severity)));
}

/// What opening an archive gave: its metadata, and the files License-File
/// entries are looked up among (relative to `license_base`).
pub(crate) struct Opened {
    pub(crate) metadata: Option<CoreMetadata>,
    pub(crate) license_files: BTreeSet<String>,
    pub(crate) license_base: String,
}

fn inspect(
    path: &Path,
    options: &CheckOptions,
    renderer: &mut RstRenderer,
) -> Result<(Artifact, Vec<Diagnostic>), DistError> {
    let unreadable = |e: std::io::Error| DistError::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let handle = File::open(path).map_err(unreadable)?;
    let stamp = Stamp::of(&handle.metadata().map_err(unreadable)?);
    let file = file_name(path);
    let mut f = Findings::new(&file);
    release::check_size(stamp.size, options.max_size, &mut f);
    if let Some((artifact, found)) = verified::lookup(path, &stamp, options.python.as_deref()) {
        f.list.extend(found);
        return Ok((artifact, f.list));
    }
    let mut rest = Findings::new(&file);
    let kind = filename::kind_of(&file);
    let mut tee = Tee::new(&handle);
    let opened = open(&handle, &mut tee, &file, kind, &mut rest);
    let digests = tee.finish().map_err(unreadable)?;
    if digests.size != stamp.size {
        return Err(unreadable(std::io::Error::other(
            "it changed while it was read: check it again once it is written",
        )));
    }
    let metadata = opened.as_ref().and_then(|o| o.metadata.clone());
    if let (Some(opened), Some(meta)) = (&opened, &metadata) {
        check_metadata(meta, opened, &file, kind, renderer, &mut rest);
    }
    let (name, version) = identity(metadata.as_ref(), &file, kind);
    let artifact = Artifact {
        path: path.to_path_buf(),
        kind: if kind == NameKind::Wheel {
            Kind::Wheel
        } else {
            Kind::Sdist
        },
        name,
        version,
        size: digests.size,
        sha256: digests.sha256.clone(),
        pyversion: pyversion(&file, kind),
        metadata,
    };
    let python = options.python.clone();
    verified::remember(path, stamp, python, handle, &artifact, &rest.list, digests);
    f.list.extend(rest.list);
    Ok((artifact, f.list))
}

fn sdist_stem(file: &str) -> &str {
    &file[..file.len().saturating_sub(".tar.gz".len())]
}

/// Reads the archive through `tee` (framing checks read `handle` directly).
fn open(
    handle: &File,
    tee: &mut Tee,
    file: &str,
    kind: NameKind,
    f: &mut Findings,
) -> Option<Opened> {
    match kind {
        NameKind::Wheel => {
            let parsed = match WheelName::parse(file) {
                Ok(parsed) => Some(parsed),
                Err(why) => {
                    f.add(
                        rules::WHEEL_FILENAME,
                        None,
                        format!("the file name {why}; wheel names are {{name}}-{{version}}(-{{build}})?-{{python}}-{{abi}}-{{platform}}.whl: use the name the build tool gave"),
                    );
                    None
                }
            };
            if let Some(parsed) = &parsed {
                filename::check_platforms(parsed, f);
            }
            wheel::inspect(handle, tee, parsed.as_ref(), f)
        }
        NameKind::SdistTarGz => {
            let size = handle.metadata().map_or(0, |m| m.len());
            tee.catch_up_switch().set(true);
            sdist::inspect(
                BufReader::with_capacity(64 * 1024, tee),
                size,
                sdist_stem(file),
                f,
            )
        }
        NameKind::SdistZip => {
            f.add(rules::FILE_FORMAT, None, "a .zip sdist is refused by PyPI (PEP 625): build a .tar.gz sdist (`maturin sdist`, `python -m build --sdist`)");
            None
        }
        NameKind::Other => {
            f.add(rules::FILE_FORMAT, None, "not a wheel (.whl) or an sdist (.tar.gz), the only files PyPI takes: leave this file out of the upload");
            None
        }
    }
}

fn check_metadata(
    meta: &CoreMetadata,
    opened: &Opened,
    file: &str,
    kind: NameKind,
    renderer: &mut RstRenderer,
    f: &mut Findings,
) {
    fields::check(meta, f);
    classifiers::check(meta, f);
    license::check(meta, f);
    if meta
        .get("Metadata-Version")
        .is_some_and(|v| fields::version_key(&v) >= (2, 4))
    {
        license::check_files(meta, &opened.license_files, &opened.license_base, f);
    }
    description::check(meta, renderer, f);
    let (Some(name), Some(version)) = (meta.get("Name"), meta.get("Version")) else {
        return;
    };
    match kind {
        NameKind::Wheel => {
            if let Ok(parsed) = WheelName::parse(file) {
                filename::check_wheel(&parsed, &name, &version, f);
            }
        }
        NameKind::SdistTarGz => filename::check_sdist(file, &name, &version, f),
        _ => {}
    }
}

/// Name and version from the metadata, else from the file name.
fn identity(meta: Option<&CoreMetadata>, file: &str, kind: NameKind) -> (String, String) {
    let from_meta = meta.map(|m| (m.get("Name"), m.get("Version")));
    if let Some((Some(name), Some(version))) = from_meta {
        return (name, version);
    }
    match kind {
        NameKind::Wheel => {
            WheelName::parse(file).map_or_else(|_| Default::default(), |w| (w.name, w.version))
        }
        NameKind::SdistTarGz => sdist_stem(file)
            .rsplit_once('-')
            .map_or_else(Default::default, |(n, v)| (n.to_string(), v.to_string())),
        _ => Default::default(),
    }
}

fn pyversion(file: &str, kind: NameKind) -> String {
    match kind {
        NameKind::Wheel => WheelName::parse(file).map(|w| w.python).unwrap_or_default(),
        _ => "source".to_string(),
    }
}
