//! Why a step (and so a command) failed: one typed error for the edge, whose
//! variants carry the module errors and pick the exit code.

use crate::error::{exit, ReadError};

/// Why a command failed; every message names the file, value or tag concerned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Bump(#[from] crate::version::BumpError),
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
    #[error(transparent)]
    Write(#[from] crate::ops::fs::WriteError),
    #[error(transparent)]
    Build(#[from] crate::build::BuildError),
    #[error(transparent)]
    Dist(#[from] crate::dist::DistError),
    /// Where to upload is unclear or malformed (exit 2).
    #[error(transparent)]
    Target(#[from] crate::publish::target::TargetError),
    #[error(transparent)]
    Credentials(#[from] crate::publish::credentials::CredentialError),
    #[error(transparent)]
    Upload(#[from] crate::publish::upload::UploadError),
    /// The upload went through; proving it (listing, install) failed.
    #[error("{uploaded} file(s) were uploaded, but {source}")]
    AfterUpload { uploaded: usize, source: Box<Error> },
    #[error(transparent)]
    Install(#[from] crate::publish::install::InstallError),
    /// The command refused to act; the message says why and what to do.
    #[error("{0}")]
    Refused(String),
    /// The command line or configuration is invalid (exit 2).
    #[error("{0}")]
    Input(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Read(_) | Error::Input(_) | Error::Target(_) => exit::INPUT,
            Error::Bump(crate::version::BumpError::Version(_)) => exit::INPUT,
            _ => exit::FAILED,
        }
    }
}
