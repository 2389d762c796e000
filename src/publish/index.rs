//! Reading an index's files for a project from its simple API: the JSON form
//! of PEP 691 when offered, the HTML form of PEP 503 (`#sha256=` fragments,
//! or another digest, or none) otherwise; and asking an index's root whether
//! a simple index is there at all ([`probe_root`]).
//!
//! One request per call, no retries: [`IndexError::Unavailable`] tells the
//! caller that another attempt may succeed. Credentials are sent only when the
//! caller passes them (the upload sends them only to the upload URL's origin).
//! A redirect to another origin (pypiserver's fallback to pypi.org for
//! projects it does not hold) means the index has no file of the project.

use super::secret::Secret;
use super::url::{same_origin, DisplaySafeUrl};
use crate::dist::filename::normalize_name;
use reqwest::blocking::{Client, Response};
use reqwest::header::{HeaderMap, ACCEPT, CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use std::time::{Duration, SystemTime};

mod page;

pub mod json_api;
pub(crate) use page::unescape;
pub use page::{parse_html, parse_json};

/// A file the index lists for the project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexFile {
    pub filename: String,
    /// Lower-case hex.
    pub sha256: Option<String>,
    /// Another digest the index gives instead (PEP 503 allows any of
    /// `hashlib`'s: `md5`, `sha512`…): its name and lower-case hex value.
    pub other_hash: Option<(String, String)>,
    /// Where the file is downloaded from, as the page says (maybe relative to it).
    pub href: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The index answered, but not with a list of files (refused credentials,
    /// not a simple index, unreadable page): another attempt would not help.
    #[error("{0}")]
    Http(String),
    /// No answer, a timeout, 429 or a 5xx: worth another attempt, after
    /// `retry_after` when the index said so.
    #[error("{message}")]
    Unavailable {
        message: String,
        retry_after: Option<Duration>,
    },
}

/// Username and password sent to the index (Basic authentication).
#[derive(Debug, Clone, Copy)]
pub struct IndexAuth<'a> {
    pub username: &'a str,
    pub password: &'a Secret,
}

/// What `Accept` asks for: PEP 691 JSON first, then the HTML forms.
pub const ACCEPT_SIMPLE: &str = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

/// Files listed for `project` (any spelling; normalized for the URL). A 404
/// is an empty list. `auth` is for indexes that protect their listing
/// (pypiserver `-a list`).
pub fn existing_files(
    client: &Client,
    index_url: &Url,
    project: &str,
    auth: Option<IndexAuth>,
) -> Result<Vec<IndexFile>, IndexError> {
    project_page(client, index_url, project, auth).map(Option::unwrap_or_default)
}

/// What an index's root (`GET {index_url}`, headers only) says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// It answers (or wants credentials): a simple index is there.
    Found,
    /// 404, 405 or 410 (`status`); `devpi` when devpi-server answered (its
    /// simple index is at `…/+simple/`).
    Missing { status: String, devpi: bool },
    /// No answer, or one that tells nothing (a 5xx): the listing will say more.
    Unknown,
}

/// Asks the index's root whether a simple index is there; the answer's body is not read.
pub fn probe_root(client: &Client, index_url: &Url, auth: Option<IndexAuth>) -> Root {
    let mut request = client.get(index_url.clone()).header(ACCEPT, ACCEPT_SIMPLE);
    if let Some(auth) = auth {
        request = request.basic_auth(auth.username, Some(auth.password.expose()));
    }
    let Ok(response) = request.send() else {
        return Root::Unknown;
    };
    let status = response.status();
    let devpi = response.headers().contains_key("x-devpi-server-version");
    match status.as_u16() {
        200..=299 | 401 | 403 => Root::Found,
        404 | 405 | 410 => Root::Missing {
            status: status_text(status),
            devpi,
        },
        _ => Root::Unknown,
    }
}

/// Like [`existing_files`], but `None` when the index has no page for the
/// project (404, or a redirect to another origin).
pub fn project_page(
    client: &Client,
    index_url: &Url,
    project: &str,
    auth: Option<IndexAuth>,
) -> Result<Option<Vec<IndexFile>>, IndexError> {
    let url = project_url(index_url, project)?;
    let shown = DisplaySafeUrl::from(url.clone()).to_string();
    let mut request = client
        .get(url.clone())
        .header(ACCEPT, ACCEPT_SIMPLE)
        .header(CACHE_CONTROL, "max-age=0");
    if let Some(auth) = auth {
        request = request.basic_auth(auth.username, Some(auth.password.expose()));
    }
    let response = request.send().map_err(|e| IndexError::Unavailable {
        message: format!(
            "cannot read the files of {project} from {shown}: {}",
            describe_error(&e)
        ),
        retry_after: None,
    })?;
    if !same_origin(response.url(), &url) {
        // A fallback to another index: this one does not hold the project.
        return Ok(None);
    }
    read_listing(response, project, &shown, auth.is_some())
}

fn read_listing(
    response: Response,
    project: &str,
    shown: &str,
    authenticated: bool,
) -> Result<Option<Vec<IndexFile>>, IndexError> {
    let status = response.status();
    let fail = |what: String| format!("cannot read the files of {project} from {shown}: {what}");
    if status == StatusCode::NOT_FOUND || status.is_redirection() {
        // 404: no such project. A redirect left unfollowed goes to another
        // origin: pypiserver's fallback for projects it does not hold.
        return Ok(None);
    }
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Err(IndexError::Unavailable {
            message: fail(format!("the index answered {}", status_text(status))),
            retry_after: retry_after(response.headers()),
        });
    }
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        let remedy = if authenticated {
            "it refused the credentials: check the username (`__token__` for an API token) and the password or token"
        } else {
            "it wants credentials to list files: give them for this index"
        };
        return Err(IndexError::Http(fail(format!(
            "the index answered {}; {remedy}",
            status_text(status)
        ))));
    }
    if !status.is_success() {
        return Err(IndexError::Http(fail(format!(
            "the index answered {}: check that {shown} is the project's page of a simple index (PEP 503), such as https://pypi.org/simple/<project>/",
            status_text(status)
        ))));
    }
    let json = content_type(response.headers()).contains("json");
    let text = response.text().map_err(|e| IndexError::Unavailable {
        message: fail(format!("the answer broke off ({})", describe_error(&e))),
        retry_after: None,
    })?;
    if json {
        parse_json(&text).map(Some).map_err(|why| {
            IndexError::Http(fail(format!(
                "the JSON answer is not a PEP 691 project page ({why})"
            )))
        })
    } else {
        Ok(Some(parse_html(&text)))
    }
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// `404 Not Found`, or the bare code for statuses without a reason phrase.
pub(crate) fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// The project's page: `{index_url}/{normalized name}/`.
pub fn project_url(index_url: &Url, project: &str) -> Result<Url, IndexError> {
    let mut base = index_url.clone();
    if !base.path().ends_with('/') {
        base.set_path(&format!("{}/", base.path()));
    }
    base.join(&format!("{}/", normalize_name(project)))
        .map_err(|e| {
            IndexError::Http(format!(
                "cannot build the URL of {project} under {}: {e}",
                DisplaySafeUrl::from(index_url.clone())
            ))
        })
}

/// A client for index pages: redirects are followed within the same origin only.
pub fn client(timeout: Duration) -> Result<Client, IndexError> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().cloned();
        let same = first.is_some_and(|first| same_origin(&first, attempt.url()));
        if same && attempt.previous().len() <= 5 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    Client::builder()
        .user_agent(user_agent())
        .redirect(policy)
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(30)))
        .build()
        .map_err(|e| IndexError::Http(format!("cannot set up an HTTP client: {e}")))
}

/// `cargo-pypi/<version>`.
pub fn user_agent() -> String {
    format!("cargo-pypi/{}", env!("CARGO_PKG_VERSION"))
}

/// A reqwest error in words, without its URL (callers name the URL, redacted).
pub(crate) fn describe_error(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "no connection"
    } else if error.is_body() || error.is_request() {
        "the connection broke off"
    } else if error.is_decode() {
        "the answer could not be read"
    } else {
        "request failed"
    };
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !causes.contains(&text) {
            causes.push(text);
        }
        source = cause.source();
    }
    if causes.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {}", causes.join(": "))
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let when = time::PrimitiveDateTime::parse(value, format)
        .ok()?
        .assume_utc();
    let when = SystemTime::from(when);
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_770);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
