//! The GitHub release of a version: created as a draft, the artifacts
//! uploaded to it, then published (the order immutable releases allow), with
//! the version's changelog section as its notes, through GitHub's REST API.
//!
//! Like every step it has a plan and an apply:
//! - [`plan`] finds the repository (`owner/name` from the configuration,
//!   `GITHUB_REPOSITORY`, or a git remote on github.com), the token
//!   (`GITHUB_TOKEN`, else `GH_TOKEN`), the API (`GITHUB_API_URL`, default
//!   the public API) and reads each asset's size and sha256; it sends nothing,
//!   and gives a [`Skip`] with the variable to set when there is no
//!   repository or no token;
//! - [`apply`] is idempotent: a published release with every asset is left
//!   alone ("already released"), a draft left by an earlier run is reused and
//!   completed, an asset already attached (same name and size) is not sent
//!   again. Parts: `repo` (owner/name from remote URLs), `api` (the HTTP
//!   client, GitHub's answers and refusals in words, the token redacted),
//!   `release` (the sequence).

mod api;
mod release;
mod repo;

pub use repo::Repository;

use crate::env_vars::EnvVars;
use crate::publish::secret::Secret;
use crate::publish::url::{redact_url, DisplaySafeUrl};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The public GitHub API, used when `GITHUB_API_URL` is not set.
pub const PUBLIC_API: &str = "https://api.github.com";
/// The host of the public GitHub, whose remotes are always recognized.
pub const PUBLIC_HOST: &str = "github.com";
/// How the configuration key is named in messages.
pub const CONFIG_KEY: &str = "`github` in [tool.cargo-pypi.release]";

/// What the release step hands over; [`plan`] resolves the rest.
pub struct Request<'a> {
    /// `owner/name` from the configuration ([`CONFIG_KEY`]), when set.
    pub repository: Option<&'a str>,
    /// The URL of the remote the tag is pushed to (origin or the upstream).
    pub remote_url: Option<&'a str>,
    /// The tag, already pushed: `v1.2.3`. It also names the release.
    pub tag: &'a str,
    /// The release notes: the version's changelog section.
    pub notes: &'a str,
    /// Marks the release as a pre-release (an alpha, beta, rc or dev version).
    pub prerelease: bool,
    /// Marks the release GitHub's latest (`make_latest`); false when a higher
    /// version is tagged already (a fix on an older line). Not sent for a
    /// pre-release, which GitHub never makes the latest.
    pub latest: bool,
    /// The files to attach: the sdist and the wheels.
    pub assets: &'a [PathBuf],
    /// The environment (`std::env::var(..).ok()` outside tests).
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// What [`plan`] decided.
#[derive(Debug)]
pub enum Planned {
    Release(Box<Plan>),
    /// No GitHub release: the reason says which variable or key would give one.
    Skip(Skip),
}

/// Why there is no GitHub release, in words for a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub reason: String,
}

/// Everything [`apply`] needs, resolved and checked; nothing sent yet.
#[derive(Debug, Clone)]
pub struct Plan {
    pub repository: Repository,
    /// Where `repository` came from: [`CONFIG_KEY`], `GITHUB_REPOSITORY` or
    /// `the remote <url>` (user information hidden).
    pub repository_source: String,
    /// The REST API's base URL.
    pub api_url: DisplaySafeUrl,
    /// Never shown: `Debug` and `Display` print `***`.
    pub token: Secret,
    /// `GITHUB_TOKEN` or `GH_TOKEN`, for messages.
    pub token_source: &'static str,
    pub tag: String,
    /// The release title: the tag.
    pub name: String,
    pub notes: String,
    pub prerelease: bool,
    /// See [`Request::latest`].
    pub latest: bool,
    pub assets: Vec<Asset>,
    /// How long one request may take; an upload gets one more second per
    /// 256 KiB on top of it.
    pub timeout: Duration,
}

/// A file to attach, as read when planning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub path: PathBuf,
    /// The asset's name on GitHub: the file name.
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub status: Status,
    /// The release page (`html_url`).
    pub url: String,
    /// Assets sent by this run, by name.
    pub uploaded: Vec<String>,
    /// Assets found attached already, by name.
    pub already_attached: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// A new draft was created, completed and published.
    Published,
    /// A draft left by an earlier run was completed and published.
    PublishedDraft,
    /// The release was published already; missing assets (if any) were added.
    AlreadyReleased,
}

/// Why the GitHub release failed; no message holds the token.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    /// A repository, API URL or asset list that cannot be used (exit 2).
    #[error("{0}")]
    Input(String),
    #[error("cannot read {}: {source}", path.display())]
    Asset {
        path: PathBuf,
        source: std::io::Error,
    },
    /// GitHub refused a request (`status`), or its answer cannot be used
    /// (`None`: an asset of the same name that is another file, an answer
    /// that is not GitHub's); the message names it and what to do.
    #[error("{message}")]
    Refused {
        status: Option<u16>,
        message: String,
    },
    /// No answer, a timeout, a rate limit or a server error: running again
    /// continues where this run stopped.
    #[error("{0}")]
    Unavailable(String),
}

/// Resolves the repository, token, API URL and assets. Sends nothing.
pub fn plan(request: &Request) -> Result<Planned, GithubError> {
    let env = |name: &str| (request.env)(name).filter(|v| !v.trim().is_empty());
    let Some((repository, repository_source)) = find_repository(request, &env)? else {
        return Ok(Planned::Skip(Skip {
            reason: format!(
                "no GitHub repository: {}; set {} or {CONFIG_KEY} (`owner/name`)",
                match request.remote_url {
                    Some(url) => format!("the remote {} is not on GitHub", redact_url(url)),
                    None => "there is no remote".to_owned(),
                },
                EnvVars::GITHUB_REPOSITORY
            ),
        }));
    };
    let token = [EnvVars::GITHUB_TOKEN, EnvVars::GH_TOKEN]
        .into_iter()
        .find_map(|name| env(name).map(|value| (name, Secret::new(value.trim()))));
    let Some((token_source, token)) = token else {
        return Ok(Planned::Skip(Skip {
            reason: format!(
                "no GitHub token: set {} (or {}) to a token that may write the contents of {repository}",
                EnvVars::GITHUB_TOKEN,
                EnvVars::GH_TOKEN
            ),
        }));
    };
    if !token.expose().bytes().all(|b| b.is_ascii_graphic()) {
        return Err(GithubError::Input(format!(
            "the token in {token_source} holds spaces or other characters a token never has: set it to the token alone"
        )));
    }
    Ok(Planned::Release(Box::new(Plan {
        api_url: api_url(&env)?,
        repository,
        repository_source,
        token,
        token_source,
        tag: request.tag.to_owned(),
        name: request.tag.to_owned(),
        notes: request.notes.to_owned(),
        prerelease: request.prerelease,
        latest: request.latest,
        assets: read_assets(request.assets)?,
        timeout: Duration::from_secs(60),
    })))
}

/// Creates (or completes) the release and publishes it; see the module docs.
pub fn apply(plan: &Plan, reporter: &dyn crate::report::Reporter) -> Result<Outcome, GithubError> {
    let api = api::Api::new(plan)?;
    release::run(plan, &api, reporter)
}

type Env<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// The configured repository, else `GITHUB_REPOSITORY`, else the remote's.
fn find_repository(
    request: &Request,
    env: &Env,
) -> Result<Option<(Repository, String)>, GithubError> {
    let given = match request.repository {
        Some(value) => Some((value.to_owned(), CONFIG_KEY.to_owned())),
        None => env(EnvVars::GITHUB_REPOSITORY)
            .map(|value| (value, EnvVars::GITHUB_REPOSITORY.to_owned())),
    };
    if let Some((value, source)) = given {
        let repository = Repository::parse(&value).ok_or_else(|| {
            GithubError::Input(format!(
                "invalid GitHub repository `{value}` in {source}: expected `owner/name`, as in `PyO3/maturin`"
            ))
        })?;
        return Ok(Some((repository, source)));
    }
    let Some(url) = request.remote_url else {
        return Ok(None);
    };
    let mut hosts = vec![PUBLIC_HOST.to_owned()];
    // GitHub Enterprise: its API named, and its server too.
    if env(EnvVars::GITHUB_API_URL).is_some() {
        let server = env(EnvVars::GITHUB_SERVER_URL);
        hosts.extend(server.as_deref().and_then(repo::server_host));
    }
    let found = Repository::from_remote_url(url, &hosts);
    Ok(found.map(|r| (r, format!("the remote {}", redact_url(url)))))
}

/// `GITHUB_API_URL`, else the public API; http(s) only.
fn api_url(env: &Env) -> Result<DisplaySafeUrl, GithubError> {
    let Some(text) = env(EnvVars::GITHUB_API_URL) else {
        return Ok(DisplaySafeUrl::parse(PUBLIC_API).expect("the public API URL parses"));
    };
    let invalid = |why: String| {
        GithubError::Input(format!(
            "invalid {} `{}`: {why}; it is the REST API's address, such as {PUBLIC_API} or https://github.example.com/api/v3",
            EnvVars::GITHUB_API_URL,
            redact_url(&text)
        ))
    };
    let url = DisplaySafeUrl::parse(text.trim()).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("not an http(s) URL".to_owned()));
    }
    Ok(url.without_credentials())
}

/// Each asset's name, size and sha256; two assets of one name are refused.
fn read_assets(paths: &[PathBuf]) -> Result<Vec<Asset>, GithubError> {
    let mut assets: Vec<Asset> = Vec::with_capacity(paths.len());
    for path in paths {
        let asset = read_asset(path)?;
        if let Some(other) = assets.iter().find(|a| a.name == asset.name) {
            return Err(GithubError::Input(format!(
                "two release assets are named {}: {} and {}; a release holds one file per name",
                asset.name,
                other.path.display(),
                path.display()
            )));
        }
        assets.push(asset);
    }
    Ok(assets)
}

fn read_asset(path: &Path) -> Result<Asset, GithubError> {
    let unreadable = |source| GithubError::Asset {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let (size, sha256) = crate::digest::sha256_at(&file).map_err(unreadable)?;
    Ok(Asset {
        path: path.to_owned(),
        name: crate::display::file_name(path),
        size,
        sha256,
    })
}
