//! Upload targets: `pypi` and `testpypi` built in, named repositories from
//! `~/.pypirc` and `[tool.cargo-pypi.repositories]`, or any `--repository-url`.
//! Each knows its upload URL and its simple-index URL.
//!
//! # The target, first found wins
//!
//! 1. `--repository-url URL` (with `--index-url`);
//! 2. `--repository NAME` (a release's configured names come this way too);
//! 3. the tools' own variables, read from the environment (never from `.env`
//!    files): twine's `TWINE_REPOSITORY_URL`, else `TWINE_REPOSITORY` (a name
//!    in `~/.pypirc` or `pypi`/`testpypi`); uv's `UV_PUBLISH_URL` (with
//!    `UV_PUBLISH_CHECK_URL` as the index), else `UV_PUBLISH_INDEX` (the
//!    `[[tool.uv.index]]` of that name where uv reads it (`uv_config.rs`),
//!    with its `publish-url` and `url`); maturin's `MATURIN_REPOSITORY_URL`, else
//!    `MATURIN_REPOSITORY` (as twine's). A tool's URL wins over its name, as in
//!    that tool; two tools naming different indexes is an error (which one was
//!    meant cannot be known);
//! 4. PyPI.
//!
//! [`Target::source`] says which, for `-v`.
//!
//! # Whose credentials go where
//!
//! A tool's credential variables (`TWINE_USERNAME`/`TWINE_PASSWORD`,
//! `UV_PUBLISH_*`, `MATURIN_PYPI_TOKEN`) belong to the index that tool's own
//! target variables name. When a flag names another index, they are not sent
//! there (the search goes on to the next source, and a "no credentials" error
//! says why they were left out): a flag is how a user points one upload
//! elsewhere, not a reason to hand that index another index's password. A
//! tool with no target variable set would upload to the index its command
//! line names, else PyPI: its credentials go to the target of a flag, to PyPI,
//! and to no index another tool's variable chose. [`Target::foreign`] lists
//! the tools left out.
//!
//! # Where a name is looked up
//!
//! `--repository NAME` is looked up in `[tool.cargo-pypi.repositories.NAME]` of
//! pyproject.toml first, then in `~/.pypirc`, then among the built-in `pypi` and
//! `testpypi`: the project's configuration wins over the user's `.pypirc`.
//! pyproject.toml may not redefine `pypi` or `testpypi`, and may not hold a
//! password in a URL (the file is committed). `.pypirc` may point `[pypi]` or
//! `[testpypi]` elsewhere, as twine allows.
//!
//! # Deriving the index URL
//!
//! When only an upload URL is known: `…/legacy/` becomes `…/simple/`
//! (Warehouse: PyPI, TestPyPI, self-hosted); any other URL gets `simple/`
//! appended (pypiserver at `http://host:port/` -> `http://host:port/simple/`,
//! Nexus, Artifactory, GitLab). devpi (`…/+simple/`) needs `--index-url`.
//!
//! # Credentials in URLs
//!
//! `https://user:pass@host/…` is accepted: the user information is taken out of
//! [`Target::upload_url`] and [`Target::index_url`] into
//! [`Target::url_credentials`] (the upload URL's only: a login written into the
//! index URL never reaches the upload host), and both URLs are
//! [`DisplaySafeUrl`]s, so a `Target` can be printed safely.

use super::pypirc::{self, Pypirc};
use super::secret::Secret;
use super::url::{
    redact_url, DisplaySafeUrl, PYPI_INDEX, PYPI_UPLOAD, TESTPYPI_INDEX, TESTPYPI_UPLOAD,
};
use crate::env_vars::EnvVars;
use crate::toml_doc::{Seg, TomlFile};
use crate::toml_path;
use check::{from_urls, has_password, parse_index_url};
use std::fmt;
use std::path::{Path, PathBuf};

mod check;
mod env;
mod uv_config;

pub use env::{Foreign, Tool};

/// Where to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `pypi`, `testpypi`, a configured name, or the URL itself (without credentials).
    pub name: String,
    /// Legacy upload API, e.g. `https://upload.pypi.org/legacy/`. Resolved
    /// targets hold no credentials here; shown safely in any case.
    pub upload_url: DisplaySafeUrl,
    /// PEP 503/691 simple index, e.g. `https://pypi.org/simple/`.
    pub index_url: DisplaySafeUrl,
    /// PyPI itself: asks for confirmation on a terminal before uploading.
    pub production: bool,
    /// Username from `.pypirc` or from a URL without a password, if any.
    pub username: Option<String>,
    /// Where the target was defined, for messages.
    pub source: String,
    /// `user:password` taken out of the upload (or index) URL.
    pub url_credentials: Option<UrlCredentials>,
    /// Tools whose credential variables must not be sent here: they belong
    /// to another index (see "The target" above).
    pub foreign: Vec<Foreign>,
}

/// Credentials that were written into a repository URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlCredentials {
    /// Percent-decoded; `__token__` when the URL gave only a password.
    pub username: String,
    /// Percent-decoded.
    pub password: Secret,
}

impl Target {
    /// PyPI: the default target.
    pub fn pypi() -> Target {
        Target::builtin("pypi", PYPI_UPLOAD, PYPI_INDEX)
    }

    /// TestPyPI.
    pub fn testpypi() -> Target {
        Target::builtin("testpypi", TESTPYPI_UPLOAD, TESTPYPI_INDEX)
    }

    fn builtin(name: &str, upload: &str, index: &str) -> Target {
        Target {
            name: name.into(),
            upload_url: upload.parse().expect("a built-in URL"),
            index_url: index.parse().expect("a built-in URL"),
            production: name == "pypi",
            username: None,
            source: "built in".into(),
            url_credentials: None,
            foreign: Vec::new(),
        }
    }

    /// Whether uploads go to PyPI itself (`upload.pypi.org`).
    pub fn is_pypi(&self) -> bool {
        self.upload_url.host_str() == Some("upload.pypi.org")
    }

    /// Whether uploads go to TestPyPI (`test.pypi.org`).
    pub fn is_testpypi(&self) -> bool {
        self.upload_url.host_str() == Some("test.pypi.org")
    }

    /// `scheme://host[:port]` of the index, where `/_/oidc/…` lives.
    pub fn index_origin(&self) -> Option<String> {
        let origin = self.index_url.origin();
        origin.is_tuple().then(|| origin.ascii_serialization())
    }

    /// Where a user creates an API token for this target, when it is PyPI or TestPyPI.
    pub fn token_page(&self) -> Option<&'static str> {
        if self.is_pypi() {
            Some("https://pypi.org/manage/account/token/")
        } else if self.is_testpypi() {
            Some("https://test.pypi.org/manage/account/token/")
        } else {
            None
        }
    }
}

/// Why a target cannot be resolved.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("{0}")]
    Invalid(String),
    /// `--repository NAME` names no known repository.
    #[error("{0}")]
    UnknownRepository(String),
    /// An index (or website) URL was given where the upload URL was meant, or the reverse.
    #[error("{0}")]
    WrongUrl(String),
    /// `~/.pypirc` cannot be read or parsed, or lists a repository it lacks.
    #[error(transparent)]
    Pypirc(#[from] pypirc::PypircError),
}

/// What the user asked for.
#[derive(Clone, Default)]
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
    /// The target variables (`TWINE_REPOSITORY_URL`, …) as `(name, value)`;
    /// `None`: read them from the process environment.
    pub env: Option<Vec<(String, String)>>,
}

/// URLs may carry credentials: `Debug` shows them redacted.
impl fmt::Debug for TargetRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |u: &Option<String>| u.as_deref().map(redact_url);
        f.debug_struct("TargetRequest")
            .field("repository", &self.repository)
            .field("repository_url", &redacted(&self.repository_url))
            .field("index_url", &redacted(&self.index_url))
            .field("pyproject", &self.pyproject)
            .field("pypirc", &self.pypirc)
            .finish()
    }
}

/// The target `request` names, in the order the module documents: flags,
/// then the tools' variables, then PyPI; with the tools whose credential
/// variables must not be sent to it.
pub fn resolve(request: &TargetRequest) -> Result<Target, TargetError> {
    let named = env::read(request);
    let (mut target, origin) = if let Some(url) = &request.repository_url {
        if let Some(name) = &request.repository {
            return Err(TargetError::Invalid(format!(
                "both --repository {name} and --repository-url were given; pass only one"
            )));
        }
        let index = request.index_url.as_deref();
        let target = from_urls(url, index, "--repository-url", "--index-url")?;
        (target, env::Origin::Flag)
    } else if let Some(name) = &request.repository {
        (by_name(name, request)?, env::Origin::Flag)
    } else if let Some((target, origin)) = env::choose(&named)? {
        (target, origin)
    } else {
        let mut target = by_name("pypi", request)?;
        if target.source == "built in" {
            target.source = DEFAULT_SOURCE.into();
        }
        (target, env::Origin::Default)
    };
    if let Some(index) = &request.index_url {
        target.index_url = parse_index_url(index, "--index-url", &target.upload_url)?;
    }
    target.foreign = env::foreign(&named, &target, origin);
    Ok(target)
}

/// The source of PyPI when nothing names a target.
const DEFAULT_SOURCE: &str =
    "the default (no -r, --repository-url or target variable such as TWINE_REPOSITORY_URL)";

/// `--repository NAME`: pyproject.toml, then `.pypirc`, then built in.
fn by_name(name: &str, request: &TargetRequest) -> Result<Target, TargetError> {
    match from_pyproject(name, request)? {
        Some(target) => Ok(target),
        None => match from_pypirc(name, request)? {
            Some(target) => Ok(target),
            None => builtin(name, request),
        },
    }
}

/// `$HOME/.pypirc`, when `HOME` is set.
pub fn default_pypirc() -> Option<PathBuf> {
    let home = std::env::var_os(EnvVars::HOME).filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(".pypirc"))
}

fn builtin(name: &str, request: &TargetRequest) -> Result<Target, TargetError> {
    match name {
        "pypi" => Ok(Target::pypi()),
        "testpypi" => Ok(Target::testpypi()),
        _ => Err(unknown_repository(name, request)),
    }
}

fn unknown_repository(name: &str, request: &TargetRequest) -> TargetError {
    let mut known = vec!["pypi".to_owned(), "testpypi".to_owned()];
    let pypirc = pypirc_path(request);
    if let Some(Ok(Some(file))) = pypirc.as_deref().map(Pypirc::read) {
        known.extend(file.names());
    }
    if let Some(Ok(names)) = request.pyproject.as_deref().map(pyproject_names) {
        known.extend(names);
    }
    let mut seen = std::collections::HashSet::new();
    known.retain(|n| seen.insert(n.clone()));
    let pypirc = pypirc.map_or_else(|| "~/.pypirc".to_owned(), |p| p.display().to_string());
    TargetError::UnknownRepository(format!(
        "no repository named `{name}` (known: {}); add `[tool.cargo-pypi.repositories.{name}]` \
         with `upload-url = \"…\"` to pyproject.toml, or a `[{name}]` section with \
         `repository = …` to {pypirc}, or pass --repository-url",
        known.join(", ")
    ))
}

fn pypirc_path(request: &TargetRequest) -> Option<PathBuf> {
    request.pypirc.clone().or_else(default_pypirc)
}

/// `[tool.cargo-pypi.repositories.NAME]`, when the pyproject.toml defines it.
fn from_pyproject(name: &str, request: &TargetRequest) -> Result<Option<Target>, TargetError> {
    let Some(path) = &request.pyproject else {
        return Ok(None);
    };
    if !path.exists() {
        return Ok(None);
    }
    let file =
        TomlFile::read(path).map_err(|e| TargetError::Invalid(redact_url(&e.to_string())))?;
    let base = toml_path!["tool", "cargo-pypi", "repositories"];
    let Some(table) = file.get(&base).and_then(|t| t.as_table_like()) else {
        return Ok(None);
    };
    let Some(entry) = table.get(name) else {
        return Ok(None);
    };
    let at = format!("{} [tool.cargo-pypi.repositories.{name}]", path.display());
    let line = file.line(entry.span().unwrap_or(0..0).start);
    let invalid = |m: String| TargetError::Invalid(format!("{}:{line}: {m}", path.display()));
    if name == "pypi" || name == "testpypi" {
        return Err(invalid(format!(
            "`[tool.cargo-pypi.repositories.{name}]` redefines the built-in `{name}`; \
             choose another name, or remove it to use {}",
            if name == "pypi" {
                PYPI_UPLOAD
            } else {
                TESTPYPI_UPLOAD
            }
        )));
    }
    let entry = entry.as_table_like().ok_or_else(|| {
        invalid(format!(
            "`tool.cargo-pypi.repositories.{name}` must be a table"
        ))
    })?;
    if let Some((key, _)) = entry
        .iter()
        .find(|(k, _)| !["upload-url", "index-url"].contains(k))
    {
        return Err(invalid(format!(
            "unknown key `{key}` in `[tool.cargo-pypi.repositories.{name}]` (known: upload-url, index-url)"
        )));
    }
    let string = |key: &str| -> Result<Option<String>, TargetError> {
        let path: Vec<Seg> = [base.to_vec(), vec![Seg::from(name), Seg::from(key)]].concat();
        match file.string(&path) {
            Ok(s) => Ok(s.map(|s| s.value)),
            // The value may be a URL with a password: describe, never quote it.
            Err(_) => Err(invalid(format!("`{key}` of `{name}` must be a string"))),
        }
    };
    let upload = string("upload-url")?.ok_or_else(|| {
        invalid(format!(
            "`[tool.cargo-pypi.repositories.{name}]` has no `upload-url`; add `upload-url = \"https://…/legacy/\"`"
        ))
    })?;
    let index = string("index-url")?;
    for url in std::iter::once(&upload).chain(index.as_ref()) {
        if has_password(url) {
            return Err(invalid(format!(
                "a URL of `{name}` holds a password, and pyproject.toml is shared with everyone \
                 who can read the repository; remove the password from the URL, revoke it, and \
                 give the credentials through PYPI_API_TOKEN, TWINE_PASSWORD or .env.local"
            )));
        }
    }
    let mut target = from_urls(&upload, index.as_deref(), &at, &at)?;
    target.name = name.to_owned();
    target.source = at;
    Ok(Some(target))
}

/// Names defined in `[tool.cargo-pypi.repositories]`.
fn pyproject_names(path: &Path) -> Result<Vec<String>, TargetError> {
    let file =
        TomlFile::read(path).map_err(|e| TargetError::Invalid(redact_url(&e.to_string())))?;
    let base = toml_path!["tool", "cargo-pypi", "repositories"];
    let table = file.get(&base).and_then(|t| t.as_table_like());
    Ok(table.map_or_else(Vec::new, |t| t.iter().map(|(k, _)| k.to_owned()).collect()))
}

/// A `.pypirc` section for `name`, when the file defines one.
fn from_pypirc(name: &str, request: &TargetRequest) -> Result<Option<Target>, TargetError> {
    let Some(path) = pypirc_path(request) else {
        return Ok(None);
    };
    let file = Pypirc::read(&path)?;
    let Some(file) = file else {
        return Ok(None);
    };
    let section = file.section(name)?;
    let Some(section) = section else {
        return Ok(None);
    };
    let at = format!("{} [{name}]", pypirc::display_path(&path));
    let Some(upload) = file.repository_url(name) else {
        return Err(TargetError::Invalid(format!(
            "{at} has no `repository`; add `repository = https://…/legacy/` to the section"
        )));
    };
    let mut target = from_urls(&upload, None, &at, &at)?;
    target.name = name.to_owned();
    target.source = at;
    target.username = section.username.clone().or(target.username);
    Ok(Some(target))
}
