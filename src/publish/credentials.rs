//! Finding credentials for a target, in a documented order, without ever
//! printing them: flags, environment, `.env` files (refused when unsafe),
//! `~/.pypirc`, trusted publishing (GitHub Actions, GitLab CI), a prompt.

use super::secret::Secret;
use super::target::Target;
use std::path::PathBuf;

/// Username and password/token, with where they came from (never the value).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub username: String,
    pub password: Secret,
    /// e.g. `environment variable PYPI_API_TOKEN`, `trusted publishing (GitHub Actions)`.
    pub source: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unsafe(String),
    #[error("{0}")]
    Oidc(String),
}

/// Everything the search may look at; tests fill it explicitly.
pub struct CredentialRequest<'a> {
    pub target: &'a Target,
    /// `--token`.
    pub token: Option<Secret>,
    /// Repository root, where `.env.local` / `.env` are looked for.
    pub repo_root: PathBuf,
    /// Environment lookup (tests pass a map).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Whether stdin and stderr are a terminal (a prompt is allowed only then).
    pub interactive: bool,
    /// `~/.pypirc` (default `$HOME/.pypirc`).
    pub pypirc: Option<PathBuf>,
}

pub fn find(request: &CredentialRequest) -> Result<Credentials, CredentialError> {
    let _ = request;
    todo!()
}

/// The `::add-mask::` line that hides `secret` in GitHub Actions logs, when running there.
pub fn github_mask_line(secret: &Secret) -> Option<String> {
    let _ = secret;
    todo!()
}
