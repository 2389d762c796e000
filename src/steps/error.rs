//! Why a step (and so a command) failed: one typed error for the edge, whose
//! variants carry the module errors and pick the exit code.

use crate::error::{exit, ReadError};
use std::path::Path;

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
    #[error(transparent)]
    Github(#[from] crate::github::GithubError),
    /// The command refused to act; the message says why and what to do.
    #[error("{0}")]
    Refused(String),
    /// The command line or configuration is invalid (exit 2).
    #[error("{0}")]
    Input(String),
}

impl Error {
    /// A stable name for the kind of failure (the `kind` of a JSON error).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Read(_) => "read",
            Error::Bump(_) => "bump",
            Error::Git(_) => "git",
            Error::Write(_) => "write",
            Error::Build(_) => "build",
            Error::Dist(_) => "dist",
            Error::Target(_) => "target",
            Error::Credentials(_) => "credentials",
            Error::Upload(_) => "upload",
            Error::AfterUpload { .. } => "after-upload",
            Error::Install(_) => "install",
            Error::Github(_) => "github",
            Error::Refused(_) => "refused",
            Error::Input(_) => "input",
        }
    }

    /// The file the error is about, and its line when known.
    pub fn location(&self) -> Option<(&Path, Option<usize>)> {
        use crate::ops::fs::WriteError;
        match self {
            Error::Read(ReadError::Io { path, .. }) => Some((path, None)),
            Error::Read(ReadError::Toml { path, line, .. }) => Some((path, Some(*line))),
            Error::Read(ReadError::Invalid { path, line, .. }) => {
                Some((path, Some(*line).filter(|l| *l > 0)))
            }
            Error::Write(
                WriteError::Changed { path }
                | WriteError::Exists { path }
                | WriteError::Io { path, .. },
            ) => Some((path, None)),
            Error::Dist(crate::dist::DistError::Unreadable { path, .. }) => Some((path, None)),
            Error::AfterUpload { source, .. } => source.location(),
            _ => None,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Read(_) | Error::Input(_) | Error::Target(_) => exit::INPUT,
            Error::Github(crate::github::GithubError::Input(_)) => exit::INPUT,
            Error::Bump(crate::version::BumpError::Version(_)) => exit::INPUT,
            _ => exit::FAILED,
        }
    }
}
