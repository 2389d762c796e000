//! Bump rules: the next version for each level, and the check that it strictly
//! increases under both SemVer and PEP 440 ordering.
//!
//! The rules, with a table per level and the reason for every refusal, are
//! written once, for users: README.md, "Bump rules". A test reads those tables
//! and checks every row against this module, so the two cannot drift apart.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::{PreKind, ReleaseVersion, VersionError};

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

impl BumpLevel {
    /// Every level, in the order the docs list them.
    pub const ALL: [BumpLevel; 9] = [
        BumpLevel::Major,
        BumpLevel::Minor,
        BumpLevel::Patch,
        BumpLevel::Alpha,
        BumpLevel::Beta,
        BumpLevel::Rc,
        BumpLevel::Post,
        BumpLevel::Dev,
        BumpLevel::Release,
    ];

    /// The name used on the command line, e.g. `rc`.
    pub fn as_str(self) -> &'static str {
        match self {
            BumpLevel::Major => "major",
            BumpLevel::Minor => "minor",
            BumpLevel::Patch => "patch",
            BumpLevel::Alpha => "alpha",
            BumpLevel::Beta => "beta",
            BumpLevel::Rc => "rc",
            BumpLevel::Post => "post",
            BumpLevel::Dev => "dev",
            BumpLevel::Release => "release",
        }
    }

    fn phase(self) -> Option<PreKind> {
        match self {
            BumpLevel::Alpha => Some(PreKind::Alpha),
            BumpLevel::Beta => Some(PreKind::Beta),
            BumpLevel::Rc => Some(PreKind::Rc),
            _ => None,
        }
    }
}

impl fmt::Display for BumpLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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
        self.validate()?;
        let step = Step { from: self, level };
        let next = match level {
            BumpLevel::Major | BumpLevel::Minor | BumpLevel::Patch => step.core()?,
            BumpLevel::Alpha | BumpLevel::Beta | BumpLevel::Rc => step.phase()?,
            BumpLevel::Post => step.post()?,
            BumpLevel::Dev => step.dev()?,
            BumpLevel::Release => step.release()?,
        };
        self.check_increase(&next)?;
        Ok(next)
    }

    /// Ok when `next` sorts strictly above `self` under SemVer and PEP 440.
    pub fn check_increase(&self, next: &ReleaseVersion) -> Result<(), BumpError> {
        let semver_order = semver_of(self).cmp(&semver_of(next));
        if semver_order != Ordering::Less {
            return Err(BumpError::NotIncreasing {
                from: self.semver(),
                to: next.semver(),
                scheme: "SemVer",
                hint: semver_hint(self, next, semver_order),
            });
        }
        let pep_order = pep440_of(self).cmp(&pep440_of(next));
        if pep_order != Ordering::Less {
            return Err(BumpError::NotIncreasing {
                from: self.pep440(),
                to: next.pep440(),
                scheme: "PEP 440",
                hint: pep440_hint(self, next, pep_order),
            });
        }
        Ok(())
    }
}

/// One bump in progress: the version it starts from and the level asked for.
struct Step<'a> {
    from: &'a ReleaseVersion,
    level: BumpLevel,
}

impl Step<'_> {
    fn refuse(&self, hint: impl Into<String>) -> BumpError {
        BumpError::Inapplicable {
            level: self.level.as_str(),
            from: self.from.semver(),
            hint: hint.into(),
        }
    }

    /// `n + 1`, refused when `n` is already the largest number.
    fn inc(&self, n: u64) -> Result<u64, BumpError> {
        n.checked_add(1).ok_or_else(|| {
            self.refuse(format!(
                "a number would pass {}, the largest a version can hold",
                u64::MAX
            ))
        })
    }

    /// `X.Y.(Z+1)` as a final release.
    fn next_patch(&self) -> Result<ReleaseVersion, BumpError> {
        let v = self.from;
        Ok(ReleaseVersion::new(v.major, v.minor, self.inc(v.patch)?))
    }

    /// `X.Y.Z` with pre, dev and post dropped.
    fn same_core(&self) -> ReleaseVersion {
        let v = self.from;
        ReleaseVersion::new(v.major, v.minor, v.patch)
    }

    fn core(&self) -> Result<ReleaseVersion, BumpError> {
        let v = self.from;
        Ok(match self.level {
            BumpLevel::Major => ReleaseVersion::new(self.inc(v.major)?, 0, 0),
            BumpLevel::Minor => ReleaseVersion::new(v.major, self.inc(v.minor)?, 0),
            _ => self.next_patch()?,
        })
    }

    fn phase(&self) -> Result<ReleaseVersion, BumpError> {
        let kind = self.level.phase().expect("phase levels only");
        let v = self.from;
        if !v.is_prerelease() {
            return Ok(ReleaseVersion {
                pre: Some((kind, 1)),
                ..self.next_patch()?
            });
        }
        let pre = match v.pre {
            Some((current, n)) if current == kind && v.dev.is_none() => (kind, self.inc(n)?),
            // The natural end of the dev series; check_increase refuses it for Cargo.
            Some((current, n)) if current == kind => (kind, n),
            Some((current, _)) if current > kind => return Err(self.backwards(current)),
            _ => (kind, 1),
        };
        Ok(ReleaseVersion {
            pre: Some(pre),
            ..self.same_core()
        })
    }

    fn backwards(&self, current: PreKind) -> BumpError {
        let later: Vec<String> = PreKind::ALL
            .into_iter()
            .filter(|&k| k >= current)
            .map(|k| format!("`{}`", k.semver_word()))
            .collect();
        self.refuse(format!(
            "it is already past {}, so this would go backwards; use {} or `release`",
            self.level,
            later.join(", ")
        ))
    }

    fn post(&self) -> Result<ReleaseVersion, BumpError> {
        let v = self.from;
        if v.is_prerelease() {
            return Err(self.refuse(
                "a post release follows a final release; finish this one with `release` first",
            ));
        }
        let n = match v.post {
            Some(n) => self.inc(n)?,
            // 1.2.3 -> 1.2.3-post.1: check_increase refuses it for Cargo.
            None => 1,
        };
        Ok(ReleaseVersion {
            post: Some(n),
            ..self.same_core()
        })
    }

    fn dev(&self) -> Result<ReleaseVersion, BumpError> {
        let v = self.from;
        let (base, pre, dev) = match (v.pre, v.dev) {
            (_, Some(m)) => (self.same_core(), v.pre, self.inc(m)?),
            (Some((kind, n)), None) => (self.same_core(), Some((kind, self.inc(n)?)), 1),
            (None, None) => (self.next_patch()?, None, 1),
        };
        Ok(ReleaseVersion {
            pre,
            dev: Some(dev),
            ..base
        })
    }

    fn release(&self) -> Result<ReleaseVersion, BumpError> {
        if !self.from.is_prerelease() {
            return Err(self.refuse("it is already a release; use `patch`, `minor` or `major`"));
        }
        Ok(self.same_core())
    }
}

fn semver_of(v: &ReleaseVersion) -> semver::Version {
    semver::Version::parse(&v.semver()).expect("semver() always writes valid SemVer")
}

fn pep440_of(v: &ReleaseVersion) -> pep440_rs::Version {
    pep440_rs::Version::from_str(&v.pep440()).expect("pep440() always writes valid PEP 440")
}

fn same_core(a: &ReleaseVersion, b: &ReleaseVersion) -> bool {
    (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch)
}

/// Why `to` does not sort above `from` for Cargo, and what to do instead.
fn semver_hint(from: &ReleaseVersion, to: &ReleaseVersion, order: Ordering) -> String {
    if same_core(from, to) && to.post.is_some() && from.post.is_none() {
        return format!(
            "Cargo treats `-post.N` as a pre-release, so {to} sorts below {}; use `patch` instead",
            from.core()
        );
    }
    let dev_only = from.pre.is_none() && from.dev.is_some();
    if same_core(from, to) && dev_only && to.pre.is_some_and(|(k, _)| k < PreKind::Rc) {
        return "SemVer compares pre-release words as text, so `-dev` sorts above `-alpha` \
                and `-beta`; use `rc` or `release`"
            .to_string();
    }
    if same_core(from, to) && from.dev.is_some() && to.dev.is_none() && from.pre == to.pre {
        let later: Vec<String> = PreKind::ALL
            .into_iter()
            .filter(|&k| from.pre.is_some_and(|(current, _)| k > current))
            .map(|k| format!("`{}`, ", k.semver_word()))
            .collect();
        return format!(
            "SemVer sorts a longer pre-release higher, so {to} sorts below {from}; \
             end the dev series with {}`release`, or go on with `dev`",
            later.concat()
        );
    }
    generic_hint("SemVer", &from.semver(), &to.semver(), order)
}

/// Why `to` does not sort above `from` for pip, and what to do instead.
fn pep440_hint(from: &ReleaseVersion, to: &ReleaseVersion, order: Ordering) -> String {
    let (from_pep, to_pep) = (from.pep440(), to.pep440());
    if same_core(from, to) && from.post.is_some() && to.post.is_none() {
        return format!(
            "PEP 440 sorts a post release above every pre-release of {}, so {to_pep} sorts \
             below {from_pep}; use `patch`, `minor` or `major`",
            from.core()
        );
    }
    if same_core(from, to) && from.pre == to.pre && to.dev.is_some() && from.dev.is_none() {
        return format!(
            "PEP 440 sorts a dev release below the release it leads to, so {to_pep} sorts \
             below {from_pep}; use `dev`, which moves on to the next pre-release number"
        );
    }
    generic_hint("PEP 440", &from_pep, &to_pep, order)
}

fn generic_hint(scheme: &str, from: &str, to: &str, order: Ordering) -> String {
    let relation = match order {
        Ordering::Equal => "equal to",
        _ => "below",
    };
    format!("{scheme} sorts {to} {relation} {from}; `patch`, `minor` and `major` always go up")
}
