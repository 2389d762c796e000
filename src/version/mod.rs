//! One release version, two spellings: SemVer for Cargo files, PEP 440 for Python files.
//!
//! `ReleaseVersion` holds only the safe subset that maps both ways without loss:
//! `X.Y.Z`, `X.Y.Z-(alpha|beta|rc).N`, `X.Y.Z-(alpha|beta|rc).N.dev.M`,
//! `X.Y.Z-dev.N` and `X.Y.Z-post.N` (PEP 440: `X.Y.Z`, `X.Y.ZaN`, `X.Y.ZaN.devM`,
//! `X.Y.Z.devN`, `X.Y.Z.postN`). Everything else is refused with the reason.

mod bump;

pub use bump::{BumpError, BumpLevel};

use std::fmt;

/// Pre-release phase, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PreKind {
    Alpha,
    Beta,
    Rc,
}

/// A version in the safe subset (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReleaseVersion {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// `-alpha.N` / `aN`; never together with `post`.
    pub pre: Option<(PreKind, u64)>,
    /// `.dev.M` / `.devM`; never together with `post`.
    pub dev: Option<u64>,
    /// `-post.N` / `.postN`; never with `pre` or `dev`.
    pub post: Option<u64>,
}

/// Why a version string is refused. `Display` names the value; callers add the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("version `{value}` {reason}")]
pub struct VersionError {
    pub value: String,
    pub reason: String,
}

impl ReleaseVersion {
    /// Parses a Cargo (SemVer) spelling, refusing anything outside the safe subset.
    pub fn parse_semver(s: &str) -> Result<Self, VersionError> {
        let _ = s;
        todo!()
    }

    /// Parses a PEP 440 spelling (any accepted spelling, normalized), refusing
    /// anything outside the safe subset (epochs, local versions, 2 or 4 release parts...).
    pub fn parse_pep440(s: &str) -> Result<Self, VersionError> {
        let _ = s;
        todo!()
    }

    /// Parses either spelling (used for an explicit version on the command line).
    pub fn parse_any(s: &str) -> Result<Self, VersionError> {
        let _ = s;
        todo!()
    }

    /// The Cargo spelling, e.g. `1.2.0-alpha.1.dev.2`.
    pub fn semver(&self) -> String {
        todo!()
    }

    /// The normalized PEP 440 spelling, exactly what maturin derives from `semver()`.
    pub fn pep440(&self) -> String {
        todo!()
    }

    /// True for anything but a final release or a post release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }
}

impl fmt::Display for ReleaseVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.semver())
    }
}
