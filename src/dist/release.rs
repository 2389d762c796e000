//! Rules across the files of one upload: one project and version, at most one
//! sdist; the per-file size limit; and whether the files are a complete
//! release (the expected set).

use super::filename::{kind_of, normalize_name, NameKind};
use super::rules::{self, Findings};
use super::{Artifact, Diagnostic, Kind};
use crate::display::{file_name, human_size};
use pep440_rs::Version;
use std::str::FromStr;

/// The size rule for one file.
pub(crate) fn check_size(size: u64, max: u64, f: &mut Findings) {
    if size > max {
        f.add(
            rules::FILE_TOO_LARGE,
            None,
            format!(
                "the file has {} ({size} bytes), over the upload limit of {} ({max} bytes): make it smaller (strip debug symbols: `strip = true` in [tool.maturin]) or ask PyPI for a larger limit",
                human_size(size),
                human_size(max)
            ),
        );
    }
}

/// A normalized project name and a version.
type ReleaseKey<'a> = (String, &'a str);

/// Name and version of an artifact whose metadata could be read.
fn release_key(a: &Artifact) -> Option<ReleaseKey<'_>> {
    (!a.name.is_empty() && !a.version.is_empty())
        .then(|| (normalize_name(&a.name), a.version.as_str()))
}

/// Names compare normalized, versions by PEP 440 (`1.2` is `1.2.0`).
fn same_release(a: &ReleaseKey, b: &ReleaseKey) -> bool {
    let same_version = match (Version::from_str(a.1), Version::from_str(b.1)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.1 == b.1,
    };
    a.0 == b.0 && same_version
}

/// The rules across artifacts.
pub(crate) fn check(artifacts: &[Artifact]) -> Vec<Diagnostic> {
    let mut out = multiple_sdists(artifacts);
    out.extend(mixed(artifacts));
    out
}

fn finding(a: &Artifact, rule: rules::Rule, message: String) -> Vec<Diagnostic> {
    let mut f = Findings::new(&file_name(&a.path));
    f.add(rule, None, message);
    f.list
}

/// One finding per sdist of a release that has more than one; the sdists of
/// different releases are different releases (`release-mixed` says so).
fn multiple_sdists(artifacts: &[Artifact]) -> Vec<Diagnostic> {
    let is_sdist = |a: &&Artifact| {
        a.kind == Kind::Sdist
            && matches!(
                kind_of(&file_name(&a.path)),
                NameKind::SdistTarGz | NameKind::SdistZip
            )
    };
    let mut groups: Vec<(Option<ReleaseKey>, Vec<&Artifact>)> = Vec::new();
    for sdist in artifacts.iter().filter(is_sdist) {
        let key = release_key(sdist);
        let found = groups.iter_mut().find(|(k, _)| match (k, &key) {
            (Some(a), Some(b)) => same_release(a, b),
            (a, b) => a.is_none() && b.is_none(),
        });
        match found {
            Some((_, members)) => members.push(sdist),
            None => groups.push((key, vec![sdist])),
        }
    }
    let mut out = Vec::new();
    for (key, sdists) in groups.iter().filter(|(_, s)| s.len() > 1) {
        let names: Vec<String> = sdists.iter().map(|a| file_name(&a.path)).collect();
        let release = key.as_ref().map_or("one release".to_string(), |(_, v)| {
            format!("release {} {v}", sdists[0].name)
        });
        let message = format!(
            "{} sdists of {release} are given together ({}), PyPI takes one per release: upload only one",
            sdists.len(),
            names.join(", ")
        );
        for a in sdists {
            out.extend(finding(a, rules::RELEASE_MULTIPLE_SDISTS, message.clone()));
        }
    }
    out
}

fn mixed(artifacts: &[Artifact]) -> Vec<Diagnostic> {
    let Some((first, key)) = artifacts
        .iter()
        .find_map(|a| release_key(a).map(|k| (a, k)))
    else {
        return Vec::new();
    };
    let differs = |a: &&Artifact| release_key(a).is_some_and(|k| !same_release(&k, &key));
    artifacts
        .iter()
        .filter(differs)
        .flat_map(|a| {
            let message = format!(
                "this is {} {}, but {} is {} {}: check and upload one release at a time",
                a.name,
                a.version,
                file_name(&first.path),
                first.name,
                first.version
            );
            finding(a, rules::RELEASE_MIXED, message)
        })
        .collect()
}

/// What a complete release lacks among `artifacts`: the sdist, any wheel,
/// and a wheel for each of `patterns` (globs over platform tags, as in
/// `manylinux_*_x86_64`). Empty when nothing is missing; an error names a
/// pattern that is not a glob.
pub fn missing_from_set(
    artifacts: &[Artifact],
    patterns: &[String],
) -> Result<Vec<String>, String> {
    let mut missing = Vec::new();
    if !artifacts.iter().any(|a| a.kind == Kind::Sdist) {
        missing.push("the sdist".to_string());
    }
    let wheels: Vec<&Artifact> = artifacts.iter().filter(|a| a.kind == Kind::Wheel).collect();
    if wheels.is_empty() {
        missing.push("a wheel".to_string());
    }
    for pattern in patterns {
        let glob = globset::Glob::new(pattern)
            .map_err(|e| format!("`{pattern}`: {e}"))?
            .compile_matcher();
        let platforms = |a: &&Artifact| platform_tags(a).into_iter().any(|p| glob.is_match(p));
        if !wheels.iter().any(platforms) {
            missing.push(format!("a wheel for `{pattern}`"));
        }
    }
    Ok(missing)
}

/// The platform tags of a wheel (`manylinux_2_17_x86_64`, …), from its file name.
fn platform_tags(a: &Artifact) -> Vec<String> {
    let parsed = super::filename::WheelName::parse(&file_name(&a.path));
    parsed.map_or_else(
        |_| Vec::new(),
        |w| w.platform.split('.').map(str::to_owned).collect(),
    )
}
