//! Bump rules: the next version for each level, and the check that it strictly
//! increases under both SemVer and PEP 440 ordering.

use super::{ReleaseVersion, VersionError};

/// A level given to `cargo pypi bump`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BumpLevel {
    Major,
    Minor,
    Patch,
    Alpha,
    Beta,
    Rc,
    Post,
    Dev,
    Release,
}

/// Why a bump is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BumpError {
    #[error("{0}")]
    Version(#[from] VersionError),
    /// The candidate does not sort strictly above the current version in one scheme.
    #[error("{from} -> {to} does not increase under {scheme} ordering: {hint}")]
    NotIncreasing {
        from: String,
        to: String,
        scheme: &'static str,
        hint: String,
    },
    /// The level makes no sense from this version (e.g. `release` from a final release).
    #[error("cannot bump {level} from {from}: {hint}")]
    Inapplicable {
        level: &'static str,
        from: String,
        hint: String,
    },
}

impl ReleaseVersion {
    /// The next version at `level`, checked with [`ReleaseVersion::check_increase`].
    pub fn bump(&self, level: BumpLevel) -> Result<ReleaseVersion, BumpError> {
        let _ = level;
        todo!()
    }

    /// Ok when `next` sorts strictly above `self` under SemVer and PEP 440.
    pub fn check_increase(&self, next: &ReleaseVersion) -> Result<(), BumpError> {
        let _ = next;
        todo!()
    }
}
