//! The HTTP side of the GitHub release: one blocking client (rustls, timeouts,
//! no redirects), GitHub's REST headers on every request, answers read once
//! and redacted, and GitHub's refusals (401, 403, 404, 422, rate limits)
//! turned into messages that say what to do. The token only ever goes into
//! the `Authorization` header, marked sensitive.

use super::{Asset, GithubError, Plan, Repository};
use crate::display::human_size;
use crate::publish::secret::{Redactor, Secret};
use crate::publish::url::DisplaySafeUrl;
use reqwest::blocking::{Body, Client, RequestBuilder};
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, RETRY_AFTER,
};
use reqwest::{Method, Url};
use std::io::Read;
use std::time::Duration;

/// The REST API version every request asks for.
pub const API_VERSION: &str = "2022-11-28";
/// Slowest transfer rate an upload is given time for, on top of the timeout.
const MIN_RATE: u64 = 256 * 1024;
/// At most this much of an answer is read.
const MAX_ANSWER: u64 = 8 * 1024 * 1024;

/// One answer: its status, its body (redacted) and the headers that matter.
pub(super) struct Answer {
    pub status: u16,
    pub body: String,
    headers: HeaderMap,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as `T`, or a refusal that says the answer was not GitHub's.
    pub fn json<T: serde::de::DeserializeOwned>(&self, what: &str) -> Result<T, GithubError> {
        serde_json::from_str(&self.body).map_err(|e| GithubError::Refused {
            status: None,
            message: format!(
                "cannot {what}: the answer is not GitHub's ({e}); check {}",
                crate::env_vars::EnvVars::GITHUB_API_URL
            ),
        })
    }
}

pub(super) struct Api {
    client: Client,
    base: Url,
    repository: Repository,
    token: Secret,
    token_source: &'static str,
    timeout: Duration,
}

impl Api {
    pub fn new(plan: &Plan) -> Result<Api, GithubError> {
        let client = Client::builder()
            .user_agent(format!("cargo-pypi/{}", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(plan.timeout.min(Duration::from_secs(30)))
            .build()
            .map_err(|e| GithubError::Unavailable(format!("cannot set up an HTTP client: {e}")))?;
        Ok(Api {
            client,
            base: (*plan.api_url.without_credentials()).clone(),
            repository: plan.repository.clone(),
            token: plan.token.clone(),
            token_source: plan.token_source,
            timeout: plan.timeout,
        })
    }

    /// `{api}/repos/{owner}/{name}/{segments…}`, each segment percent-encoded.
    pub fn repo_url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("an http(s) URL has a path")
            .pop_if_empty()
            .extend(["repos", &self.repository.owner, &self.repository.name])
            .extend(segments);
        url
    }

    pub fn get(&self, url: Url, what: &str) -> Result<Answer, GithubError> {
        self.send(self.request(Method::GET, url.clone()), &url, what)
    }

    pub fn send_json(
        &self,
        method: Method,
        url: Url,
        json: &serde_json::Value,
        what: &str,
    ) -> Result<Answer, GithubError> {
        let request = self.request(method, url.clone()).json(json);
        self.send(request, &url, what)
    }

    pub fn delete(&self, url: Url, what: &str) -> Result<Answer, GithubError> {
        self.send(self.request(Method::DELETE, url.clone()), &url, what)
    }

    /// Sends `asset` to the release's `upload_url` template (`…/assets{?name,label}`).
    pub fn upload(&self, template: &str, asset: &Asset) -> Result<Answer, GithubError> {
        let what = format!("upload {}", asset.name);
        let base = template.split('{').next().unwrap_or(template);
        let mut url = Url::parse(base).map_err(|e| GithubError::Refused {
            status: None,
            message: format!("cannot {what}: GitHub gave no usable upload URL (`{base}`: {e})"),
        })?;
        url.query_pairs_mut().append_pair("name", &asset.name);
        let file = std::fs::File::open(&asset.path).map_err(|source| GithubError::Asset {
            path: asset.path.clone(),
            source,
        })?;
        let request = (self.request(Method::POST, url.clone()))
            .header(CONTENT_TYPE, "application/octet-stream")
            .timeout(self.timeout + Duration::from_secs(asset.size / MIN_RATE))
            .body(Body::sized(file, asset.size));
        self.send(request, &url, &what)
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.token.expose()))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid-token"));
        auth.set_sensitive(true);
        self.client
            .request(method, url)
            .header(ACCEPT, "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION)
            .header(AUTHORIZATION, auth)
            .timeout(self.timeout)
    }

    fn send(&self, request: RequestBuilder, url: &Url, what: &str) -> Result<Answer, GithubError> {
        let shown = DisplaySafeUrl::from(url.clone());
        let response = request.send().map_err(|e| {
            GithubError::Unavailable(format!(
                "cannot {what}: no answer from {shown} ({}); check the network and {}, then run again to continue",
                describe(&e),
                crate::env_vars::EnvVars::GITHUB_API_URL
            ))
        })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut bytes = Vec::new();
        let read = response.take(MAX_ANSWER).read_to_end(&mut bytes);
        if read.is_err() && (200..300).contains(&status) {
            return Err(GithubError::Unavailable(format!(
                "cannot {what}: the answer from {shown} broke off; run again to continue"
            )));
        }
        Ok(Answer {
            status,
            body: self.scrub(&String::from_utf8_lossy(&bytes)),
            headers,
        })
    }

    /// `text` with the token (and its encoded forms) replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut redactor = Redactor::new();
        redactor.add(&self.token);
        redactor.redact(text)
    }

    /// Why `answer` (not a success) stopped `what`, and what to do about it.
    pub fn refusal(&self, answer: &Answer, what: &str, on_422: &str) -> GithubError {
        let said = format!("GitHub answered {}", said(answer));
        let (repo, token) = (&self.repository, self.token_source);
        // A primary rate limit empties the allowance; a secondary one says when to retry.
        let limited = (answer.headers.get("x-ratelimit-remaining")).is_some_and(|v| v == "0")
            || answer.headers.contains_key(RETRY_AFTER);
        let hint = match answer.status {
            429 => return self.unavailable(answer, what, "rate limit: wait, then run again"),
            403 if limited => {
                return self.unavailable(answer, what, "rate limit: wait, then run again")
            }
            500..=599 => return self.unavailable(answer, what, "run again to continue"),
            401 => format!("the token in {token} is invalid or expired: set a token that may write the contents of {repo}"),
            403 => format!("the token in {token} lacks `contents: write` on {repo} (in a workflow: `permissions: contents: write`)"),
            404 => format!("the repository {repo} does not exist, or the token in {token} cannot see it: check the name and the token's repository access"),
            422 if !on_422.is_empty() => on_422.to_owned(),
            301..=308 => format!(
                "it moved to {}: name the new repository with {} or {}",
                header(&answer.headers, LOCATION).unwrap_or_else(|| "another address".into()),
                crate::env_vars::EnvVars::GITHUB_REPOSITORY,
                super::CONFIG_KEY
            ),
            _ => "fix what GitHub names, then run again".to_owned(),
        };
        GithubError::Refused {
            status: Some(answer.status),
            message: format!("cannot {what}: {said}; {hint}"),
        }
    }

    fn unavailable(&self, answer: &Answer, what: &str, hint: &str) -> GithubError {
        GithubError::Unavailable(format!(
            "cannot {what}: GitHub answered {}; {hint}",
            said(answer)
        ))
    }
}

/// `401 Unauthorized (Bad credentials)`: the status and GitHub's own words,
/// with the validation errors of a 422, cut short.
fn said(answer: &Answer) -> String {
    let reason = reqwest::StatusCode::from_u16(answer.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let status = format!("{} {reason}", answer.status);
    let words = github_message(&answer.body);
    if words.is_empty() {
        status.trim_end().to_owned()
    } else {
        format!("{} ({words})", status.trim_end())
    }
}

/// GitHub's `message` and each of its `errors`, or the start of a body that is not JSON.
fn github_message(body: &str) -> String {
    let mut parts = Vec::new();
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(json) => {
            parts.extend(json["message"].as_str().map(str::to_owned));
            for error in json["errors"].as_array().into_iter().flatten() {
                let text = match error {
                    serde_json::Value::String(s) => s.clone(),
                    _ => error_words(error),
                };
                parts.push(text);
            }
        }
        Err(_) => parts.push(body.split_whitespace().collect::<Vec<_>>().join(" ")),
    }
    let text = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// `tag_name already_exists`, or the error's own message.
fn error_words(error: &serde_json::Value) -> String {
    if let Some(message) = error["message"].as_str() {
        return message.to_owned();
    }
    let words: Vec<&str> = ["resource", "field", "code"]
        .iter()
        .filter_map(|k| error[*k].as_str())
        .collect();
    words.join(" ")
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A reqwest error in words, without its URL (the caller names it, redacted).
fn describe(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "no connection"
    } else if error.is_body() || error.is_request() {
        "the connection broke off"
    } else {
        "request failed"
    }
}

/// `foo.whl (1.2 MiB)`.
pub(super) fn sized(asset: &Asset) -> String {
    format!("{} ({})", asset.name, human_size(asset.size))
}
