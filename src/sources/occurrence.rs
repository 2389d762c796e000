//! One place a version is written (file, line, value, spelling, location for
//! editing), and the reading helpers every kind of source shares.

use super::requirement;
use crate::error::ReadError;
use crate::toml_doc::Seg;
use crate::version::ReleaseVersion;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How a source spells the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Spelling {
    /// Cargo's spelling, e.g. `1.2.0-rc.1`.
    SemVer,
    /// Normalized PEP 440, e.g. `1.2.0rc1`.
    Pep440,
    /// A Cargo version requirement on a moving crate, e.g. `=1.2.0`.
    Requirement,
    /// `"name 1.2.0-rc.1"` in a Cargo.lock `dependencies` array.
    LockReference,
}

/// Where the value sits, for editing.
#[derive(Debug, Clone)]
pub enum Loc {
    /// A string value in a TOML file, at this key path.
    Toml(Vec<Seg>),
    /// Bytes of a text file.
    Text(Range<usize>),
}

/// One place the version is written.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub file: PathBuf,
    pub line: usize,
    /// What this is, e.g. "crate `foo` version", "`__version__`".
    pub what: String,
    pub found: String,
    pub spelling: Spelling,
    pub loc: Loc,
}

impl Occurrence {
    /// The value this source must hold for `version`.
    pub fn expected(&self, version: &ReleaseVersion) -> String {
        match self.spelling {
            Spelling::SemVer => version.semver(),
            Spelling::Pep440 => version.pep440(),
            Spelling::Requirement => {
                requirement::rewrite(&self.found, version).unwrap_or_else(|| version.semver())
            }
            Spelling::LockReference => {
                let name = self.found.split(' ').next().unwrap_or_default();
                format!("{name} {}", version.semver())
            }
        }
    }

    /// Whether the source agrees with `version` (a requirement only has to match it).
    pub fn agrees(&self, version: &ReleaseVersion) -> bool {
        match self.spelling {
            Spelling::Requirement => requirement::matches(&self.found, version),
            _ => self.found == self.expected(version),
        }
    }

    /// An entry of a lock file (`Cargo.lock`, `uv.lock`): written by cargo or
    /// uv, which bring it up to date themselves on the next build or sync. One
    /// that is behind is a warning for `check`, and `bump` rewrites it whatever
    /// it holds; the other sources must agree.
    pub fn in_lock_file(&self) -> bool {
        let name = self.file.file_name().and_then(|n| n.to_str());
        matches!(name, Some("Cargo.lock" | "uv.lock"))
    }
}

/// An occurrence at bytes `range` of a text file.
pub(super) fn text_occurrence(
    path: &Path,
    text: &str,
    range: Range<usize>,
    what: &str,
    spelling: Spelling,
) -> Occurrence {
    Occurrence {
        file: path.to_path_buf(),
        line: crate::toml_doc::line_of(text, range.start),
        what: what.to_string(),
        found: text[range.clone()].to_string(),
        spelling,
        loc: Loc::Text(range),
    }
}

/// The file's text, read once per scan and kept in `texts`.
pub(super) fn read_text(
    path: &Path,
    texts: &mut BTreeMap<PathBuf, String>,
) -> Result<String, ReadError> {
    if let Some(text) = texts.get(path) {
        return Ok(text.clone());
    }
    let text = std::fs::read_to_string(path).map_err(|e| ReadError::io(path, e))?;
    texts.insert(path.to_path_buf(), text.clone());
    Ok(text)
}

/// `path` with symlinks and `..` resolved, when that is inside `root`
/// (canonical); the resolved path as the error when it is not. A path that
/// does not exist resolves to itself, for the read to report.
pub fn inside(root: &Path, path: &Path) -> Result<PathBuf, PathBuf> {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match real.starts_with(root) {
        true => Ok(real),
        false => Err(real),
    }
}
