//! Finding credentials for a target, in a documented order, without ever
//! printing them: flags, environment, `.env` files (refused when unsafe),
//! `~/.pypirc`, trusted publishing (GitHub Actions, GitLab CI), a prompt.
//!
//! # Order (the first hit wins)
//!
//! 1. `--token` (username `__token__`).
//! 2. Credentials written into the repository URL (`https://user:pass@host/…`,
//!    from `--repository-url`, `--index-url` or `.pypirc`'s `repository`).
//! 3. The environment, in this order:
//!    - PyPI (`upload.pypi.org`) only: `PYPI_API_TOKEN`, then `PYPI_API_KEY`;
//!    - TestPyPI (`test.pypi.org`) only: `TESTPYPI_API_TOKEN`;
//!    - every target: `TWINE_PASSWORD` (username `TWINE_USERNAME`), `MATURIN_PYPI_TOKEN`,
//!      `MATURIN_PASSWORD` (username `MATURIN_USERNAME`), `UV_PUBLISH_TOKEN`, `UV_PUBLISH_PASSWORD` (username `UV_PUBLISH_USERNAME`).
//!
//!    A tool's variables are left out for an index that is not that tool's
//!    ([`Target::foreign`]: its own `TWINE_REPOSITORY_URL`, `UV_PUBLISH_URL`,
//!    … name another), in `.env` files too; the "no credentials" error says so.
//!    Token variables use `__token__`; a password variable without its username
//!    variable uses `.pypirc`'s username for the target, else `__token__`. A
//!    variable set to the empty string counts as unset (an unset CI secret).
//!    `PYPI_USERNAME` is not read: PyPI accepts only `__token__` with a token.
//! 4. `.env.local`, then `.env`, at the repository root: the same variables in
//!    the same order, each file searched completely before the next. A file that
//!    holds one of them is refused when group or others can read it, when git
//!    tracks it, or when it is in a git work tree and not ignored.
//! 5. The `password` of `~/.pypirc`'s section for the target: the section named
//!    like the target, else the one whose `repository` is the upload URL. The
//!    password is only sent to the URL that section names (a pyproject.toml
//!    repository of the same name pointing elsewhere does not get it). Refused
//!    (an error, not a warning: library code prints nothing, and a silently
//!    skipped password would turn into a confusing "no credentials") when the
//!    file is readable by group or others.
//! 6. Trusted publishing ([`oidc`]): GitHub Actions, then an ID
//!    token in `PYPI_ID_TOKEN` (GitLab CI).
//! 7. The caller's prompt ([`CredentialRequest::prompt`]), when it gives one:
//!    the binary asks on the terminal; the library never talks to it.
//!
//! For PyPI and TestPyPI a `__token__` credential must look like an API token
//! (`pypi-` then letters, digits, `-`, `_`): a placeholder or a token pasted with
//! quotes or spaces fails here, naming its source, rather than with a 403.

pub mod dotenv;
mod files;
pub mod oidc;
pub mod vars;

use super::pypirc;
use super::secret::Secret;
use super::target::Target;
use std::path::PathBuf;
use std::sync::Arc;

/// Username and password/token, with where they came from (never the value).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub username: String,
    pub password: Secret,
    /// e.g. `environment variable PYPI_API_TOKEN`, `trusted publishing (GitHub Actions)`.
    pub source: String,
    /// Trusted publishing: the minted token (`password` is the first one),
    /// renewed before it expires; the upload asks it for the token of each
    /// request. `None` for every other source.
    pub renewal: Option<Arc<oidc::renew::Renewing>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unsafe(String),
    #[error(transparent)]
    Oidc(#[from] oidc::OidcError),
    /// `~/.pypirc` cannot be read or parsed.
    #[error(transparent)]
    Pypirc(#[from] pypirc::PypircError),
    /// A `.env` file cannot be read or parsed, or a value is malformed.
    #[error("{0}")]
    Config(String),
    /// The caller's prompt failed.
    #[error("{0}")]
    Prompt(String),
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
    /// Asks the user, last of all sources (the binary's terminal prompt, given
    /// only when stdin and stderr are a terminal). Its credentials should name
    /// [`PROMPT_SOURCE`].
    pub prompt: Option<&'a Prompt<'a>>,
    /// `~/.pypirc` (default `$HOME/.pypirc`).
    pub pypirc: Option<PathBuf>,
}

/// A prompt for a target's credentials.
pub type Prompt<'a> = dyn Fn(&Target) -> Result<Credentials, CredentialError> + 'a;

/// A [`Prompt`] that is a plain function (the binary's).
pub type PromptFn = fn(&Target) -> Result<Credentials, CredentialError>;

/// The source named for credentials typed at the prompt.
pub const PROMPT_SOURCE: &str = "interactive prompt";

/// The dotenv files, in the order they are read.
pub const DOTENV_FILES: [&str; 2] = [".env.local", ".env"];

/// Credentials found, or a source whose value is only obtained when it is used.
#[derive(Debug)]
pub enum Located {
    Ready(Credentials),
    /// Trusted publishing (a token would be minted) or the prompt (the user
    /// would be asked): [`find`] gets the value when the upload needs it.
    Deferred {
        source: String,
    },
}

/// Whether credentials from `source` (a [`Credentials::source`] or
/// [`Located::source`]) are a token minted by trusted publishing: the one
/// home of that test (attestations and the runner's log mask depend on it).
pub fn is_trusted_publishing(source: &str) -> bool {
    source.starts_with(TRUSTED_PUBLISHING)
}

const TRUSTED_PUBLISHING: &str = "trusted publishing (";

impl Located {
    /// e.g. `environment variable PYPI_API_TOKEN`, `trusted publishing (GitHub Actions)`.
    pub fn source(&self) -> &str {
        match self {
            Located::Ready(c) => &c.source,
            Located::Deferred { source } => source,
        }
    }
}

/// The first source in the documented order, with its value.
pub fn find(request: &CredentialRequest) -> Result<Credentials, CredentialError> {
    match search(request, false)? {
        Located::Ready(credentials) => Ok(credentials),
        Located::Deferred { .. } => unreachable!("find never defers"),
    }
}

/// Where [`find`] would take the credentials from, without side effects: no
/// token is minted and nobody is asked (dry runs and plans).
pub fn locate(request: &CredentialRequest) -> Result<Located, CredentialError> {
    search(request, true)
}

fn search(request: &CredentialRequest, defer: bool) -> Result<Located, CredentialError> {
    let mut search = Search::default();
    let found = from_flag(request, &mut search)
        .or_else(|| from_url(request, &mut search))
        .or_else(|| from_env(request, &mut search))
        .map(Located::Ready);
    let found = match found {
        Some(found) => Some(found),
        None => first_of(request, &mut search, defer)?,
    };
    match found {
        Some(Located::Ready(credentials)) => {
            check_token_shape(request.target, &credentials)?;
            Ok(Located::Ready(credentials))
        }
        Some(deferred) => Ok(deferred),
        None => Err(search.not_found(request)),
    }
}

/// Sources 4 to 7, which may fail; with `defer`, 6 and 7 are named, not used.
fn first_of(
    request: &CredentialRequest,
    search: &mut Search,
    defer: bool,
) -> Result<Option<Located>, CredentialError> {
    if let Some(found) = files::from_dotenv(request, search)? {
        return Ok(Some(Located::Ready(found)));
    }
    if let Some(found) = files::from_pypirc(request, search)? {
        return Ok(Some(Located::Ready(found)));
    }
    if let Some(found) = from_oidc(request, search, defer)? {
        return Ok(Some(found));
    }
    match request.prompt {
        Some(_) if defer => Ok(Some(Located::Deferred {
            source: PROMPT_SOURCE.to_string(),
        })),
        Some(ask) => ask(request.target).map(|c| Some(Located::Ready(c))),
        None => {
            search.looked("interactive prompt: not offered (not running on a terminal)");
            Ok(None)
        }
    }
}

/// What was looked at, in order, for the message when nothing is found.
#[derive(Default)]
struct Search {
    looked: Vec<String>,
    hints: Vec<String>,
}

impl Search {
    fn looked(&mut self, what: impl Into<String>) {
        self.looked.push(what.into());
    }

    fn not_found(self, request: &CredentialRequest) -> CredentialError {
        let target = request.target;
        let mut message = format!(
            "no credentials found for {} ({}); looked at, in order:",
            target.name, target.upload_url
        );
        for (i, what) in self.looked.iter().enumerate() {
            message.push_str(&format!("\n  {}. {what}", i + 1));
        }
        for hint in &self.hints {
            message.push_str(&format!("\nnote: {hint}"));
        }
        message.push_str(&format!("\n{}", fix(target)));
        CredentialError::NotFound(message)
    }
}

fn fix(target: &Target) -> String {
    let var = vars::for_target(target)[0].secret_name();
    let page = match target.token_page() {
        Some(page) => format!("create an API token at {page}, then "),
        None => String::new(),
    };
    format!(
        "fix: {page}either export {var}=… in the shell, or put `{var}=…` in .env.local at the \
         repository root (then `chmod 600 .env.local` and `echo .env.local >> .gitignore`), \
         or pass --token; in CI prefer trusted publishing: \
         https://docs.pypi.org/trusted-publishers/"
    )
}

fn from_flag(request: &CredentialRequest, search: &mut Search) -> Option<Credentials> {
    let Some(token) = request
        .token
        .clone()
        .filter(|t| !t.expose().trim().is_empty())
    else {
        search.looked("--token: not given");
        return None;
    };
    Some(Credentials {
        username: "__token__".into(),
        password: Secret::new(token.expose().trim()),
        source: "--token".into(),
        renewal: None,
    })
}

fn from_url(request: &CredentialRequest, search: &mut Search) -> Option<Credentials> {
    let target = request.target;
    let Some(creds) = &target.url_credentials else {
        search.looked("credentials in the repository URL: none");
        return None;
    };
    Some(Credentials {
        username: creds.username.clone(),
        password: creds.password.clone(),
        source: format!("credentials in the repository URL ({})", target.source),
        renewal: None,
    })
}

fn from_env(request: &CredentialRequest, search: &mut Search) -> Option<Credentials> {
    let vars = vars::for_target(request.target);
    search
        .hints
        .extend(vars::left_out(request.target, request.env));
    let user = request.target.username.as_deref();
    let Some(hit) = vars::lookup(&vars, request.env, user, &mut search.hints) else {
        search.looked(format!(
            "environment variables {}: none set",
            vars::describe(&vars)
        ));
        return None;
    };
    let noun = if hit.plural { "variables" } else { "variable" };
    Some(Credentials {
        username: hit.username,
        password: hit.password,
        source: format!("environment {noun} {}", hit.names),
        renewal: None,
    })
}

fn from_oidc(
    request: &CredentialRequest,
    search: &mut Search,
    defer: bool,
) -> Result<Option<Located>, CredentialError> {
    let provider = match oidc::detect(request.env) {
        Ok(provider) => provider,
        Err(why) => {
            search.looked(format!("trusted publishing: {why}"));
            return Ok(None);
        }
    };
    let source = format!("{TRUSTED_PUBLISHING}{})", provider.describe());
    if defer {
        return Ok(Some(Located::Deferred { source }));
    }
    let renewal = oidc::mint_renewing(request.target, provider, request.env)?;
    Ok(Some(Located::Ready(Credentials {
        username: "__token__".into(),
        password: renewal.current(),
        source,
        renewal: Some(Arc::new(renewal)),
    })))
}

/// For PyPI and TestPyPI, a `__token__` credential must look like an API token.
fn check_token_shape(target: &Target, credentials: &Credentials) -> Result<(), CredentialError> {
    if !(target.is_pypi() || target.is_testpypi()) || credentials.username != "__token__" {
        return Ok(());
    }
    let value = credentials.password.expose();
    let body = value.strip_prefix("pypi-");
    let shaped = body.is_some_and(|b| {
        !b.is_empty()
            && b.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if shaped {
        return Ok(());
    }
    let page = target
        .token_page()
        .unwrap_or("https://pypi.org/manage/account/token/");
    let why = if body.is_none() {
        "does not start with `pypi-`"
    } else {
        "holds characters an API token never has (quotes, spaces, line breaks?)"
    };
    Err(CredentialError::Config(format!(
        "the token from {} is not a PyPI API token: it {why}; copy the whole token \
         (`pypi-…`) from {page}, without quotes",
        credentials.source
    )))
}
