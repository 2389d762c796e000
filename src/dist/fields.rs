//! Rules on the core metadata fields themselves: Metadata-Version and which
//! fields it allows, unknown and repeated fields, Name, Version, the
//! dependency fields, Summary, URLs, e-mail addresses, Provides-Extra, Dynamic.

use super::filename::is_valid_name;
use super::metadata::{field, CoreMetadata, Field};
use super::rules::{self, Findings};
use pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::{Requirement, VersionOrUrl};
use std::str::FromStr;

/// The Metadata-Version values PyPI accepts (2.0 was never a standard version).
pub(crate) const ACCEPTED_VERSIONS: &[&str] =
    &["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"];

/// Whether `name` is a core metadata field.
pub(crate) fn is_known_field(name: &str) -> bool {
    field(name).is_some()
}

/// Runs every rule of this module.
pub(crate) fn check(meta: &CoreMetadata, f: &mut Findings) {
    check_structure(meta, f);
    check_name(meta, f);
    check_version(meta, f);
    check_requirements(meta, f);
    check_requires_python(meta, f);
    check_summary(meta, f);
    check_urls(meta, f);
    check_emails(meta, f);
    check_extras(meta, f);
    check_dynamic(meta, f);
}

fn check_structure(meta: &CoreMetadata, f: &mut Findings) {
    for line in &meta.malformed {
        f.add(
            rules::METADATA_MALFORMED,
            None,
            format!("line {line:?} is neither a 'Field: value' header nor a continuation: fix the tool that wrote the metadata"),
        );
    }
    let declared = check_metadata_version(meta, f);
    let mut seen: Vec<&str> = Vec::new();
    for header in &meta.headers {
        let Some(known) = field(&header.name) else {
            f.add(
                rules::METADATA_UNKNOWN_FIELD,
                Some(&header.name),
                format!(
                    "field {:?} is not core metadata; twine refuses to upload it: remove it",
                    header.name
                ),
            );
            continue;
        };
        if !known.multi && seen.contains(&known.name) {
            f.add(
                rules::METADATA_DUPLICATE_FIELD,
                Some(known.name),
                format!("field {} may appear only once: keep one", known.name),
            );
        }
        seen.push(known.name);
        if let Some(declared) = declared {
            check_field_age(known, declared, f);
        }
    }
    if meta.body.is_some() && seen.contains(&"Description") {
        f.add(
            rules::METADATA_DUPLICATE_FIELD,
            Some("Description"),
            "the description is given both as a Description field and as the message body: keep one",
        );
    }
}

/// Returns the declared version when it is one whose field set is known.
fn check_metadata_version(meta: &CoreMetadata, f: &mut Findings) -> Option<&'static str> {
    let field = Some("Metadata-Version");
    let Some(v) = meta.get("Metadata-Version") else {
        f.add(
            rules::METADATA_VERSION,
            field,
            "field Metadata-Version is missing: rebuild with a current build tool",
        );
        return None;
    };
    if let Some(known) = ACCEPTED_VERSIONS.iter().find(|k| **k == v) {
        return Some(known);
    }
    let why = if v == "2.0" {
        " (2.0 was never a standard version)"
    } else {
        ""
    };
    f.add(
        rules::METADATA_VERSION,
        field,
        format!("field Metadata-Version {v:?} is not one PyPI accepts{why}: use 1.0, 1.1, 1.2 or 2.1 to 2.5 (rebuild with a current build tool)"),
    );
    None
}

pub(crate) fn version_key(v: &str) -> (u32, u32) {
    let (a, b) = v.split_once('.').unwrap_or((v, "0"));
    (a.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

fn check_field_age(known: &Field, declared: &str, f: &mut Findings) {
    if version_key(known.since) <= version_key(declared) {
        return;
    }
    if known.name == "License-File" {
        f.add(
            rules::METADATA_LICENSE_FILE_IGNORED,
            Some(known.name),
            format!("field License-File needs Metadata-Version 2.4 but {declared} is declared: twine drops the field, so PyPI will not list the license files; rebuild with Metadata-Version 2.4"),
        );
        return;
    }
    f.add(
        rules::METADATA_FIELD_TOO_NEW,
        Some(known.name),
        format!("field {} needs Metadata-Version {} or later but {declared} is declared: raise Metadata-Version or drop the field", known.name, known.since),
    );
}

fn check_name(meta: &CoreMetadata, f: &mut Findings) {
    match meta.get("Name") {
        None => f.add(rules::NAME_INVALID, Some("Name"), "field Name is missing: set the project name"),
        Some(n) if !is_valid_name(&n) => f.add(
            rules::NAME_INVALID,
            Some("Name"),
            format!("field Name {n:?} is not a valid project name: use ASCII letters, digits, '-', '_' and '.', starting and ending with a letter or digit"),
        ),
        Some(_) => {}
    }
}

fn check_version(meta: &CoreMetadata, f: &mut Findings) {
    let field = Some("Version");
    let Some(v) = meta.get("Version") else {
        f.add(
            rules::VERSION_INVALID,
            field,
            "field Version is missing: set the version",
        );
        return;
    };
    match Version::from_str(&v) {
        Err(e) => f.add(
            rules::VERSION_INVALID,
            field,
            format!("field Version {v:?} is not a valid PEP 440 version ({e}): use e.g. 1.2.0, 1.2.0rc1, 1.2.0.post1"),
        ),
        Ok(parsed) if parsed.is_local() => f.add(
            rules::VERSION_LOCAL,
            field,
            format!("field Version {v:?} has a local part (+...), which PyPI refuses: drop the '+' suffix (a SemVer build suffix in Cargo.toml ends up here)"),
        ),
        Ok(_) => {}
    }
}

fn check_requirements(meta: &CoreMetadata, f: &mut Findings) {
    for name in ["Requires-Dist", "Provides-Dist", "Obsoletes-Dist"] {
        for value in meta.get_all(name) {
            check_requirement(name, &value, f);
        }
    }
}

fn check_requirement(name: &str, value: &str, f: &mut Findings) {
    match Requirement::<pep508_rs::VerbatimUrl>::from_str(value) {
        Err(e) => f.add(
            rules::REQUIRES_DIST_INVALID,
            Some(name),
            format!("field {name} {value:?} is not a valid PEP 508 requirement: {}", first_line(&e.to_string())),
        ),
        Ok(req) if matches!(req.version_or_url, Some(VersionOrUrl::Url(_))) => f.add(
            rules::REQUIRES_DIST_URL,
            Some(name),
            format!("field {name} {value:?} is a direct URL reference, which PyPI refuses: depend on a released version instead"),
        ),
        Ok(_) => {}
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn check_requires_python(meta: &CoreMetadata, f: &mut Findings) {
    let Some(v) = meta.get("Requires-Python") else {
        return;
    };
    if let Err(e) = VersionSpecifiers::from_str(&v) {
        f.add(
            rules::REQUIRES_PYTHON_INVALID,
            Some("Requires-Python"),
            format!(
                "field Requires-Python {v:?} is not a valid version specifier set ({}): use e.g. >=3.9",
                first_line(&e.to_string())
            ),
        );
    }
}

fn check_summary(meta: &CoreMetadata, f: &mut Findings) {
    let Some(s) = meta.get("Summary") else { return };
    if s.contains('\n') {
        f.add(
            rules::SUMMARY_MULTILINE,
            Some("Summary"),
            "field Summary spans several lines, which PyPI refuses: make it one line",
        );
    }
    let n = s.chars().count();
    if n > 512 {
        f.add(
            rules::SUMMARY_TOO_LONG,
            Some("Summary"),
            format!("field Summary has {n} characters, PyPI allows 512: shorten it and move the rest to the description"),
        );
    }
}

fn check_urls(meta: &CoreMetadata, f: &mut Findings) {
    for name in ["Home-page", "Download-URL"] {
        if let Some(url) = meta.get(name).filter(|u| u != "UNKNOWN") {
            if !is_http_url(&url) {
                f.add(
                    rules::URL_INVALID,
                    Some(name),
                    format!("field {name} {url:?} is not an http(s) URL: fix or remove it"),
                );
            }
        }
    }
    let mut labels: Vec<String> = Vec::new();
    for value in meta.get_all("Project-URL") {
        check_project_url(&value, &mut labels, f);
    }
}

fn check_project_url(value: &str, labels: &mut Vec<String>, f: &mut Findings) {
    let field = Some("Project-URL");
    let (label, url) = match value.split_once(',') {
        Some((l, u)) => (l.trim(), u.trim()),
        None => (value.trim(), ""),
    };
    let problem = if label.is_empty() {
        Some("has no label")
    } else if url.is_empty() {
        Some("has no URL")
    } else if !is_http_url(url) {
        Some("does not hold an http(s) URL")
    } else if labels.iter().any(|l| l == label) {
        Some("repeats a label")
    } else {
        None
    };
    if let Some(problem) = problem {
        f.add(rules::PROJECT_URL, field, format!("field Project-URL {value:?} {problem}: write it as 'Label, https://...' with distinct labels"));
    }
    if label.chars().count() > 32 {
        f.add(
            rules::PROJECT_URL_LABEL,
            field,
            format!(
                "the Project-URL label {label:?} has {} characters, PyPI allows 32: shorten it",
                label.chars().count()
            ),
        );
    }
    labels.push(label.to_string());
}

/// An absolute http or https URL with a host and no whitespace.
pub(crate) fn is_http_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

fn check_emails(meta: &CoreMetadata, f: &mut Findings) {
    for name in ["Author-email", "Maintainer-email"] {
        let Some(value) = meta.get(name).filter(|v| v != "UNKNOWN") else {
            continue;
        };
        for address in addresses(&value) {
            if !is_valid_email(&address) {
                f.add(
                    rules::EMAIL_INVALID,
                    Some(name),
                    format!("field {name} holds {address:?}, which is not an e-mail address PyPI accepts: write 'Name <user@example.org>', comma-separated"),
                );
            }
        }
    }
}

/// Splits an address list at commas outside quotes and angle brackets and
/// returns the address of each entry (inside `<...>` when there is one).
fn addresses(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut quoted, mut angle, mut start) = (false, false, 0);
    for (i, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match (p.rfind('<'), p.rfind('>')) {
            (Some(a), Some(b)) if a < b => p[a + 1..b].trim().to_string(),
            _ => p.to_string(),
        })
        .collect()
}

fn is_valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    !local.is_empty()
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '@')
        && domain.contains('.')
        && domain.split('.').all(label_ok)
}

fn check_extras(meta: &CoreMetadata, f: &mut Findings) {
    for extra in meta.get_all("Provides-Extra") {
        if !is_valid_name(&extra) {
            f.add(
                rules::PROVIDES_EXTRA_INVALID,
                Some("Provides-Extra"),
                format!("field Provides-Extra {extra:?} is not a valid extra name: use letters, digits, '-', '_' and '.'"),
            );
        }
    }
}

fn check_dynamic(meta: &CoreMetadata, f: &mut Findings) {
    for value in meta.get_all("Dynamic") {
        let lower = value.to_ascii_lowercase();
        let problem = if ["name", "version", "metadata-version"].contains(&lower.as_str()) {
            "may never be dynamic"
        } else if !is_known_field(&value) {
            "is not a core metadata field"
        } else {
            continue;
        };
        f.add(
            rules::DYNAMIC_INVALID,
            Some("Dynamic"),
            format!("field Dynamic lists {value:?}, which {problem}: remove it from Dynamic"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_address_lists() {
        assert_eq!(
            addresses("\"Doe, J\" <j@x.org>, k@y.org"),
            vec!["j@x.org".to_string(), "k@y.org".to_string()]
        );
        assert!(is_valid_email("j@x.org"));
        assert!(!is_valid_email("John Doe") && !is_valid_email("j@localhost"));
    }

    #[test]
    fn urls() {
        assert!(!is_http_url("https://example.org/a b"));
        assert!(is_http_url("HTTPS://example.org"));
        assert!(!is_http_url("ftp://example.org") && !is_http_url("https://"));
    }
}
