//! One release version, two spellings: SemVer for Cargo files, PEP 440 for Python files.
//!
//! `ReleaseVersion` holds only the safe subset that maps both ways without loss:
//! `X.Y.Z`, `X.Y.Z-(alpha|beta|rc).N`, `X.Y.Z-(alpha|beta|rc).N.dev.M`,
//! `X.Y.Z-dev.N` and `X.Y.Z-post.N` (PEP 440: `X.Y.Z`, `X.Y.ZaN`, `X.Y.ZaN.devM`,
//! `X.Y.Z.devN`, `X.Y.Z.postN`). Everything else is refused with the reason.
//!
//! maturin derives the Python version by reading the Cargo version as PEP 440,
//! so [`ReleaseVersion::pep440`] is exactly that reading of
//! [`ReleaseVersion::semver`]. SemVer strings are parsed with the `semver`
//! crate and PEP 440 strings with `pep440_rs`; this module only decides which
//! parsed versions belong to the subset, and explains the ones that do not.

mod bump;
mod refuse;

pub use bump::{BumpError, BumpLevel};

use std::fmt;
use std::str::FromStr;

/// Pre-release phase, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PreKind {
    Alpha,
    Beta,
    Rc,
}

impl PreKind {
    /// All phases, lowest first.
    pub const ALL: [PreKind; 3] = [PreKind::Alpha, PreKind::Beta, PreKind::Rc];

    /// The Cargo word: `alpha`, `beta` or `rc`.
    pub fn semver_word(self) -> &'static str {
        match self {
            PreKind::Alpha => "alpha",
            PreKind::Beta => "beta",
            PreKind::Rc => "rc",
        }
    }

    /// The normalized PEP 440 word: `a`, `b` or `rc`.
    pub fn pep440_word(self) -> &'static str {
        match self {
            PreKind::Alpha => "a",
            PreKind::Beta => "b",
            PreKind::Rc => "rc",
        }
    }

    fn from_semver_word(word: &str) -> Option<PreKind> {
        PreKind::ALL.into_iter().find(|k| k.semver_word() == word)
    }

    fn from_pep440(kind: pep440_rs::PrereleaseKind) -> PreKind {
        match kind {
            pep440_rs::PrereleaseKind::Alpha => PreKind::Alpha,
            pep440_rs::PrereleaseKind::Beta => PreKind::Beta,
            pep440_rs::PrereleaseKind::Rc => PreKind::Rc,
        }
    }
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

impl VersionError {
    fn new(value: &str, reason: impl Into<String>) -> Self {
        VersionError {
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}

impl ReleaseVersion {
    /// The final release `major.minor.patch`.
    pub fn new(major: u64, minor: u64, patch: u64) -> Self {
        ReleaseVersion {
            major,
            minor,
            patch,
            pre: None,
            dev: None,
            post: None,
        }
    }

    /// Parses a Cargo (SemVer) spelling, refusing anything outside the safe subset.
    ///
    /// Only the exact spellings that [`ReleaseVersion::semver`] writes are
    /// accepted, so a refused string gets a reason and the spelling to use.
    pub fn parse_semver(s: &str) -> Result<Self, VersionError> {
        let parsed = semver::Version::parse(s)
            .map_err(|e| VersionError::new(s, format!("is not valid SemVer: {e}")))?;
        if !parsed.build.is_empty() {
            return Err(VersionError::new(s, refuse::build_metadata(&parsed)));
        }
        subset_of_semver(&parsed)
            .filter(|v| v.semver() == s)
            .ok_or_else(|| VersionError::new(s, refuse::semver_prerelease(&parsed)))
    }

    /// Parses a PEP 440 spelling (any accepted spelling, normalized), refusing
    /// anything outside the safe subset (epochs, local versions, 2 or 4 release parts...).
    pub fn parse_pep440(s: &str) -> Result<Self, VersionError> {
        let parsed = pep440_rs::Version::from_str(s)
            .map_err(|e| VersionError::new(s, format!("is not valid PEP 440: {e}")))?;
        let v = Self::from_pep440(&parsed).map_err(|reason| VersionError::new(s, reason))?;
        let normalized = parsed.to_string();
        let body = s.rsplit_once('!').map_or(s, |(_, body)| body);
        if digit_runs(body) < digit_runs(&normalized) {
            let reason = format!(
                "leaves a pre, post or dev number implicit (Python reads it as {normalized}); \
                 write the number: {normalized}"
            );
            return Err(VersionError::new(s, reason));
        }
        Ok(v)
    }

    /// Parses either spelling (used for an explicit version on the command line).
    ///
    /// A string that is valid SemVer is judged as SemVer only, so `1.2.0-pre.1`
    /// is refused (it would silently become `rc1`) rather than read as PEP 440.
    /// Other strings are read as PEP 440. When both readings fail to parse,
    /// the reason quotes both parsers.
    pub fn parse_any(s: &str) -> Result<Self, VersionError> {
        let semver_error = match semver::Version::parse(s) {
            Ok(_) => return Self::parse_semver(s),
            Err(e) => e,
        };
        match pep440_rs::Version::from_str(s) {
            Ok(_) => Self::parse_pep440(s),
            Err(pep_error) => Err(VersionError::new(
                s,
                format!("is neither SemVer ({semver_error}) nor PEP 440 ({pep_error})"),
            )),
        }
    }

    /// The Cargo spelling, e.g. `1.2.0-alpha.1.dev.2`.
    ///
    /// Parts come in PEP 440 order (pre, post, dev), so [`ReleaseVersion::pep440`]
    /// matches maturin even for a hand-built value outside the subset.
    pub fn semver(&self) -> String {
        let mut parts = Vec::new();
        if let Some((kind, n)) = self.pre {
            parts.push(format!("{}.{n}", kind.semver_word()));
        }
        if let Some(n) = self.post {
            parts.push(format!("post.{n}"));
        }
        if let Some(n) = self.dev {
            parts.push(format!("dev.{n}"));
        }
        let core = self.core();
        match parts.is_empty() {
            true => core,
            false => format!("{core}-{}", parts.join(".")),
        }
    }

    /// The normalized PEP 440 spelling, exactly what maturin derives from `semver()`.
    pub fn pep440(&self) -> String {
        let mut out = self.core();
        if let Some((kind, n)) = self.pre {
            out.push_str(&format!("{}{n}", kind.pep440_word()));
        }
        if let Some(n) = self.post {
            out.push_str(&format!(".post{n}"));
        }
        if let Some(n) = self.dev {
            out.push_str(&format!(".dev{n}"));
        }
        out
    }

    /// True for anything but a final release or a post release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// `X.Y.Z`, without any pre, dev or post part.
    fn core(&self) -> String {
        format!("{}.{}.{}", self.major, self.minor, self.patch)
    }

    /// Refuses a value built by hand that the subset does not allow (post
    /// together with pre or dev).
    pub fn validate(&self) -> Result<(), VersionError> {
        if self.post.is_some() && self.is_prerelease() {
            let reason = "combines a post release with a pre or dev release, \
                          which cargo-pypi does not support";
            return Err(VersionError::new(&self.semver(), reason));
        }
        Ok(())
    }

    /// Maps a parsed PEP 440 version into the subset, or says why it cannot.
    fn from_pep440(p: &pep440_rs::Version) -> Result<Self, String> {
        if p.epoch() != 0 {
            return Err(format!(
                "has epoch `{}!`, which Cargo versions cannot express; drop it",
                p.epoch()
            ));
        }
        if p.is_local() {
            let normalized = p.to_string();
            let local = normalized.split_once('+').map_or("", |(_, l)| l);
            return Err(refuse::local_version(local));
        }
        let [major, minor, patch] = *p.release() else {
            return Err(refuse::release_parts(p.release()));
        };
        let mut v = ReleaseVersion::new(major, minor, patch);
        v.pre = p
            .pre()
            .map(|pre| (PreKind::from_pep440(pre.kind), pre.number));
        v.dev = p.dev();
        v.post = p.post();
        match (v.pre, v.dev, v.post) {
            (Some(_), _, Some(_)) => Err(refuse::post_of_prerelease(&p.to_string())),
            (None, Some(_), Some(_)) => Err(refuse::dev_of_post(&p.to_string())),
            _ => Ok(v),
        }
    }
}

/// The subset version spelled by a parsed SemVer version (build metadata aside).
fn subset_of_semver(parsed: &semver::Version) -> Option<ReleaseVersion> {
    let mut v = ReleaseVersion::new(parsed.major, parsed.minor, parsed.patch);
    if parsed.pre.is_empty() {
        return Some(v);
    }
    let ids: Vec<&str> = parsed.pre.split('.').collect();
    match ids.as_slice() {
        ["dev", n] => v.dev = Some(number(n)?),
        ["post", n] => v.post = Some(number(n)?),
        [word, n] => v.pre = Some((PreKind::from_semver_word(word)?, number(n)?)),
        [word, n, "dev", m] => {
            v.pre = Some((PreKind::from_semver_word(word)?, number(n)?));
            v.dev = Some(number(m)?);
        }
        _ => return None,
    }
    Some(v)
}

/// A numeric SemVer identifier as a number (`None` when not all digits or too large).
fn number(id: &str) -> Option<u64> {
    id.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| id.parse().ok())
        .flatten()
}

/// Counts runs of ASCII digits; a PEP 440 spelling with fewer runs than its
/// normalized form left a pre, post or dev number implicit (`1.2.0a` is `a0`).
fn digit_runs(s: &str) -> usize {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .count()
}

impl fmt::Display for ReleaseVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.semver())
    }
}
