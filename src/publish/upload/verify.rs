//! Waiting until the index lists every uploaded file with its sha256: the
//! proof, before anything depends on it, that the release is really there.
//! Each listing gets `--timeout` to answer; an index that leaves as many
//! listings in a row unanswered as an upload has attempts ends the wait.

use super::client::{Located, Session};
use super::plan::{self, Same};
use super::{Progress, UploadError, UploadErrorKind as Kind};
use crate::digest;
use crate::display::file_name;
use crate::dist::filename::normalize_name;
use crate::dist::Artifact;
use crate::publish::credentials::Credentials;
use crate::publish::index::{IndexError, IndexFile};
use crate::publish::target::Target;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

const FIRST_DELAY: Duration = Duration::from_millis(250);
const MAX_DELAY: Duration = Duration::from_secs(2);

/// A file expected on the index.
struct Expected<'a> {
    project: String,
    name: String,
    path: &'a Path,
    sha256: String,
    size: u64,
}

/// `located`: where the upload found the index (else it is looked for again).
pub(crate) fn wait(
    target: &Target,
    located: Option<Located>,
    credentials: &Credentials,
    artifacts: &[Artifact],
    timeout: Duration,
    options: &super::UploadOptions,
    progress: &dyn Progress,
) -> Result<(), UploadError> {
    let expected = artifacts
        .iter()
        .map(expect)
        .collect::<Result<Vec<_>, _>>()?;
    let per_request = options.timeout.min(timeout).max(Duration::from_secs(1));
    let mut session = Session::new(target, credentials, per_request)?;
    let located = located.unwrap_or_else(|| session.locate());
    session.settle(located);
    let mut poll = Poll {
        session: &session,
        progress,
        attempts: options.attempts.max(1),
        unanswered: 0,
        last_error: None,
        confirmed: BTreeSet::new(),
    };
    let deadline = Instant::now() + timeout;
    let mut delay = FIRST_DELAY;
    loop {
        let missing = poll.missing(&expected)?;
        if missing.is_empty() {
            return Ok(());
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(Kind::NotListed.error(format!(
                "{} does not list {} after {:.0} s{}: the index may be slow to update (run `cargo pypi publish` again later: it skips what is there) or the upload went to another index than this one",
                session.index_url,
                missing.join(", "),
                timeout.as_secs_f64(),
                (poll.last_error.take()).map(|m| format!(" (last error: {m})")).unwrap_or_default()
            )));
        }
        std::thread::sleep(delay.min(deadline - now));
        delay = (delay * 3 / 2).min(MAX_DELAY);
    }
}

/// The state of the polls.
struct Poll<'s> {
    session: &'s Session,
    progress: &'s dyn Progress,
    attempts: u32,
    /// Listings in a row that got no answer.
    unanswered: u32,
    last_error: Option<String>,
    /// Files found with the right content (not compared again).
    confirmed: BTreeSet<String>,
}

impl Poll<'_> {
    /// One round: the names of the files not listed yet.
    fn missing(&mut self, expected: &[Expected]) -> Result<Vec<String>, UploadError> {
        let mut missing = Vec::new();
        let mut listings: BTreeMap<&str, Vec<IndexFile>> = BTreeMap::new();
        let pending: Vec<&Expected> = (expected.iter())
            .filter(|f| !self.confirmed.contains(&f.name))
            .collect();
        for file in pending {
            if !listings.contains_key(file.project.as_str()) {
                listings.insert(&file.project, self.listing(&file.project)?);
            }
            let listed = (listings[file.project.as_str()].iter()).find(|f| f.filename == file.name);
            let Some(listed) = listed else {
                missing.push(file.name.clone());
                continue;
            };
            let sha256_and_size = (file.sha256.as_str(), file.size);
            match plan::same_file(self.session, &file.project, file.path, sha256_and_size, listed)? {
                Same::Yes => {
                    self.confirmed.insert(file.name.clone());
                }
                Same::No(why) => {
                    return Err(Kind::Conflict.error(format!(
                        "{} lists {} with other content than uploaded ({why}): another file holds that name; bump the version, rebuild and upload the new files",
                        self.session.index_url, file.name
                    )))
                }
            }
        }
        Ok(missing)
    }

    /// The project's files; an index with no page for it and no simple
    /// index at its root is said at once, an index that stops answering
    /// after `attempts` listings in a row.
    fn listing(&mut self, project: &str) -> Result<Vec<IndexFile>, UploadError> {
        let session = self.session;
        match session.page(project) {
            Ok(Some(files)) => {
                self.unanswered = 0;
                Ok(files)
            }
            Ok(None) => match &session.index_missing {
                Some(status) => Err(Kind::Index.error(format!(
                    "{} has no page for {project} and its root answers {status}: it is not the simple index of {}; pass the index's simple URL with --index-url (devpi: …/USER/INDEX/+simple/; Artifactory: …/api/pypi/REPO/simple/; Nexus: …/repository/NAME/simple/)",
                    session.index_url, session.upload_url
                ))),
                None => Ok(Vec::new()),
            },
            Err(IndexError::Http(m)) => Err(Kind::Index.error(m)),
            Err(IndexError::Unavailable { message, .. }) => {
                self.unanswered += 1;
                if self.unanswered >= self.attempts {
                    return Err(Kind::Index.error(format!(
                        "{} does not answer: {message} ({} listings in a row, each given {} s: --timeout); the upload went through: run `cargo pypi publish` again later to check the files (it skips what is there)",
                        session.index_url,
                        self.unanswered,
                        session.timeout.as_secs_f64()
                    )));
                }
                self.progress.retrying(
                    &format!("the listing of {project}"),
                    self.unanswered + 1,
                    &format!(
                        "{message}; listing {} of {} without an answer",
                        self.unanswered + 1,
                        self.attempts
                    ),
                );
                self.last_error = Some(message);
                Ok(Vec::new())
            }
        }
    }
}

fn expect(artifact: &Artifact) -> Result<Expected<'_>, UploadError> {
    let (size, sha256) = if artifact.sha256.is_empty() {
        let file = std::fs::File::open(&artifact.path);
        let digests = file.and_then(digest::digest).map_err(|e| {
            Kind::Artifact.error(format!("cannot read {}: {e}", artifact.path.display()))
        })?;
        (digests.size, digests.sha256)
    } else {
        (artifact.size, artifact.sha256.to_ascii_lowercase())
    };
    Ok(Expected {
        project: normalize_name(&artifact.name),
        name: file_name(&artifact.path),
        path: &artifact.path,
        sha256,
        size,
    })
}
