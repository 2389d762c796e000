//! Waiting until the index lists every uploaded file with its sha256: the
//! proof, before anything depends on it, that the release is really there.
//! Each listing gets `--timeout` to answer; an index that leaves as many
//! listings in a row unanswered as an upload has attempts ends the wait.

use super::client::Session;
use super::{UploadError, UploadErrorKind as Kind};
use crate::digest;
use crate::display::file_name;
use crate::dist::filename::normalize_name;
use crate::dist::Artifact;
use crate::publish::credentials::Credentials;
use crate::publish::index::{IndexError, IndexFile};
use crate::publish::target::Target;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const FIRST_DELAY: Duration = Duration::from_millis(250);
const MAX_DELAY: Duration = Duration::from_secs(2);

/// A file expected on the index: project, file name, sha256.
type Expected = (String, String, String);

pub(crate) fn wait(
    target: &Target,
    credentials: &Credentials,
    artifacts: &[Artifact],
    timeout: Duration,
    options: &super::UploadOptions,
) -> Result<(), UploadError> {
    let expected = artifacts
        .iter()
        .map(expect)
        .collect::<Result<Vec<_>, _>>()?;
    let per_request = options.timeout.min(timeout).max(Duration::from_secs(1));
    let session = Session::new(target, credentials, per_request)?;
    let mut unanswered = 0;
    let shown = &session.index_url;
    let deadline = Instant::now() + timeout;
    let mut delay = FIRST_DELAY;
    loop {
        let mut missing = Vec::new();
        let mut last_error = None;
        let mut listings: BTreeMap<&str, Vec<IndexFile>> = BTreeMap::new();
        for (project, name, sha256) in &expected {
            if !listings.contains_key(project.as_str()) {
                let files = match session.listing(project) {
                    Ok(files) => {
                        unanswered = 0;
                        files
                    }
                    Err(IndexError::Http(m)) => return Err(Kind::Index.error(m)),
                    Err(IndexError::Unavailable { message, .. }) => {
                        unanswered += 1;
                        if unanswered >= options.attempts.max(1) {
                            return Err(Kind::Index.error(format!(
                                "{shown} does not answer: {message} ({unanswered} listings in a row, each given {} s: --timeout); the upload went through: run `cargo pypi publish` again later to check the files (it skips what is there)",
                                per_request.as_secs_f64()
                            )));
                        }
                        last_error = Some(message);
                        Vec::new()
                    }
                };
                listings.insert(project, files);
            }
            let listed = listings[project.as_str()]
                .iter()
                .find(|f| f.filename == *name);
            match listed.map(|f| f.sha256.as_deref()) {
                Some(Some(theirs)) if theirs == sha256 => {}
                Some(Some(other)) => {
                    return Err(Kind::Conflict.error(format!(
                        "{shown} lists {name} with sha256 {other}, not {sha256} as uploaded: another file holds that name; bump the version, rebuild and upload the new files"
                    )))
                }
                _ => missing.push(name.as_str()),
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(Kind::NotListed.error(format!(
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
    let sha256 = if artifact.sha256.is_empty() {
        let file = std::fs::File::open(&artifact.path);
        let digests = file.and_then(digest::digest).map_err(|e| {
            Kind::Artifact.error(format!("cannot read {}: {e}", artifact.path.display()))
        })?;
        digests.sha256
    } else {
        artifact.sha256.to_ascii_lowercase()
    };
    let name = file_name(&artifact.path);
    Ok((normalize_name(&artifact.name), name, sha256))
}
