//! Distribution file names: what kind of file a name says it is, wheel names
//! (PEP 427/491 and the binary distribution format spec), sdist names
//! (PEP 625), project name normalization, and the platform tags PyPI accepts.

use super::rules::{self, Findings};
use pep440_rs::Version;
use std::str::FromStr;

/// What the file name says the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKind {
    Wheel,
    SdistTarGz,
    SdistZip,
    Other,
}

pub(crate) fn kind_of(file: &str) -> NameKind {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".whl") {
        NameKind::Wheel
    } else if lower.ends_with(".tar.gz") {
        NameKind::SdistTarGz
    } else if lower.ends_with(".zip") {
        NameKind::SdistZip
    } else {
        NameKind::Other
    }
}

/// PEP 503 normalization: lower case, runs of `-_.` become `-`. The one home
/// of project-name comparison (index URLs, file names, `-p NAME`). It takes any
/// text, valid name or not (`pep508_rs::PackageName` refuses invalid ones), so
/// a malformed name still gets a spelling for messages.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// The name as it must start a wheel or sdist file name: [`normalize_name`] with `_` for `-`.
pub fn file_name_part(name: &str) -> String {
    normalize_name(name).replace('-', "_")
}

/// Whether `name` is a valid project (or extra) name per the core metadata spec.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let ok_end = |b: &u8| b.is_ascii_alphanumeric();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            ok_end(first)
                && ok_end(last)
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// Whether `file` (a file name) is a wheel or sdist of `project` `version`:
/// `{name}-{version}-….whl`, `{name}-{version}.tar.gz` or `.zip`, the name in
/// its file-name spelling, case aside.
pub fn is_release_file(file: &str, project: &str, version: &str) -> bool {
    let file = file.to_lowercase();
    let prefix = format!("{}-{version}", file_name_part(project)).to_lowercase();
    (file.ends_with(".whl") && file.starts_with(&format!("{prefix}-")))
        || file == format!("{prefix}.tar.gz")
        || file == format!("{prefix}.zip")
}

/// The parts of a wheel file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelName {
    pub name: String,
    pub version: String,
    pub build: Option<String>,
    pub python: String,
    pub abi: String,
    pub platform: String,
}

impl WheelName {
    /// Splits `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`.
    pub fn parse(file: &str) -> Result<WheelName, String> {
        let stem = file
            .strip_suffix(".whl")
            .ok_or_else(|| "does not end in .whl".to_string())?;
        let parts: Vec<&str> = stem.split('-').collect();
        let (name, version, build, rest) = match parts.as_slice() {
            [n, v, rest @ ..] if rest.len() == 3 => (n, v, None, rest),
            [n, v, b, rest @ ..] if rest.len() == 3 => (n, v, Some(b.to_string()), rest),
            _ => {
                return Err(format!(
                    "has {} dash-separated parts, not 5 or 6",
                    parts.len()
                ))
            }
        };
        if parts.iter().any(|p| p.is_empty()) {
            return Err("has an empty part between dashes".to_string());
        }
        if let Some(b) = &build {
            if !b.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(format!("build tag {b:?} does not start with a digit"));
            }
        }
        Ok(WheelName {
            name: name.to_string(),
            version: version.to_string(),
            build,
            python: rest[0].to_string(),
            abi: rest[1].to_string(),
            platform: rest[2].to_string(),
        })
    }

    /// Every `python-abi-platform` tag the compressed tag sets expand to, sorted.
    pub fn tags(&self) -> Vec<String> {
        let mut out = expand_tags(&self.python, &self.abi, &self.platform);
        out.sort();
        out.dedup();
        out
    }
}

fn expand_tags(python: &str, abi: &str, platform: &str) -> Vec<String> {
    let mut out = Vec::new();
    for py in python.split('.') {
        for abi in abi.split('.') {
            for plat in platform.split('.') {
                out.push(format!("{py}-{abi}-{plat}"));
            }
        }
    }
    out
}

/// The tags a `Tag:` value of WHEEL stands for: itself, or every tag of a
/// compressed set (PEP 425), as maturin 1.9.6 and older wrote them. A value
/// that is not `python-abi-platform` stands for itself.
pub(crate) fn expand_tag(tag: &str) -> Vec<String> {
    match tag.split('-').collect::<Vec<_>>().as_slice() {
        [py, abi, plat] => expand_tags(py, abi, plat),
        _ => vec![tag.to_string()],
    }
}

/// Whether an archive path is absolute (`/x`, `\x`, `C:x`).
pub(crate) fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic())
}

/// Checks a wheel's file name against its metadata's name and version.
pub(crate) fn check_wheel(parsed: &WheelName, name: &str, version: &str, f: &mut Findings) {
    let expected = file_name_part(name);
    if is_valid_name(name) && parsed.name != expected {
        f.add(
            rules::WHEEL_FILENAME_NAME,
            Some("Name"),
            format!(
                "the file name starts with {:?}, PyPI requires the normalized project name {expected:?}: rename the file or rebuild it with a current build tool",
                parsed.name
            ),
        );
    }
    let (Ok(meta_v), file_v) = (
        Version::from_str(version),
        Version::from_str(&parsed.version),
    ) else {
        return;
    };
    match file_v {
        Ok(file_v) if file_v == meta_v => {
            if parsed.version != file_v.to_string() {
                f.add(
                    rules::WHEEL_FILENAME_VERSION_FORM,
                    Some("Version"),
                    format!(
                        "the file name spells the version {:?}; the normalized form is {:?}: rebuild with a current build tool",
                        parsed.version,
                        file_v.to_string()
                    ),
                );
            }
        }
        _ => f.add(
            rules::WHEEL_FILENAME_VERSION,
            Some("Version"),
            format!(
                "the file name says version {:?} but the metadata says {version:?}: rebuild the wheel",
                parsed.version
            ),
        ),
    }
}

/// Checks an sdist's file name: exactly `{normalized_name}-{normalized_version}.tar.gz`.
pub(crate) fn check_sdist(file: &str, name: &str, version: &str, f: &mut Findings) {
    let Ok(v) = Version::from_str(version) else {
        return;
    };
    if !is_valid_name(name) {
        return;
    }
    let expected = format!("{}-{v}.tar.gz", file_name_part(name));
    if file != expected {
        f.add(
            rules::SDIST_FILENAME,
            None,
            format!("the sdist must be named {expected:?} for PyPI (PEP 625): rebuild it with a current build tool (maturin sdist, python -m build --sdist)"),
        );
    }
}

/// Checks every platform tag of a wheel name.
pub(crate) fn check_platforms(parsed: &WheelName, f: &mut Findings) {
    for plat in parsed.platform.split('.') {
        match platform_verdict(plat) {
            Platform::Accepted => {}
            Platform::Legacy => f.add(
                rules::WHEEL_PLATFORM_TAG_LEGACY,
                None,
                format!("platform tag {plat:?} is accepted by PyPI but promises nothing about the C library: prefer a manylinux or musllinux wheel (maturin build --manylinux 2014 or --zig, or auditwheel repair)"),
            ),
            Platform::Rejected => f.add(rules::WHEEL_PLATFORM_TAG, None, rejected_message(plat)),
        }
    }
}

fn rejected_message(plat: &str) -> String {
    if plat.starts_with("linux_") {
        format!("platform tag {plat:?} is refused by PyPI: build a manylinux wheel (maturin build --release --manylinux 2014, or --zig, or in maturin-action with manylinux: auto) or run `auditwheel repair` on this wheel")
    } else {
        format!("platform tag {plat:?} is not one PyPI accepts (any, manylinux/musllinux, macosx, win32/win_amd64/win_arm64, ios, android): rebuild for a supported platform")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Platform {
    Accepted,
    Legacy,
    Rejected,
}

const FIXED: &[&str] = &[
    "any",
    "win32",
    "win_amd64",
    "win_arm64",
    "win_ia64",
    "manylinux1_x86_64",
    "manylinux1_i686",
    "manylinux2010_x86_64",
    "manylinux2010_i686",
    "manylinux2014_x86_64",
    "manylinux2014_i686",
    "manylinux2014_aarch64",
    "manylinux2014_armv7l",
    "manylinux2014_ppc64",
    "manylinux2014_ppc64le",
    "manylinux2014_s390x",
];
const LINUX_ARCHES: &[&str] = &[
    "x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64",
];
// "fat3" (not "fat32") is what PyPI's list holds.
const MACOS_ARCHES: &[&str] = &[
    "ppc",
    "ppc64",
    "i386",
    "x86_64",
    "arm64",
    "intel",
    "fat",
    "fat3",
    "fat64",
    "universal",
    "universal2",
];
const MACOS_MAJORS: &[&str] = &["11", "12", "13", "14", "15", "26"];
const IOS_ARCHES: &[&str] = &["arm64", "x86_64"];
const ANDROID_ARCHES: &[&str] = &["armeabi_v7a", "arm64_v8a", "x86", "x86_64"];

/// Whether PyPI accepts a platform tag (its upload check, mirrored).
pub(crate) fn platform_verdict(plat: &str) -> Platform {
    if FIXED.contains(&plat) {
        return Platform::Accepted;
    }
    if plat == "linux_armv6l" || plat == "linux_armv7l" {
        return Platform::Legacy;
    }
    let ok =
        linux_ok(plat) || macos_ok(plat) || ios_ok(plat) || android_ok(plat) || emscripten_ok(plat);
    if ok {
        Platform::Accepted
    } else {
        Platform::Rejected
    }
}

/// Splits `{prefix}_{n}_{m}_{rest}` into the two numbers and the rest.
fn two_numbers<'a>(plat: &'a str, prefix: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let rest = plat.strip_prefix(prefix)?.strip_prefix('_')?;
    let (major, rest) = rest.split_once('_')?;
    let (minor, rest) = rest.split_once('_')?;
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (numeric(major) && numeric(minor)).then_some((major, minor, rest))
}

fn linux_ok(plat: &str) -> bool {
    if let Some((_, _, arch)) = two_numbers(plat, "manylinux") {
        return LINUX_ARCHES.contains(&arch) || arch == "ppc64";
    }
    matches!(two_numbers(plat, "musllinux"), Some((_, _, arch)) if LINUX_ARCHES.contains(&arch))
}

fn macos_ok(plat: &str) -> bool {
    match two_numbers(plat, "macosx") {
        Some(("10", _, arch)) => MACOS_ARCHES.contains(&arch),
        Some((major, "0", arch)) => MACOS_MAJORS.contains(&major) && MACOS_ARCHES.contains(&arch),
        _ => false,
    }
}

fn ios_ok(plat: &str) -> bool {
    let Some((_, _, rest)) = two_numbers(plat, "ios") else {
        return false;
    };
    let arch = rest
        .strip_suffix("_iphoneos")
        .or_else(|| rest.strip_suffix("_iphonesimulator"));
    matches!(arch, Some(a) if IOS_ARCHES.contains(&a))
}

fn android_ok(plat: &str) -> bool {
    let Some(rest) = plat.strip_prefix("android_") else {
        return false;
    };
    match rest.split_once('_') {
        Some((api, arch)) => {
            !api.is_empty()
                && api.bytes().all(|b| b.is_ascii_digit())
                && ANDROID_ARCHES.contains(&arch)
        }
        None => false,
    }
}

fn emscripten_ok(plat: &str) -> bool {
    matches!(two_numbers(plat, "pyemscripten"), Some((_, _, "wasm32")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn release_files_are_this_projects_wheels_and_sdists_of_this_version() {
        let yes = |f: &str| super::is_release_file(f, "My.Tool", "1.2.0");
        assert!(yes("my_tool-1.2.0-py3-none-any.whl"));
        assert!(yes("My_Tool-1.2.0.tar.gz") && yes("my_tool-1.2.0.zip"));
        assert!(!yes("my_tool-1.2.0rc1.tar.gz") && !yes("my_tool-1.2.01-py3-none-any.whl"));
        assert!(!yes("my_tool-1.2.0.whl.txt") && !yes("other-1.2.0.tar.gz"));
    }

    use super::*;

    #[test]
    fn normalizes_names() {
        assert_eq!(normalize_name("Foo.Bar__baz-Q"), "foo-bar-baz-q");
        assert_eq!(file_name_part("Foo.Bar__baz-Q"), "foo_bar_baz_q");
        assert!(is_valid_name("a") && is_valid_name("A.b-c_9"));
        assert!(!is_valid_name("-a") && !is_valid_name("a b") && !is_valid_name(""));
    }

    #[test]
    fn parses_wheel_names() {
        let w = WheelName::parse(
            "a_b-1.0-1x-cp311-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        )
        .unwrap();
        assert_eq!(w.build.as_deref(), Some("1x"));
        assert_eq!(w.tags().len(), 2);
        assert!(WheelName::parse("a-1.0-x-py3-none-any.whl").is_err());
        assert!(WheelName::parse("a-1.0-py3-none.whl").is_err());
    }

    #[test]
    fn platform_tags() {
        use Platform::*;
        for (tag, want) in [
            ("any", Accepted),
            ("manylinux_2_34_x86_64", Accepted),
            ("musllinux_1_2_aarch64", Accepted),
            ("musllinux_1_2_ppc64", Rejected),
            ("macosx_10_12_x86_64", Accepted),
            ("macosx_11_0_arm64", Accepted),
            ("macosx_11_3_arm64", Rejected),
            ("macosx_16_0_arm64", Rejected),
            ("ios_13_0_arm64_iphoneos", Accepted),
            ("android_21_arm64_v8a", Accepted),
            ("linux_x86_64", Rejected),
            ("linux_aarch64", Rejected),
            ("linux_armv7l", Legacy),
            ("win_amd64", Accepted),
            ("freebsd_14_0_amd64", Rejected),
        ] {
            assert_eq!(platform_verdict(tag), want, "{tag}");
        }
    }
}
