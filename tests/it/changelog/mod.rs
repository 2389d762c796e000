//! Tests for `cargo_pypi::changelog`: golden rotations (`tests/golden/changelog`),
//! queries, errors, and property tests that rotation keeps every other line.

pub(crate) mod bump;
mod properties;
mod queries;
mod shapes;

use std::fs;
use std::path::PathBuf;

use cargo_pypi::changelog::{Changelog, ChangelogError, Section};
use proptest::prelude::*;

const DATE: &str = "2026-11-21";

/// A release section as the parser reports it.
fn sec(version: &str, line: usize, date: Option<&str>) -> Section {
    Section {
        version: version.to_string(),
        line,
        date: date.map(str::to_string),
    }
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/changelog")
        .join(name)
}

fn read(name: &str) -> String {
    let path = golden_path(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Fails at the first differing line, showing both sides with escapes visible.
fn assert_same_text(what: &str, actual: &str, expected: &str) {
    if actual == expected {
        return;
    }
    let (a, e): (Vec<_>, Vec<_>) = (
        actual.split_inclusive('\n').collect(),
        expected.split_inclusive('\n').collect(),
    );
    let n = (0..a.len().max(e.len()))
        .find(|&i| a.get(i) != e.get(i))
        .unwrap_or(0);
    panic!(
        "{what}: differs at line {}\n  got:      {:?}\n  expected: {:?}",
        n + 1,
        a.get(n),
        e.get(n)
    );
}

/// Rotates `<case>.md` and compares with `<case>.rotated.md`; with
/// `UPDATE_GOLDEN=1` writes the expected file instead (review it by eye).
fn golden(case: &str, version: &str, tag: &str) {
    let input = read(&format!("{case}.md"));
    let rotated = Changelog::parse(&input)
        .rotate(version, DATE, tag)
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    let expected_name = format!("{case}.rotated.md");
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        fs::write(golden_path(&expected_name), &rotated).expect("write golden file");
        return;
    }
    assert_same_text(case, &rotated, &read(&expected_name));
}

/// (case, version, tag) for every golden file pair.
const CASES: &[(&str, &str, &str)] = &[
    ("keep-a-changelog", "1.2.0", "v1.2.0"),
    ("no-links", "0.5.0", "v0.5.0"),
    ("first-release", "0.1.0", "v0.1.0"),
    ("crlf", "0.3.0", "v0.3.0"),
    ("v-prefix-paren", "1.2.0", "v1.2.0"),
    ("en-dash", "3.1.0", "3.1.0"),
    ("release-please", "1.5.0", "v1.5.0"),
    ("gitlab", "1.0.0", "v1.0.0"),
    ("code-fence", "0.6.0", "v0.6.0"),
    ("pep440-prerelease", "1.3.0rc1", "v1.3.0rc1"),
    ("no-trailing-newline", "2.0.0-rc.1", "v2.0.0-rc.1"),
];

macro_rules! golden_tests {
    ($($name:ident => $idx:expr;)*) => {$(
        #[test]
        fn $name() {
            let (case, version, tag) = CASES[$idx];
            golden(case, version, tag);
        }
    )*};
}

golden_tests! {
    golden_keep_a_changelog_github_links => 0;
    golden_no_links => 1;
    golden_first_release => 2;
    golden_crlf => 3;
    golden_v_prefix_paren_date => 4;
    golden_en_dash => 5;
    golden_release_please_heading_links => 6;
    golden_gitlab_links => 7;
    golden_code_fence => 8;
    golden_pep440_prerelease => 9;
    golden_no_trailing_newline => 10;
}

#[test]
fn golden_crlf_input_really_is_crlf() {
    let input = read("crlf.md");
    assert_eq!(input.matches('\n').count(), input.matches("\r\n").count());
    assert!(
        input.contains("\r\n"),
        "crlf.md lost its CRLF line endings (git autocrlf?)"
    );
}

#[test]
fn every_lf_golden_also_works_with_crlf() {
    for (case, version, tag) in CASES.iter().filter(|c| c.0 != "crlf") {
        let crlf = |s: String| s.replace('\n', "\r\n");
        let input = crlf(read(&format!("{case}.md")));
        let rotated = Changelog::parse(&input).rotate(version, DATE, tag).unwrap();
        let expected = crlf(read(&format!("{case}.rotated.md")));
        assert_same_text(&format!("{case} (CRLF)"), &rotated, &expected);
    }
}

#[test]
fn golden_rotations_reparse() {
    for (case, version, _) in CASES {
        let before = Changelog::parse(&read(&format!("{case}.md")));
        let after = Changelog::parse(&read(&format!("{case}.rotated.md")));
        let un = before.unreleased_line().unwrap();
        assert_eq!(after.unreleased_line(), Some(un), "{case}");
        assert!(after.unreleased_is_empty(), "{case}");
        let new = after
            .find(&[version])
            .unwrap_or_else(|| panic!("{case}: no {version}"));
        assert_eq!(new.line, un + 2, "{case}");
        assert_eq!(new.date.as_deref(), Some(DATE), "{case}");
        assert_eq!(after.body(version), before.unreleased_body(), "{case}");
        assert_eq!(
            after.sections().len(),
            before.sections().len() + 1,
            "{case}"
        );
    }
}
