//! `[tool.cargo-pypi.release]`: what `cargo pypi release` may release from,
//! what it must upload, and where.

use super::{string_list, Config};
use crate::error::ReadError;
use crate::toml_doc::{Seg, TomlFile};

/// Settings of `cargo pypi release`; every field has a documented default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseConfig {
    /// Branches a release may start from (default: the upstream's default branch).
    pub branches: Vec<String>,
    /// Patterns over wheel platform tags that must all be matched
    /// (default: none; the sdist and at least one wheel are always wanted).
    pub wheels: Vec<String>,
    /// The staging index (default `testpypi`; `false` for none).
    pub staging: Option<String>,
    /// The production index (default `pypi`).
    pub repository: String,
    /// `owner/name` of the GitHub repository (default: from the remote).
    pub github: Option<String>,
    /// The release uploads and makes the GitHub release (unset: yes, unless
    /// the workflow `cargo pypi init` wrote publishes the tag, which the
    /// preflight points out); `false` when CI does both from the tag: the
    /// release stops after the push, as with `--no-publish`.
    pub publish: Option<bool>,
}

impl Default for ReleaseConfig {
    fn default() -> ReleaseConfig {
        ReleaseConfig {
            branches: Vec::new(),
            wheels: Vec::new(),
            staging: Some("testpypi".into()),
            repository: "pypi".into(),
            github: None,
            publish: None,
        }
    }
}

const KEYS: &[&str] = &[
    "branches",
    "wheels",
    "staging",
    "repository",
    "github",
    "publish",
];

/// Reads `[tool.cargo-pypi.release]` into `config`.
pub(super) fn read(file: &TomlFile, config: &mut Config, base: &[Seg]) -> Result<(), ReadError> {
    let at = |key: &str| [base.to_vec(), vec![Seg::from(key)]].concat();
    let Some(table) = file.get(base).and_then(|t| t.as_table_like()) else {
        return Ok(());
    };
    for (key, item) in table.iter() {
        if !KEYS.contains(&key) {
            let line = file.line(item.span().unwrap_or(0..0).start);
            let message = format!(
                "unknown key `tool.cargo-pypi.release.{key}` (known: {})",
                KEYS.join(", ")
            );
            return Err(ReadError::invalid(&file.path, line, message));
        }
    }
    let release = &mut config.release;
    for (key, list) in [
        ("branches", &mut release.branches),
        ("wheels", &mut release.wheels),
    ] {
        if let Some(item) = file.get(&at(key)) {
            *list = string_list(file, item, &at(key))?;
        }
    }
    if let Some(item) = file.get(&at("staging")) {
        release.staging = match (item.as_bool(), item.as_str()) {
            (Some(false), _) => None,
            (_, Some(name)) => Some(name.to_owned()),
            _ => {
                let line = file.line(item.span().unwrap_or(0..0).start);
                let message =
                    "`tool.cargo-pypi.release.staging` must be a repository name or false";
                return Err(ReadError::invalid(&file.path, line, message));
            }
        };
    }
    if let Some(item) = file.get(&at("publish")) {
        release.publish = Some(item.as_bool().ok_or_else(|| {
            let line = file.line(item.span().unwrap_or(0..0).start);
            ReadError::invalid(
                &file.path,
                line,
                "`tool.cargo-pypi.release.publish` must be true or false",
            )
        })?);
    }
    if let Some(s) = file.string(&at("repository"))? {
        release.repository = s.value;
    }
    if let Some(s) = file.string(&at("github"))? {
        if s.value.split('/').filter(|p| !p.is_empty()).count() != 2 {
            let message = format!(
                "`tool.cargo-pypi.release.github = \"{}\"` must be owner/name",
                s.value
            );
            return Err(ReadError::invalid(&file.path, s.line, message));
        }
        release.github = Some(s.value);
    }
    Ok(())
}
