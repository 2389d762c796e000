//! Built distributions (wheels and sdists): reading them, and checking them for
//! what PyPI would reject or users would trip on.

use serde::Serialize;
use std::path::{Path, PathBuf};

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
    /// Project name as the metadata gives it.
    pub name: String,
    /// Version as the metadata gives it.
    pub version: String,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
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

/// Settings of a check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// PyPI's default upload limit, 100 MiB.
    pub max_size: u64,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            max_size: 100 * 1024 * 1024,
        }
    }
}

/// Reads a wheel or an sdist.
pub fn read(path: &Path) -> Result<(Artifact, Vec<Diagnostic>), DistError> {
    let _ = path;
    todo!()
}

/// Checks artifacts together (per-file rules, and rules across them such as one sdist per release).
pub fn check(
    paths: &[PathBuf],
    options: &CheckOptions,
) -> Result<(Vec<Artifact>, Vec<Diagnostic>), DistError> {
    let _ = (paths, options);
    todo!()
}
