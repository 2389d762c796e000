//! Waiting until the index lists every uploaded file with its sha256: the
//! proof, before anything depends on it, that the release is really there.

use super::super::credentials::Credentials;
use super::client::{index_auth, strip_credentials};
use super::UploadError;
use crate::digest;
use crate::dist::filename::normalize_name;
use crate::dist::Artifact;
use crate::publish::index::{self, IndexAuth, IndexError, IndexFile};
use crate::publish::target::Target;
use crate::publish::url;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const FIRST_DELAY: Duration = Duration::from_millis(250);
const MAX_DELAY: Duration = Duration::from_secs(2);

/// A file expected on the index.
struct Expected {
    project: String,
    name: String,
    sha256: String,
}

pub(crate) fn wait(
    target: &Target,
    credentials: Option<&Credentials>,
    artifacts: &[Artifact],
    timeout: Duration,
) -> Result<(), UploadError> {
    let expected = artifacts
        .iter()
        .map(expect)
        .collect::<Result<Vec<_>, _>>()?;
    let auth = index_auth(target, credentials);
    let auth = auth
        .as_ref()
        .map(|(username, password)| IndexAuth { username, password });
    let index_url = strip_credentials(&target.index_url);
    let shown = url::redact_url(&target.index_url);
    let per_request = timeout.clamp(Duration::from_secs(1), Duration::from_secs(30));
    let client = index::client(per_request).map_err(|e| UploadError::Index(e.to_string()))?;
    let deadline = Instant::now() + timeout;
    let mut delay = FIRST_DELAY;
    loop {
        let mut missing = Vec::new();
        let mut last_error = None;
        let mut listings: BTreeMap<&str, Vec<IndexFile>> = BTreeMap::new();
        for e in &expected {
            if !listings.contains_key(e.project.as_str()) {
                match index::existing_files_as(&client, &index_url, &e.project, auth) {
                    Ok(files) => {
                        listings.insert(&e.project, files);
                    }
                    Err(IndexError::Http(m)) => return Err(UploadError::Index(m)),
                    Err(IndexError::Unavailable { message, .. }) => {
                        last_error = Some(message);
                        listings.insert(&e.project, Vec::new());
                    }
                }
            }
            match listings[e.project.as_str()].iter().find(|f| f.filename == e.name) {
                Some(f) if f.sha256.as_deref() == Some(e.sha256.as_str()) => {}
                Some(IndexFile {
                    sha256: Some(other),
                    ..
                }) => {
                    return Err(UploadError::Conflict(format!(
                        "{shown} lists {} with sha256 {other}, not {} as uploaded: another file holds that name; bump the version, rebuild and upload the new files",
                        e.name, e.sha256
                    )))
                }
                _ => missing.push(e.name.as_str()),
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(UploadError::NotListed(format!(
                "{shown} does not list {} after {:.0} s{}: the index may be slow to update (run `cargo pypi publish` again later: it skips what is there) or the upload went to another index than this one",
                missing.join(", "),
                timeout.as_secs_f64(),
                last_error.map(|m| format!(" (last error: {m})")).unwrap_or_default()
            )));
        }
        std::thread::sleep(delay.min(deadline - now));
        delay = (delay * 3 / 2).min(MAX_DELAY);
    }
}

fn expect(artifact: &Artifact) -> Result<Expected, UploadError> {
    let name = artifact
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sha256 = if artifact.sha256.is_empty() {
        let file = std::fs::File::open(&artifact.path);
        let digests = file.and_then(digest::digest).map_err(|e| {
            UploadError::Artifact(format!("cannot read {}: {e}", artifact.path.display()))
        })?;
        digests.sha256
    } else {
        artifact.sha256.to_ascii_lowercase()
    };
    Ok(Expected {
        project: normalize_name(&artifact.name),
        name,
        sha256,
    })
}
