//! Uploading through PyPI's legacy API: the multipart form with every metadata
//! field, streaming from disk, the first file alone then the rest in parallel,
//! retries with backoff, and skipping files the index already holds.

use super::credentials::Credentials;
use super::target::Target;
use crate::dist::Artifact;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct UploadOptions {
    /// Parallel uploads after the first file (default 4).
    pub jobs: usize,
    /// Attempts per file on connection errors, timeouts, 429 and 5xx (default 5).
    pub attempts: u32,
    pub timeout: Duration,
    /// Do everything but the POST.
    pub dry_run: bool,
}

impl Default for UploadOptions {
    fn default() -> UploadOptions {
        UploadOptions {
            jobs: 4,
            attempts: 5,
            timeout: Duration::from_secs(300),
            dry_run: false,
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
pub trait Progress: Sync {
    fn started(&self, file: &str, size: u64);
    fn sent(&self, file: &str, bytes: u64);
    fn retrying(&self, file: &str, attempt: u32, reason: &str);
    fn finished(&self, file: &str, outcome: &Outcome);
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("{0}")]
    Rejected(String),
}

/// Uploads every artifact not already on the index.
pub fn upload_all(
    target: &Target,
    credentials: &Credentials,
    artifacts: &[Artifact],
    options: &UploadOptions,
    progress: &dyn Progress,
) -> Result<Vec<(PathBuf, Outcome)>, UploadError> {
    let _ = (target, credentials, artifacts, options, progress);
    todo!()
}

/// Polls the index until every artifact is listed with its sha256, or `timeout` passes.
pub fn wait_until_listed(
    target: &Target,
    artifacts: &[Artifact],
    timeout: Duration,
) -> Result<(), UploadError> {
    let _ = (target, artifacts, timeout);
    todo!()
}
