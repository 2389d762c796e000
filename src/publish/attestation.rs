//! PEP 740 attestations sent with the upload. For each file, the attestation
//! files beside it, `NAME.publish.attestation` (the name pypi-attestations,
//! gh-action-pypi-publish and uv use) and any other `NAME.KIND.attestation`
//! (twine and uv take those too), each checked ([`shape`]) and at most one
//! per predicate type, go in the upload's `attestations` form field as a
//! JSON array.
//!
//! PyPI and TestPyPI take them only from trusted publishing; every other
//! index, and an upload with an API token or a password, would refuse the
//! upload (twine: "400 Invalid attestations"), so [`decide`] leaves them out
//! and says so (or refuses with [`Mode::Require`]). One set of attestations is
//! for one index ([`Attestations::upload_url`]): the upload refuses a set made
//! for another, so that an attestation made for TestPyPI never goes to PyPI.
//!
//! Where the index takes them and the CI job can sign, a publish attestation
//! is made ([`make`]) for each file without one beside it ([`Decision::make`]).

mod decide;
pub mod make;
mod shape;
pub mod statement;

pub use decide::{decide, Decision, Making};

use super::credentials::oidc;
use super::target::Target;
use crate::display::file_name;
use crate::dist::Artifact;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `--attestations` / `--no-attestations`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Send the attestations found, and make the missing publish ones,
    /// where the index takes them; else leave them out with a warning.
    #[default]
    Auto,
    /// Every file goes with an attestation (found or made), or nothing is sent.
    Require,
    /// Never read, make or send any.
    Off,
}

/// The `attestations` field of each file, for one index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attestations {
    /// The upload URL (without credentials) these are for; they go nowhere else.
    pub upload_url: String,
    /// File name -> the field's JSON array.
    fields: BTreeMap<String, String>,
}

impl Attestations {
    /// None yet, for the index at `upload_url` (shown without credentials).
    pub fn for_index(upload_url: &str) -> Attestations {
        Attestations {
            upload_url: upload_url.to_string(),
            fields: BTreeMap::new(),
        }
    }

    /// Sends `field` (a JSON array of attestation objects) with `file` (a file name).
    pub fn insert(&mut self, file: &str, field: String) {
        self.fields.insert(file.to_string(), field);
    }

    /// Adds one attestation object (JSON text, checked) to `file`'s field.
    pub fn add(&mut self, file: &str, attestation: &str) {
        let object: serde_json::Value = serde_json::from_str(attestation).expect("checked JSON");
        let mut values: Vec<serde_json::Value> = self
            .field(file)
            .map(|f| serde_json::from_str(f).expect("a JSON array"))
            .unwrap_or_default();
        values.push(object);
        self.insert(file, serde_json::Value::Array(values).to_string());
    }

    /// The field for `file` (a file name), when it has attestations.
    pub fn field(&self, file: &str) -> Option<&str> {
        self.fields.get(file).map(String::as_str)
    }

    /// How many attestations go with `file` (a file name).
    pub fn count(&self, file: &str) -> usize {
        let values = self
            .field(file)
            .map(serde_json::from_str::<Vec<serde_json::Value>>);
        values.and_then(Result::ok).map_or(0, |v| v.len())
    }

    /// The names of the files that have attestations.
    pub fn files(&self) -> Vec<&str> {
        self.fields.keys().map(String::as_str).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// An attestation file that cannot be sent, or `--attestations=require` unmet;
/// the message names the files and says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AttestationError(pub String);

/// An attestation file beside an artifact, read and checked.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub predicate_type: String,
    /// The attestation object, as JSON text.
    pub text: String,
}

/// Whether files given on the command line are attestation files (taken
/// beside their artifact, not uploaded as files of their own).
pub fn is_attestation_file(path: &Path) -> bool {
    file_name(path).ends_with(".attestation")
}

/// The given files without the attestation files among them; an attestation
/// file not beside a given artifact of its name is refused (it would never be sent).
pub fn without_attestation_files(files: &[PathBuf]) -> Result<Vec<PathBuf>, AttestationError> {
    let (attestations, artifacts): (Vec<&PathBuf>, Vec<&PathBuf>) =
        files.iter().partition(|p| is_attestation_file(p));
    let stray: Vec<String> = attestations
        .iter()
        .filter(|a| !artifacts.iter().any(|f| is_beside(a, f)))
        .map(|a| a.display().to_string())
        .collect();
    if !stray.is_empty() {
        return Err(AttestationError(format!(
            "{} given, but not the file it attests beside it: an attestation goes with the \
             file it names (`NAME.publish.attestation` beside `NAME`); give that file too, or \
             leave the attestation out",
            stray.join(", ")
        )));
    }
    Ok(artifacts.into_iter().cloned().collect())
}

/// `attestation` is `artifact`'s: in its folder, named `NAME.KIND.attestation`.
fn is_beside(attestation: &Path, artifact: &Path) -> bool {
    let folder = |p: &Path| {
        p.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf)
    };
    attests(&file_name(attestation), &file_name(artifact))
        && folder(attestation) == folder(artifact)
}

/// `name` is `NAME.KIND.attestation` for `artifact` (a file name).
fn attests(name: &str, artifact: &str) -> bool {
    name.strip_prefix(artifact)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(".attestation"))
        .is_some_and(|kind| !kind.is_empty() && !kind.contains('.'))
}

/// The attestation files beside each artifact, each read and checked; every
/// problem is gathered into one error.
pub fn find(artifacts: &[Artifact]) -> Result<Vec<Vec<Found>>, AttestationError> {
    let mut problems = Vec::new();
    let mut all = Vec::new();
    for artifact in artifacts {
        let mut found: Vec<Found> = Vec::new();
        for path in beside(&artifact.path) {
            let shown = path.display();
            let checked = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read it ({e})"))
                .and_then(|text| {
                    let name = file_name(&artifact.path);
                    let kind = shape::check(&text, &name, &artifact.sha256)?;
                    Ok(Found {
                        path: path.clone(),
                        predicate_type: kind,
                        text,
                    })
                });
            match checked {
                Ok(one) => match found
                    .iter()
                    .find(|f| f.predicate_type == one.predicate_type)
                {
                    Some(other) => problems.push(format!(
                        "cannot send {shown}: {} is of the same predicate type ({}), and \
                         PyPI takes one of each per file: delete one of them",
                        other.path.display(),
                        one.predicate_type
                    )),
                    None => found.push(one),
                },
                Err(why) => problems.push(format!(
                    "cannot send the attestation {shown}: {why}; make it again for this file \
                     (pypi-attestations sign), or delete it"
                )),
            }
        }
        all.push(found);
    }
    match problems.is_empty() {
        true => Ok(all),
        false => Err(AttestationError(format!(
            "{}\n(nothing was uploaded; --no-attestations sends the files without any)",
            problems.join("\n")
        ))),
    }
}

/// `NAME.KIND.attestation` files in `artifact`'s folder, sorted.
fn beside(artifact: &Path) -> Vec<PathBuf> {
    let dir = match artifact.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let name = file_name(artifact);
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| attests(&e.file_name().to_string_lossy(), &name))
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
}

/// The attestations beside `artifacts` that go to `target`, and those to
/// make ([`find`], then [`decide`]); with [`Mode::Off`] none, and no file is
/// read. `env` tells whether this job can sign (an ID token for Sigstore).
pub fn plan(
    mode: Mode,
    target: &Target,
    credentials_source: &str,
    artifacts: &[Artifact],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Decision, AttestationError> {
    if mode == Mode::Off {
        return Ok(Decision::default());
    }
    let found = find(artifacts)?;
    let signing = oidc::detect(env)
        .and_then(|provider| oidc::id_token::sigstore_available(provider, env).map(|()| provider));
    decide(
        mode,
        target,
        credentials_source,
        artifacts,
        &found,
        &signing,
    )
}

#[cfg(test)]
#[path = "attestation/tests.rs"]
mod tests;
