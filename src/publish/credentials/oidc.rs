//! Trusted publishing: trading a CI provider's OIDC ID token for a short-lived
//! PyPI API token, and the GitHub Actions mask line for the minted token.
//!
//! GitHub Actions (`GITHUB_ACTIONS=true` with `ACTIONS_ID_TOKEN_REQUEST_URL` and
//! `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, present when the job has
//! `permissions: id-token: write`):
//! 1. `GET <index origin>/_/oidc/audience` -> `{"audience": "…"}`;
//! 2. `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>` with
//!    `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` -> `{"value": "<jwt>"}`;
//! 3. `POST <index origin>/_/oidc/mint-token` `{"token": "<jwt>"}` -> `{"token": "pypi-…"}`.
//!
//! GitLab CI: the ID token is read from `PYPI_ID_TOKEN` (declared under
//! `id_tokens:` with `aud:` set to the index's audience); steps 1 and 3 run, and
//! the token's `aud` claim is compared with the audience before it is sent.
//!
//! The minted token lives 15 minutes: [`mint_renewing`] keeps what the
//! exchange needs and mints again before it expires ([`renew`]). A refused
//! mint is explained from the ID token's claims (`claims`).
//!
//! Safety: the index origin is that of the target's index URL; it must be
//! https (plain http only on loopback). An index other than pypi.org may not ask
//! for the audience `pypi`, nor one other than test.pypi.org for `testpypi`: an
//! ID token for PyPI is never sent elsewhere. Redirects are not followed. Error
//! messages carry PyPI's `message` and the likely causes, and pass through a
//! [`Redactor`] that knows every token in play; nothing is printed.

mod claims;
pub mod id_token;
pub mod renew;

use crate::env_vars::EnvVars;
use crate::publish::secret::{Redactor, Secret};
use crate::publish::target::Target;
use renew::{Minted, Renewing};
use reqwest::blocking::Client;
use reqwest::header::ACCEPT;
use reqwest::StatusCode;
use std::collections::HashMap;
use std::time::Duration;

/// Why trusted publishing failed; the message is redacted and says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OidcError(pub String);

/// Where the ID token comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    GitHubActions,
    GitLabCi,
}

impl Provider {
    /// `GitHub Actions`, `GitLab CI`: for `trusted publishing (…)`.
    pub fn describe(&self) -> &'static str {
        match self {
            Provider::GitHubActions => "GitHub Actions",
            Provider::GitLabCi => "GitLab CI",
        }
    }
}

/// The provider to use, or why trusted publishing is not available (for the
/// message listing what was looked at).
pub fn detect(env: &dyn Fn(&str) -> Option<String>) -> Result<Provider, String> {
    let set = |name: &str| env(name).is_some_and(|v| !v.trim().is_empty());
    if env(EnvVars::GITHUB_ACTIONS).as_deref() == Some("true") {
        if set(EnvVars::ACTIONS_ID_TOKEN_REQUEST_URL)
            && set(EnvVars::ACTIONS_ID_TOKEN_REQUEST_TOKEN)
        {
            return Ok(Provider::GitHubActions);
        }
        if !set(EnvVars::PYPI_ID_TOKEN) {
            return Err("on GitHub Actions, but ACTIONS_ID_TOKEN_REQUEST_URL and \
                        ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set: give the job \
                        `permissions: id-token: write`"
                .into());
        }
    }
    if set(EnvVars::PYPI_ID_TOKEN) {
        return Ok(Provider::GitLabCi);
    }
    Err("not on GitHub Actions (GITHUB_ACTIONS is not `true`) and PYPI_ID_TOKEN is not set".into())
}

/// Trades the provider's ID token for an API token on `target`'s index, and
/// again whenever the token is due for renewal (see [`renew`]): the variables
/// the exchange reads are kept for that.
pub fn mint_renewing(
    target: &Target,
    provider: Provider,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Renewing, OidcError> {
    let first = mint(target, provider, env)?;
    let kept: HashMap<&str, String> = EXCHANGE_VARS
        .iter()
        .filter_map(|&name| env(name).map(|value| (name, value)))
        .collect();
    let target = target.clone();
    Ok(Renewing::new(first, move || {
        mint(&target, provider, &|name| kept.get(name).cloned())
    }))
}

/// The variables an exchange reads.
const EXCHANGE_VARS: [&str; 4] = [
    EnvVars::GITHUB_ACTIONS,
    EnvVars::ACTIONS_ID_TOKEN_REQUEST_URL,
    EnvVars::ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    EnvVars::PYPI_ID_TOKEN,
];

/// Trades the provider's ID token for an API token on `target`'s index.
pub fn mint(
    target: &Target,
    provider: Provider,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Minted, OidcError> {
    let exchange = Exchange::new(target, provider, env)?;
    let audience = exchange.audience()?;
    let jwt = match provider {
        Provider::GitHubActions => exchange.github_id_token(&audience)?,
        Provider::GitLabCi => exchange.gitlab_id_token(&audience)?,
    };
    exchange.mint_token(&jwt)
}

/// `::add-mask::<token>` when `env` says this is GitHub Actions, so the
/// runner hides the token in every later log line. The binary writes it to
/// stderr (the runner reads workflow commands from both streams; stdout stays
/// clean for JSON and the token stays out of a redirected stdout): masking is
/// the one place a secret is written, and only for the Actions runner.
pub fn github_mask_line(secret: &Secret, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if env(EnvVars::GITHUB_ACTIONS).as_deref() != Some("true") || secret.is_empty() {
        return None;
    }
    // Workflow-command escaping, undone by the runner.
    let value = (secret.expose().replace('%', "%25"))
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    Some(format!("::add-mask::{value}"))
}

/// One trusted-publishing exchange against one index.
struct Exchange<'a> {
    provider: Provider,
    env: &'a dyn Fn(&str) -> Option<String>,
    /// `https://pypi.org`
    origin: String,
    host: String,
    redactor: Redactor,
}

const TIMEOUT: Duration = Duration::from_secs(30);
/// At most this much of a response body goes into a message.
const BODY_LIMIT: usize = 400;

impl<'a> Exchange<'a> {
    fn new(
        target: &Target,
        provider: Provider,
        env: &'a dyn Fn(&str) -> Option<String>,
    ) -> Result<Exchange<'a>, OidcError> {
        let origin = target.index_origin().ok_or_else(|| {
            OidcError(format!(
                "trusted publishing needs an http(s) index URL, and {} has none",
                target.name
            ))
        })?;
        let url = reqwest::Url::parse(&origin).expect("an origin is a URL");
        let host = url.host_str().unwrap_or_default().to_owned();
        if url.scheme() != "https" && !is_loopback(&host) {
            return Err(OidcError(format!(
                "trusted publishing would send an ID token to {origin} over plain http; \
                 use the index's https:// URL"
            )));
        }
        let mut redactor = Redactor::new();
        for name in [
            EnvVars::ACTIONS_ID_TOKEN_REQUEST_TOKEN,
            EnvVars::PYPI_ID_TOKEN,
        ] {
            if let Some(value) = env(name) {
                redactor.add(&Secret::new(value));
            }
        }
        Ok(Exchange {
            provider,
            env,
            origin,
            host,
            redactor,
        })
    }

    fn fail(&self, message: String) -> OidcError {
        OidcError(self.redactor.redact(&message))
    }

    fn audience(&self) -> Result<String, OidcError> {
        let url = format!("{}/_/oidc/audience", self.origin);
        let (status, body) = self.send(client(&url)?.get(&url), &url)?;
        if status.as_u16() == 404 {
            return Err(self.fail(format!(
                "{} does not offer trusted publishing ({url} answered 404); upload with an \
                 API token instead (PYPI_API_TOKEN, TWINE_PASSWORD or --token)",
                self.host
            )));
        }
        if !status.is_success() {
            return Err(self.fail(format!(
                "could not get the trusted-publishing audience from {url}: HTTP {status}{}",
                pypi_message(&body)
            )));
        }
        let audience = json_string(&body, "audience").ok_or_else(|| {
            self.fail(format!(
                "{url} answered without an `audience`; is {} a PyPI-compatible index?",
                self.host
            ))
        })?;
        self.check_audience(&audience)?;
        Ok(audience)
    }

    /// An ID token for PyPI (or TestPyPI) is never requested for another host.
    fn check_audience(&self, audience: &str) -> Result<(), OidcError> {
        let owner = match audience {
            "pypi" => "pypi.org",
            "testpypi" => "test.pypi.org",
            _ => return Ok(()),
        };
        if self.host == owner {
            return Ok(());
        }
        Err(self.fail(format!(
            "{} asks for an ID token with audience `{audience}`, which belongs to {owner}; \
             refusing, as the token would let {} publish on {owner} as this workflow",
            self.host, self.host
        )))
    }

    fn github_id_token(&self, audience: &str) -> Result<Secret, OidcError> {
        id_token::github(self.env, audience, &self.redactor)
    }

    fn gitlab_id_token(&self, audience: &str) -> Result<Secret, OidcError> {
        let jwt = (self.env)(EnvVars::PYPI_ID_TOKEN).unwrap_or_default();
        let jwt = jwt.trim();
        if let Some(claimed) = claims::read(jwt).and_then(|c| c.audiences()) {
            if !claimed.iter().any(|a| a == audience) {
                let claimed = claimed.join(", ");
                return Err(self.fail(format!(
                    "PYPI_ID_TOKEN is for audience `{claimed}`, but {} expects `{audience}`; \
                     set `aud: {audience}` under `id_tokens: PYPI_ID_TOKEN:` in .gitlab-ci.yml",
                    self.host
                )));
            }
        }
        Ok(Secret::new(jwt))
    }

    fn mint_token(&self, jwt: &Secret) -> Result<Minted, OidcError> {
        let url = format!("{}/_/oidc/mint-token", self.origin);
        let body = serde_json::json!({ "token": jwt.expose() });
        let mut redactor = self.redactor.clone();
        redactor.add(jwt);
        let request = client(&url)?.post(&url).json(&body);
        let (status, text) = self.send(request, &url)?;
        let token = json_string(&text, "token").filter(|t| !t.is_empty());
        if let (true, Some(token)) = (status.is_success(), token) {
            return Ok(Minted::new(Secret::new(token), json_u64(&text, "expires")));
        }
        let message = format!(
            "{} refused to mint an API token for trusted publishing: HTTP {status}{}; {}",
            self.host,
            pypi_message(&text),
            match status.is_client_error() {
                true => self.causes(jwt),
                false => "the index may be busy: run the job again later".into(),
            }
        );
        Err(OidcError(redactor.redact(&message)))
    }

    fn causes(&self, jwt: &Secret) -> String {
        let publisher = match self.provider {
            Provider::GitHubActions => {
                "the owner and repository, the workflow file that runs this job, and the \
                 GitHub environment if the publisher names one"
            }
            Provider::GitLabCi => {
                "the namespace and project, the top-level pipeline file, and the environment \
                 if the publisher names one"
            }
        };
        let mut text = format!(
            "usually no trusted publisher on {} matches this job: check the project's \
             Publishing settings there ({publisher} must match exactly, and a pending \
             publisher only works for a new project's first upload)",
            self.host
        );
        if let Some(claims) = claims::read(jwt.expose()) {
            text.push_str(&format!("\nthe ID token says: {}", claims.identity()));
            for cause in claims.causes(&self.host) {
                text.push_str(&format!("\n  - {cause}"));
            }
        }
        text.push_str("\nsee https://docs.pypi.org/trusted-publishers/troubleshooting/");
        text
    }

    fn send(
        &self,
        request: reqwest::blocking::RequestBuilder,
        what: &str,
    ) -> Result<(StatusCode, String), OidcError> {
        send(request, what, &self.redactor)
    }
}

/// Sends `request` asking for JSON; its status and body. Not reaching `what`
/// (a URL shown without its query, or words) is an error, redacted.
fn send(
    request: reqwest::blocking::RequestBuilder,
    what: &str,
    redactor: &Redactor,
) -> Result<(StatusCode, String), OidcError> {
    let request = request.header(ACCEPT, "application/json");
    let response = request.send().map_err(|e| {
        let e = e.without_url();
        let shown = what.split('?').next().unwrap_or(what);
        OidcError(redactor.redact(&format!(
            "could not reach {shown} for trusted publishing: {e}"
        )))
    })?;
    Ok((response.status(), response.text().unwrap_or_default()))
}

fn client(url: &str) -> Result<Client, OidcError> {
    let host = reqwest::Url::parse(url).ok();
    let host = host.as_ref().and_then(|u| u.host_str()).unwrap_or("");
    let mut builder = Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(crate::publish::index::user_agent());
    if is_loopback(host) {
        builder = builder.no_proxy();
    }
    builder
        .build()
        .map_err(|e| OidcError(format!("cannot set up an HTTP client: {e}")))
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn json_u64(body: &str, key: &str) -> Option<u64> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value.get(key)?.as_u64()
}

fn json_string(body: &str, key: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value.get(key)?.as_str().map(str::to_owned)
}

/// `: <message> (<error descriptions>)` from a Warehouse JSON error, or a short
/// excerpt of another body; empty when there is nothing to say.
fn pypi_message(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        let text = body.trim();
        if text.is_empty() {
            return String::new();
        }
        let cut: String = text.chars().take(BODY_LIMIT).collect();
        return format!(": {cut}");
    };
    let mut parts = Vec::new();
    if let Some(message) = value.get("message").and_then(|m| m.as_str()) {
        parts.push(message.to_owned());
    }
    let errors = value.get("errors").and_then(|e| e.as_array());
    for error in errors.into_iter().flatten() {
        let description = error.get("description").and_then(|d| d.as_str());
        let code = error.get("code").and_then(|c| c.as_str());
        match (code, description) {
            (Some(code), Some(d)) => parts.push(format!("{code}: {d}")),
            (None, Some(d)) => parts.push(d.to_owned()),
            _ => {}
        }
    }
    if parts.is_empty() {
        return String::new();
    }
    let joined: String = parts.join("; ").chars().take(BODY_LIMIT).collect();
    format!(": {joined}")
}
