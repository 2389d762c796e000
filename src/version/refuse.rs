//! Reasons for refusing a version: each says what goes wrong and what to write instead.

use std::str::FromStr;

use super::ReleaseVersion;

/// The forms a user may write, for the reasons that list them.
const SUPPORTED: &str = "use -alpha.N, -beta.N, -rc.N, -dev.N or -post.N \
                         (or -alpha.N.dev.M, -beta.N.dev.M, -rc.N.dev.M)";

/// SemVer build metadata: Cargo ignores it and PyPI refuses the local version it becomes.
pub(super) fn build_metadata(v: &semver::Version) -> String {
    let local = format!("+{}", v.build);
    format!(
        "has build metadata `{local}`: Cargo ignores it when comparing versions, \
         and Python reads it as a local version; local version `{local}` cannot be \
         uploaded to PyPI; remove it"
    )
}

/// A PEP 440 local version (`+local`), without the `+`.
pub(super) fn local_version(local: &str) -> String {
    format!(
        "has a local version: local version `+{local}` cannot be uploaded to PyPI \
         (and Cargo would ignore it as build metadata); remove it"
    )
}

/// A PEP 440 release segment without exactly three parts.
pub(super) fn release_parts(release: &[u64]) -> String {
    let padded: Vec<String> = (0..3)
        .map(|i| release.get(i).copied().unwrap_or(0).to_string())
        .collect();
    let lossless = release.iter().skip(3).all(|&n| n == 0);
    let advice = match lossless {
        true => format!(" (write {})", padded.join(".")),
        false => String::new(),
    };
    let plural = if release.len() == 1 { "" } else { "s" };
    format!(
        "has {} release part{plural}; Cargo needs X.Y.Z{advice}",
        release.len()
    )
}

/// `rc1.post1` and the like, given the normalized PEP 440 spelling.
pub(super) fn post_of_prerelease(pep: &str) -> String {
    format!(
        "is a post release of a pre-release ({pep}), which cargo-pypi does not support; \
         publish the next pre-release instead"
    )
}

/// `post1.dev1` and the like, given the normalized PEP 440 spelling.
pub(super) fn dev_of_post(pep: &str) -> String {
    format!(
        "is a dev release of a post release ({pep}): Python sorts it below the post \
         release but Cargo sorts `-post.N.dev.M` above `-post.N`; use -post.N alone"
    )
}

/// What is known about a valid SemVer pre-release outside the subset.
struct Refused<'a> {
    core: String,
    pre: &'a str,
    /// The normalized PEP 440 reading of the whole version, if any.
    python: Option<pep440_rs::Version>,
}

/// Explains why a valid SemVer version (without build metadata) is outside the subset.
pub(super) fn semver_prerelease(v: &semver::Version) -> String {
    let core = format!("{}.{}.{}", v.major, v.minor, v.patch);
    let pre = v.pre.as_str();
    let python = pep440_rs::Version::from_str(&format!("{core}-{pre}")).ok();
    let r = Refused { core, pre, python };
    let ids: Vec<&str> = pre.split('.').collect();
    if is_digits(ids[0]) {
        return r.numeric(v.patch);
    }
    if let Some(id) = ids
        .iter()
        .find(|id| is_digits(id) && id.parse::<u64>().is_err())
    {
        return format!(
            "has the number `{id}`, larger than PEP 440 versions allow; use a smaller number"
        );
    }
    ids.iter()
        .find_map(|id| r.identifier(id))
        .or_else(|| r.missing_number(ids[ids.len() - 1]))
        .unwrap_or_else(|| r.fallback())
}

impl Refused<'_> {
    /// The PEP 440 reading without the `X.Y.Z` in front (`rc1`, `.post1`).
    fn python_suffix(&self) -> Option<String> {
        let python = self.python.as_ref()?.to_string();
        Some(
            python
                .strip_prefix(&self.core)
                .unwrap_or(&python)
                .to_string(),
        )
    }

    /// The supported SemVer pre-release meaning the same as the PEP 440 reading (`-rc.1`).
    fn fix(&self) -> Option<String> {
        let fixed = ReleaseVersion::from_pep440(self.python.as_ref()?).ok()?;
        Some(fixed.semver().strip_prefix(&self.core)?.to_string())
    }

    /// `-1`: a numeric pre-release, which Python reads as a post release.
    fn numeric(&self, patch: u64) -> String {
        let (Some(suffix), Some(fix)) = (self.python_suffix(), self.fix()) else {
            return format!(
                "has the numeric pre-release `-{}`, which has no PEP 440 equivalent; {SUPPORTED}",
                self.pre
            );
        };
        let core = &self.core;
        let next = match (patch.checked_add(1), self.core.rsplit_once('.')) {
            (Some(next), Some((major_minor, _))) => format!("release {major_minor}.{next}"),
            _ => "bump the version".to_string(),
        };
        format!(
            "has a numeric pre-release: `-{}` sorts below {core} in SemVer but above it \
             in PEP 440 ({suffix}); write {fix} only if you accept that Cargo still sorts \
             it below {core}, otherwise {next}",
            self.pre
        )
    }

    /// A misspelled word: missing dot, upper case, or an alias Python accepts.
    fn identifier(&self, id: &str) -> Option<String> {
        let lower = id.to_ascii_lowercase();
        let word = lower.trim_end_matches(|c: char| c.is_ascii_digit());
        let canonical = canonical(word)?;
        let digits = &lower[word.len()..];
        let fix = self
            .fix()
            .map_or(String::new(), |fix| format!("; write {fix}"));
        if !digits.is_empty() {
            return Some(format!(
                "is missing the dot: write -{canonical}.{digits} (SemVer compares `{id}` \
                 as text, so `{canonical}10` would sort below `{canonical}9`)"
            ));
        }
        if id != lower {
            return Some(format!(
                "must be lower case: SemVer compares `{id}` case-sensitively (it sorts \
                 below `{lower}`) while Python ignores case{fix}"
            ));
        }
        if word == canonical {
            return None;
        }
        let (suffix, fix) = (self.python_suffix()?, self.fix()?);
        Some(format!(
            "uses an alias: `-{}` would become {suffix} in Python, colliding with {fix}; \
             write {fix}",
            self.pre
        ))
    }

    /// `-alpha`, `-alpha.1.dev`: Python fills in a 0 that Cargo does not see.
    fn missing_number(&self, last: &str) -> Option<String> {
        let numbered = format!("{}-{}.1", self.core, self.pre);
        if canonical(last) != Some(last) || ReleaseVersion::parse_semver(&numbered).is_err() {
            return None;
        }
        Some(format!(
            "has no number after `{last}` (Python reads it as {}); write -{pre}.1",
            self.python_suffix()?,
            pre = self.pre
        ))
    }

    /// Anything else: say what Python would make of it.
    fn fallback(&self) -> String {
        let Some(python) = &self.python else {
            return format!("has no PEP 440 equivalent; {SUPPORTED}");
        };
        match ReleaseVersion::from_pep440(python) {
            Ok(fixed) => format!(
                "becomes {python} in Python, which cargo-pypi spells {}; write that",
                fixed.semver()
            ),
            Err(reason) => reason,
        }
    }
}

fn is_digits(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

/// The supported SemVer word for a word PEP 440 accepts (`pre` -> `rc`, `r` -> `post`).
fn canonical(word: &str) -> Option<&'static str> {
    Some(match word {
        "alpha" | "a" => "alpha",
        "beta" | "b" => "beta",
        "rc" | "c" | "pre" | "preview" => "rc",
        "dev" => "dev",
        "post" | "r" | "rev" => "post",
        _ => return None,
    })
}
