//! Upload targets: `pypi` and `testpypi` built in, named repositories from
//! `~/.pypirc` and `[tool.cargo-pypi.repositories]`, or any `--repository-url`.
//! Each knows its upload URL and its simple-index URL.

use std::path::PathBuf;

/// Where to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `pypi`, `testpypi`, a configured name, or the URL itself.
    pub name: String,
    /// Legacy upload API, e.g. `https://upload.pypi.org/legacy/`.
    pub upload_url: String,
    /// PEP 503/691 simple index, e.g. `https://pypi.org/simple/`.
    pub index_url: String,
    /// PyPI itself: asks for confirmation on a terminal before uploading.
    pub production: bool,
    /// Username from `.pypirc`, if it gives one.
    pub username: Option<String>,
    /// Where the target was defined, for messages.
    pub source: String,
}

/// Why a target cannot be resolved.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("{0}")]
    Invalid(String),
}

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct TargetRequest {
    /// `--repository NAME` (default `pypi`).
    pub repository: Option<String>,
    /// `--repository-url URL`.
    pub repository_url: Option<String>,
    /// `--index-url URL` for a custom upload URL (default: derived).
    pub index_url: Option<String>,
    /// The package's pyproject.toml (for `[tool.cargo-pypi.repositories]`).
    pub pyproject: Option<PathBuf>,
    /// `~/.pypirc` (default: `$HOME/.pypirc`).
    pub pypirc: Option<PathBuf>,
}

pub fn resolve(request: &TargetRequest) -> Result<Target, TargetError> {
    let _ = request;
    todo!()
}
