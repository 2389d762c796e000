//! Uploading through PyPI's legacy API: the multipart form with every metadata
//! field, streaming from disk, the first file alone then the rest in parallel,
//! retries with backoff, and skipping files the index already holds.
//!
//! The steps of [`upload_all`], each in its own module:
//! - `plan`: every file hashed once (by the check already: `dist::opened`),
//!   then compared with the index's listing (`crate::publish::index`, read
//!   while the index's root is probed): identical files are skipped, a file
//!   of the same name with other content stops everything before anything is
//!   sent;
//! - `parallel`: one wheel of each new release alone, then the other
//!   wheels, then the sdists, `jobs` at a time (by default as suits their
//!   sizes);
//! - `send`: one file's attempts (`retry`), its form (`form`) streamed from
//!   the open file (`stream`), the answer read and judged (`client`,
//!   `classify`);
//! - `verify`: [`wait_until_listed_as`].

mod classify;
mod client;
mod form;
mod parallel;
mod plan;
mod pool;
mod retry;
mod send;
mod stream;
mod verify;

use super::attestation::Attestations;
use super::credentials::Credentials;
use super::target::Target;
use crate::dist::Artifact;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct UploadOptions {
    /// Files uploaded at once after the first; 0 (the default): 4, or up
    /// to 8 when the files are small (as many as add up to 32 MiB).
    pub jobs: usize,
    /// Attempts per file on connection errors, timeouts, 429 and 5xx (default 5).
    pub attempts: u32,
    /// How long a request may go without a byte sent or received (`--timeout`).
    pub timeout: Duration,
    /// Do everything but the POST.
    pub dry_run: bool,
    /// PEP 740 attestations sent with the files: for this target's upload URL only.
    pub attestations: Attestations,
}

impl Default for UploadOptions {
    fn default() -> UploadOptions {
        UploadOptions {
            jobs: 0,
            attempts: 5,
            timeout: Duration::from_secs(60),
            dry_run: false,
            attestations: Attestations::default(),
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Uploaded,
    /// The index already holds this exact file (same sha256).
    AlreadyThere,
    /// `--dry-run`: would be uploaded.
    WouldUpload,
}

/// Progress callbacks (a progress bar on a terminal, plain lines otherwise).
///
/// They are called from the threads that upload, so callbacks for different
/// files may run at the same time; those for one file never overlap, and
/// `started` comes first and `finished` last. The first file of a new release
/// is `finished` before any other file is `started`. A file that fails gets
/// no `finished`: the error comes back from [`upload_all`].
pub trait Progress: Sync {
    /// A file is about to be sent (or found on the index already).
    fn started(&self, file: &str, size: u64);
    /// `bytes` of the file have gone into the request so far (this attempt).
    fn sent(&self, file: &str, bytes: u64);
    /// Attempt `attempt` (from 2) follows; `reason` says what failed and when.
    fn retrying(&self, file: &str, attempt: u32, reason: &str);
    fn finished(&self, file: &str, outcome: &Outcome);
    /// The index answered the upload of `file` with `status` (`403 Forbidden`)
    /// and its own `words`, secrets redacted. Messages never repeat them (a
    /// server may echo a password in a form no redaction knows): show them
    /// only when asked to (`-v`).
    fn answered(&self, _file: &str, _status: &str, _words: &str) {}
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn started(&self, _: &str, _: u64) {}
    fn sent(&self, _: &str, _: u64) {}
    fn retrying(&self, _: &str, _: u32, _: &str) {}
    fn finished(&self, _: &str, _: &Outcome) {}
}

/// Why an upload stopped: what kind of failure, and a message that names the
/// file (or project) and the URL, credentials redacted, and says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UploadError {
    pub kind: UploadErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadErrorKind {
    /// The index refused a file or the credentials (a 4xx other than 429).
    Rejected,
    /// The index holds a file of the same name with other content.
    Conflict,
    /// No answer, timeouts, 429 or 5xx until the attempts ran out.
    Unavailable,
    /// The simple index could not be read.
    Index,
    /// A file cannot be read, changed since it was checked, or lacks metadata.
    Artifact,
    /// [`wait_until_listed_as`] ran out of time.
    NotListed,
}

impl UploadErrorKind {
    pub(crate) fn error(self, message: String) -> UploadError {
        UploadError {
            kind: self,
            message,
        }
    }
}

/// `target` with the simple index its upload URL really has: where the
/// derived one is not there, the first other layout's place that answers
/// (devpi's `…/+simple/`). Everything after the upload (the wait, the
/// release's address, `--verify-install`) reads that one.
pub fn with_found_index(
    target: &Target,
    credentials: &Credentials,
    options: &UploadOptions,
) -> Result<Target, UploadError> {
    let mut session = client::Session::new(target, credentials, options.timeout)?;
    let located = session.locate();
    session.settle(located);
    Ok(Target {
        index_url: session.index_url.clone(),
        ..target.clone()
    })
}

/// The simple index an upload found (see [`with_found_index`]), for what
/// follows it without asking the index again.
#[derive(Debug, Clone)]
pub struct Found {
    /// The target, with the index found.
    pub target: Target,
    located: client::Located,
}

/// Uploads every artifact not already on the index.
pub fn upload_all(
    target: &Target,
    credentials: &Credentials,
    artifacts: &[Artifact],
    options: &UploadOptions,
    progress: &dyn Progress,
) -> Result<Vec<(PathBuf, Outcome)>, UploadError> {
    upload_finding(target, credentials, artifacts, options, progress).map(|(_, done)| done)
}

/// [`upload_all`], and where the simple index was found.
pub fn upload_finding(
    target: &Target,
    credentials: &Credentials,
    artifacts: &[Artifact],
    options: &UploadOptions,
    progress: &dyn Progress,
) -> Result<(Found, Vec<(PathBuf, Outcome)>), UploadError> {
    let mut session = client::Session::new(target, credentials, options.timeout)?;
    // Messages are the tool's own words (URLs shown without credentials):
    // what the index says is redacted where it is read, never here.
    let done = run(&mut session, artifacts, options, progress)?;
    let found = Found {
        target: Target {
            index_url: session.index_url.clone(),
            ..target.clone()
        },
        located: session.located(),
    };
    Ok((found, done))
}

fn run(
    session: &mut client::Session,
    artifacts: &[Artifact],
    options: &UploadOptions,
    progress: &dyn Progress,
) -> Result<Vec<(PathBuf, Outcome)>, UploadError> {
    let attestations = form::attestations_for(&options.attestations, &session.upload_url)?;
    let mut prepared = plan::prepare(artifacts, options.jobs)?;
    for item in &mut prepared.items {
        form::attach(&mut item.fields, attestations, &item.name);
    }
    let listings = locate_and_list(session, &prepared.items, options.attempts, progress)?;
    let session = &*session;
    let states = plan::compare(session, &prepared.items, &listings)?;
    let (outcomes, error) =
        parallel::upload_items(session, &prepared.items, &states, options, progress);
    if let Some(mut error) = error {
        let done = |o: Outcome| outcomes.iter().filter(|x| **x == Some(o.clone())).count();
        let (uploaded, there) = (done(Outcome::Uploaded), done(Outcome::AlreadyThere));
        if uploaded + there > 0 {
            error.message.push_str(&format!(
                "\n({uploaded} uploaded and {there} already there of {} files; running the upload again sends only the others)",
                prepared.items.len()
            ));
        }
        return Err(error);
    }
    Ok(artifacts
        .iter()
        .zip(&prepared.item_of)
        .map(|(artifact, &i)| {
            let outcome = outcomes[i].clone().expect("every file has an outcome");
            (artifact.path.clone(), outcome)
        })
        .collect())
}

/// The projects' listings, read while the index's root is probed (one round
/// trip for both, not two); read again where the probe found the index when
/// that is elsewhere.
fn locate_and_list(
    session: &mut client::Session,
    items: &[plan::Item],
    attempts: u32,
    progress: &dyn Progress,
) -> Result<plan::Listings, UploadError> {
    let shared = &*session;
    let (located, listed) = std::thread::scope(|scope| {
        let probe = scope.spawn(|| shared.locate());
        let listed = plan::listings(shared, items, attempts, progress);
        let located = probe
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (located, listed)
    });
    match session.settle(located) {
        true => plan::listings(session, items, attempts, progress),
        false => listed,
    }
}

/// Polls the index until every artifact is listed with its content, or
/// `wait` passes; a listing that gets no answer is said through `progress`
/// as a retry. The credentials go to the index only when it shares the
/// upload URL's origin (or come from the index URL itself).
pub fn wait_until_listed_as(
    target: &Target,
    credentials: &Credentials,
    artifacts: &[Artifact],
    wait: Duration,
    options: &UploadOptions,
    progress: &dyn Progress,
) -> Result<(), UploadError> {
    verify::wait(
        target,
        None,
        credentials,
        artifacts,
        wait,
        options,
        progress,
    )
}

/// [`wait_until_listed_as`] at the index an upload found.
pub fn wait_until_found_lists(
    found: &Found,
    credentials: &Credentials,
    artifacts: &[Artifact],
    wait: Duration,
    options: &UploadOptions,
    progress: &dyn Progress,
) -> Result<(), UploadError> {
    let located = Some(found.located.clone());
    verify::wait(
        &found.target,
        located,
        credentials,
        artifacts,
        wait,
        options,
        progress,
    )
}
