//! Warehouse's JSON API (`/pypi/<name>/<version>/json`), as far as a release
//! needs it: when the first file of a version was uploaded. PyPI refuses new
//! files for a release older than 14 days, so a release resumed later must
//! move to the next version instead of failing at the upload.

use super::{describe_error, IndexError};
use crate::dist::filename::normalize_name;
use crate::publish::url::DisplaySafeUrl;
use reqwest::blocking::Client;
use reqwest::Url;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// How long PyPI takes new files for a release after its first one.
pub const UPLOAD_WINDOW_DAYS: i64 = 14;

/// When the first file of `project` `version` was uploaded, from the JSON API
/// at the index's origin; `None` when the version has no files, or the index
/// has no such API (pypiserver, devpi, Artifactory…).
pub fn first_upload(
    client: &Client,
    index_url: &Url,
    project: &str,
    version: &str,
) -> Result<Option<OffsetDateTime>, IndexError> {
    let path = format!("/pypi/{}/{version}/json", normalize_name(project));
    let url = index_url
        .join(&path)
        .map_err(|e| IndexError::Http(e.to_string()))?;
    let shown = DisplaySafeUrl::from(url.clone()).to_string();
    let response = client
        .get(url)
        .send()
        .map_err(|e| IndexError::Unavailable {
            message: format!("no answer from {shown} ({})", describe_error(&e)),
            retry_after: None,
        })?;
    if !response.status().is_success() {
        return Ok(None);
    }
    let Ok(body) = response.json::<serde_json::Value>() else {
        return Ok(None);
    };
    let times = body["urls"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|file| {
            let text = file["upload_time_iso_8601"].as_str()?;
            OffsetDateTime::parse(text, &Rfc3339).ok()
        });
    Ok(times.min())
}

/// When `first` is more than [`UPLOAD_WINDOW_DAYS`] before `now`: the date, to
/// say that the index takes no more files for this version.
pub fn window_closed(first: OffsetDateTime, now: OffsetDateTime) -> Option<String> {
    let closed = now - first > time::Duration::days(UPLOAD_WINDOW_DAYS);
    closed.then(|| format!("{}", first.date()))
}
