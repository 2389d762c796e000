//! Cargo version requirements on a crate that moves: whether one still matches
//! the release version, and how a bump rewrites it (the operator is kept).

use crate::version::ReleaseVersion;

/// True when the requirement admits the version (Cargo's own matching rules,
/// under which `1.2.0` does not admit `1.2.1-rc.1`).
pub fn matches(requirement: &str, version: &ReleaseVersion) -> bool {
    let (Ok(req), Ok(v)) = (
        semver::VersionReq::parse(requirement),
        semver::Version::parse(&version.semver()),
    ) else {
        return false;
    };
    req.matches(&v)
}

/// The requirement rewritten to `version`, keeping a single `=`, `^`, `~` or `>=`
/// operator: `=1.2.0` -> `=1.3.0`. `None` for compound requirements (`>=1, <2`),
/// which are left to the user.
pub fn rewrite(requirement: &str, version: &ReleaseVersion) -> Option<String> {
    let trimmed = requirement.trim();
    if trimmed.contains([',', '*', '<']) || trimmed.starts_with('>') && !trimmed.starts_with(">=") {
        return None;
    }
    let op_len = trimmed.len() - trimmed.trim_start_matches(['=', '^', '~', '>']).len();
    let (op, rest) = trimmed.split_at(op_len);
    if rest.trim().is_empty() {
        return None;
    }
    Some(format!("{op}{}", version.semver()))
}
