//! Tests for `cargo_pypi::changelog`: golden rotations (`tests/golden/changelog`),
//! queries, errors, and property tests that rotation keeps every other line.

use std::fs;
use std::path::PathBuf;

use cargo_pypi::changelog::{Changelog, ChangelogError, Section};
use proptest::prelude::*;

const DATE: &str = "2026-11-21";

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

// ---- queries ---------------------------------------------------------------

const STYLES: &str = "\
# Changelog

## [Unreleased]

## [2.0.0-rc.1] - 2026-11-01
## 1.9.0 - 2026-10-01
## [1.8.0] – 2026-09-01
## v1.7.0 (2026-08-01)
## [v1.6.0](https://github.com/o/r/compare/v1.5.0...v1.6.0) (2026-07-01)
## [1.5.0](https://github.com/o/r/compare/v1.4.0...v1.5.0) - 2026-06-01
## 1.4.0
## [1.3.0rc1]
## 1.2.0.post1 - 2026-03-01
## [1.1.0] - 2026-02-01 [YANKED]
";

fn sec(version: &str, line: usize, date: Option<&str>) -> Section {
    Section {
        version: version.to_string(),
        line,
        date: date.map(str::to_string),
    }
}

#[test]
fn sections_in_every_heading_style() {
    let expected = vec![
        sec("2.0.0-rc.1", 5, Some("2026-11-01")),
        sec("1.9.0", 6, Some("2026-10-01")),
        sec("1.8.0", 7, Some("2026-09-01")),
        sec("1.7.0", 8, Some("2026-08-01")),
        sec("1.6.0", 9, Some("2026-07-01")),
        sec("1.5.0", 10, Some("2026-06-01")),
        sec("1.4.0", 11, None),
        sec("1.3.0rc1", 12, None),
        sec("1.2.0.post1", 13, Some("2026-03-01")),
        sec("1.1.0", 14, Some("2026-02-01")),
    ];
    assert_eq!(Changelog::parse(STYLES).sections(), expected);
}

#[test]
fn sections_skip_other_headings_fences_and_comments() {
    let text = "\
## [Unreleased]
### Added
## 2.0 migration guide
## Version history
```
## [9.0.0] - 2099-01-01
```
<!--
## [8.0.0] - 2098-01-01
-->
    ## [7.0.0] - indented code, not a heading
## [1.0.0] - 2026-01-01
";
    assert_eq!(
        Changelog::parse(text).sections(),
        vec![sec("1.0.0", 12, Some("2026-01-01"))]
    );
}

#[test]
fn unreleased_line_accepts_common_spellings() {
    for (heading, line) in [
        ("## [Unreleased]", 3),
        ("## Unreleased", 3),
        ("## [unreleased]", 3),
        ("## UNRELEASED", 3),
        ("## [Unreleased] - ReleaseDate", 3),
        ("## Unreleased changes", 3),
        (
            "## [Unreleased](https://github.com/o/r/compare/v1.0.0...HEAD)",
            3,
        ),
        ("# Unreleased", 3),
    ] {
        let text = format!("# Changelog\n\n{heading}\n\n- x\n\n## [1.0.0] - 2026-01-01\n");
        assert_eq!(
            Changelog::parse(&text).unreleased_line(),
            Some(line),
            "{heading}"
        );
    }
}

#[test]
fn unreleased_line_at_the_release_level() {
    let text = "# Changelog\n## Notes\n#### Unreleased\n#### 1.0.0 - 2026-01-01\n";
    assert_eq!(Changelog::parse(text).unreleased_line(), Some(3));
}

#[test]
fn unreleased_line_none() {
    for text in [
        "# Changelog\n\n## [1.0.0] - 2026-01-01\n",
        "```\n## [Unreleased]\n```\n## [1.0.0]\n",
        "## Unreleasedish\n",
        "#### Unreleased\n## 1.0.0\n",
        "",
    ] {
        assert_eq!(Changelog::parse(text).unreleased_line(), None, "{text:?}");
    }
}

#[test]
fn find_by_any_spelling() {
    let cl = Changelog::parse(STYLES);
    assert_eq!(
        cl.find(&["2.0.0-rc.1", "2.0.0rc1"]).map(|s| s.line),
        Some(5)
    );
    assert_eq!(
        cl.find(&["1.3.0-rc.1", "1.3.0rc1"]).map(|s| s.line),
        Some(12)
    );
    assert_eq!(cl.find(&["v1.7.0"]).map(|s| s.line), Some(8));
    assert_eq!(cl.find(&["1.3.0RC1"]).map(|s| s.line), Some(12));
    assert_eq!(
        cl.find(&["1.6.0"]),
        Some(sec("1.6.0", 9, Some("2026-07-01")))
    );
}

#[test]
fn find_misses() {
    let cl = Changelog::parse(STYLES);
    assert_eq!(cl.find(&["1.0.0"]), None);
    assert_eq!(cl.find(&["Unreleased"]), None);
    assert_eq!(cl.find(&["1.9"]), None);
    assert_eq!(cl.find(&[]), None);
}

const BODIES: &str = "\
## [Unreleased]

## [1.1.0] - 2026-02-01

### Added

- One
  continued.

```
## [0.0.1] - not a heading
```

## Older releases

## [1.0.0] - 2026-01-01

- First.

[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
";

#[test]
fn body_is_trimmed_and_stops_at_the_next_heading() {
    let cl = Changelog::parse(BODIES);
    let expected = "### Added\n\n- One\n  continued.\n\n```\n## [0.0.1] - not a heading\n```";
    assert_eq!(cl.body("1.1.0").as_deref(), Some(expected));
}

#[test]
fn body_leaves_out_the_footer_links() {
    assert_eq!(
        Changelog::parse(BODIES).body("v1.0.0").as_deref(),
        Some("- First.")
    );
}

#[test]
fn body_of_crlf_file_has_no_carriage_returns() {
    let cl = Changelog::parse(&read("crlf.md"));
    assert_eq!(cl.body("0.2.0").as_deref(), Some("- Windows support."));
    assert_eq!(
        cl.unreleased_body().as_deref(),
        Some(
            "### Changed\r\n\r\n- Line endings are kept."
                .replace('\r', "")
                .as_str()
        )
    );
}

#[test]
fn body_keeps_indentation_of_the_first_line() {
    let cl = Changelog::parse("## 1.0.0\n\n    code first\n- then\n\n");
    assert_eq!(cl.body("1.0.0").as_deref(), Some("    code first\n- then"));
}

#[test]
fn body_of_empty_or_missing_section() {
    let cl = Changelog::parse("## [1.0.1]\n\n## [1.0.0]\n- x\n");
    assert_eq!(cl.body("1.0.1").as_deref(), Some(""));
    assert_eq!(cl.body("2.0.0"), None);
}

#[test]
fn unreleased_is_empty_ignores_subheadings_and_comments() {
    let text =
        "## [Unreleased]\n\n### Added\n\n<!-- entries\ngo here -->\n### Fixed\n\n## [1.0.0]\n- x\n";
    let cl = Changelog::parse(text);
    assert!(cl.unreleased_is_empty());
    assert_eq!(
        cl.unreleased_body().as_deref(),
        Some("### Added\n\n<!-- entries\ngo here -->\n### Fixed")
    );
}

#[test]
fn unreleased_is_not_empty_with_an_entry_or_without_the_section() {
    assert!(
        !Changelog::parse("## [Unreleased]\n### Added\n- x\n## [1.0.0]\n").unreleased_is_empty()
    );
    assert!(!Changelog::parse("## [Unreleased]\n```\ncode\n```\n").unreleased_is_empty());
    assert!(!Changelog::parse("## [1.0.0]\n").unreleased_is_empty());
}

// ---- rotate: errors and details -----------------------------------------------

#[test]
fn rotate_without_unreleased_fails() {
    let cl =
        Changelog::parse("# Changelog\n\n```\n## [Unreleased]\n```\n\n## [1.0.0] - 2026-01-01\n");
    assert_eq!(
        cl.rotate("1.1.0", DATE, "v1.1.0"),
        Err(ChangelogError::NoUnreleased)
    );
}

#[test]
fn rotate_existing_version_fails_with_its_line() {
    let cl = Changelog::parse(&read("keep-a-changelog.md"));
    let err = cl.rotate("1.1.0", DATE, "v1.1.0").unwrap_err();
    assert_eq!(err, ChangelogError::VersionExists("1.1.0".into(), 18));
    assert_eq!(
        err.to_string(),
        "a section for 1.1.0 already exists at line 18"
    );
    let err = cl.rotate("v1.0.0", DATE, "v1.0.0").unwrap_err();
    assert_eq!(err, ChangelogError::VersionExists("1.0.0".into(), 24));
}

#[test]
fn rotate_without_any_release_uses_keep_a_changelog_style() {
    let out =
        Changelog::parse("# Changelog\n\n## Unreleased\n\n- x\n").rotate("0.1.0", DATE, "v0.1.0");
    assert_eq!(
        out.unwrap(),
        "# Changelog\n\n## Unreleased\n\n## [0.1.0] - 2026-11-21\n\n- x\n"
    );
}

#[test]
fn rotate_keeps_undated_style_and_heading_suffix() {
    let text = "## [Unreleased] - ReleaseDate\n- x\n\n## 1.0.0\n- y\n";
    let out = Changelog::parse(text)
        .rotate("1.1.0", DATE, "v1.1.0")
        .unwrap();
    assert_eq!(
        out,
        "## [Unreleased] - ReleaseDate\n\n## 1.1.0\n- x\n\n## 1.0.0\n- y\n"
    );
}

#[test]
fn rotate_moves_a_link_embedded_in_the_unreleased_heading() {
    let text = "## [Unreleased](https://github.com/o/r/compare/v1.0.0...HEAD)\n- x\n\n\
                ## [1.0.0](https://github.com/o/r/releases/tag/v1.0.0) (2026-01-01)\n";
    let out = Changelog::parse(text)
        .rotate("1.1.0", DATE, "v1.1.0")
        .unwrap();
    let expected = "## [Unreleased](https://github.com/o/r/compare/v1.1.0...HEAD)\n\n\
                    ## [1.1.0](https://github.com/o/r/compare/v1.0.0...v1.1.0) (2026-11-21)\n- x\n\n\
                    ## [1.0.0](https://github.com/o/r/releases/tag/v1.0.0) (2026-01-01)\n";
    assert_eq!(out, expected);
}

#[test]
fn rotate_heading_link_without_compare_shape() {
    let text =
        "## Unreleased\n- x\n## [1.0.0](https://github.com/o/r/releases/tag/v1.0.0) (2026-01-01)\n";
    let out = Changelog::parse(text)
        .rotate("1.1.0", DATE, "v1.1.0")
        .unwrap();
    assert!(
        out.contains("\n## [1.1.0](https://github.com/o/r/releases/tag/v1.1.0) (2026-11-21)\n"),
        "{out}"
    );
}

#[test]
fn rotate_keeps_two_dot_compare_and_does_not_duplicate_a_link() {
    let text = "## [Unreleased]\n- x\n## [1.0.0]\n\n[Unreleased]: https://h.example/o/r/compare/v1.0.0..main\n\
                [1.1.0]: https://h.example/o/r/custom\n";
    let out = Changelog::parse(text)
        .rotate("1.1.0", DATE, "v1.1.0")
        .unwrap();
    let tail = "[Unreleased]: https://h.example/o/r/compare/v1.1.0..main\n[1.1.0]: https://h.example/o/r/custom\n";
    assert!(out.ends_with(tail), "{out}");
}

#[test]
fn rotate_leaves_unknown_unreleased_links_alone() {
    let text =
        "## [Unreleased]\n- x\n## [1.0.0] - 2026-01-01\n\n[Unreleased]: https://example.com/\n";
    let out = Changelog::parse(text)
        .rotate("1.1.0", DATE, "v1.1.0")
        .unwrap();
    assert!(
        out.ends_with("\n[Unreleased]: https://example.com/\n"),
        "{out}"
    );
}

#[test]
fn rotate_a_one_line_file() {
    let out = Changelog::parse("## [Unreleased]")
        .rotate("1.0.0", DATE, "v1.0.0")
        .unwrap();
    assert_eq!(out, "## [Unreleased]\n\n## [1.0.0] - 2026-11-21");
}

// ---- properties ---------------------------------------------------------------

const RELEASE_STYLES: &[&str] = &[
    "## [{v}] - {d}",
    "## {v} - {d}",
    "## [{v}] – {d}",
    "## v{v} ({d})",
    "## {v}",
];
const UNRELEASED: &[&str] = &["## [Unreleased]", "## Unreleased", "## [unreleased]"];

/// A generated changelog and where its rotated lines are.
#[derive(Debug)]
struct Generated {
    text: String,
    /// 0-based indices of the Unreleased heading and the Unreleased link.
    rotated_lines: Vec<usize>,
}

fn body_lines() -> impl Strategy<Value = Vec<String>> {
    let line = prop_oneof![
        "[a-z][a-z `]{0,20}".prop_map(|s| format!("- {s}")),
        Just("### Added".to_string()),
        Just(String::new()),
        Just("```".to_string()),
        Just("## [Unreleased]".to_string()),
    ];
    prop::collection::vec(line, 0..6).prop_map(|mut lines| {
        if lines.iter().filter(|l| *l == "```").count() % 2 == 1 {
            lines.push("```".to_string());
        }
        lines
    })
}

fn release_heading(style: &str, (a, b, c): (u8, u8, u8)) -> String {
    style
        .replace("{v}", &format!("{a}.{b}.{c}"))
        .replace("{d}", "2026-01-02")
}

prop_compose! {
    fn changelog()(
        title in any::<bool>(),
        unreleased in 0..UNRELEASED.len(),
        style in 0..RELEASE_STYLES.len(),
        versions in prop::collection::btree_set((0u8..5, 0u8..10, 0u8..10), 0..4),
        bodies in prop::collection::vec(body_lines(), 5),
        links in any::<bool>(),
        crlf in any::<bool>(),
        trailing in any::<bool>(),
    ) -> Generated {
        let mut lines: Vec<String> = Vec::new();
        if title {
            lines.extend(["# Changelog".to_string(), String::new()]);
        }
        let mut rotated_lines = vec![lines.len()];
        lines.push(UNRELEASED[unreleased].to_string());
        lines.extend(bodies[0].iter().cloned());
        for (v, body) in versions.iter().rev().zip(&bodies[1..]) {
            lines.push(release_heading(RELEASE_STYLES[style], *v));
            lines.extend(body.iter().cloned());
        }
        if links {
            let url = versions.iter().next_back().map_or("commits/HEAD".to_string(), |(a, b, c)| {
                format!("compare/v{a}.{b}.{c}...HEAD")
            });
            rotated_lines.push(lines.len() + 1);
            lines.extend([String::new(), format!("[Unreleased]: https://github.com/o/r/{url}")]);
        }
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(eol);
        if trailing {
            text.push_str(eol);
        }
        Generated { text, rotated_lines }
    }
}

/// True when `needle` appears in `hay` in order (not necessarily adjacent).
fn is_subsequence(needle: &[&str], hay: &[&str]) -> bool {
    let mut hay = hay.iter();
    needle.iter().all(|n| hay.any(|h| h == n))
}

proptest! {
    #[test]
    fn rotate_keeps_every_other_line_in_order(g in changelog()) {
        let out = Changelog::parse(&g.text).rotate("99.0.0", DATE, "v99.0.0").unwrap();
        let kept: Vec<&str> = g.text.lines().enumerate()
            .filter(|(i, _)| !g.rotated_lines.contains(i))
            .map(|(_, l)| l)
            .collect();
        let out_lines: Vec<&str> = out.lines().collect();
        prop_assert!(is_subsequence(&kept, &out_lines), "{:?}\n---\n{}", g.text, out);
        let added = 2 + g.rotated_lines.len() - 1;
        prop_assert_eq!(out_lines.len(), g.text.lines().count() + added);
    }

    #[test]
    fn rotate_keeps_line_endings_and_the_final_newline(g in changelog()) {
        let out = Changelog::parse(&g.text).rotate("99.0.0", DATE, "v99.0.0").unwrap();
        let crlf = g.text.contains("\r\n");
        prop_assert_eq!(out.ends_with('\n'), g.text.ends_with('\n'));
        prop_assert_eq!(out.matches('\r').count(), if crlf { out.matches('\n').count() } else { 0 });
    }

    #[test]
    fn rotated_file_reparses_with_the_new_release_on_top(g in changelog()) {
        let before = Changelog::parse(&g.text);
        let after = Changelog::parse(&before.rotate("99.0.0", DATE, "v99.0.0").unwrap());
        let un = before.unreleased_line().unwrap();
        prop_assert_eq!(after.unreleased_line(), Some(un));
        prop_assert!(after.unreleased_is_empty());
        prop_assert_eq!(after.find(&["99.0.0"]).map(|s| s.line), Some(un + 2));
        prop_assert_eq!(after.body("99.0.0"), before.unreleased_body());
        prop_assert_eq!(after.sections().len(), before.sections().len() + 1);
    }

    #[test]
    fn parse_and_rotate_never_panic(lines in prop::collection::vec(prop_oneof![
        Just("## [Unreleased]"), Just("## 1.0.0 - 2026-01-01"), Just("## [1.0.0]"), Just("```"),
        Just("~~~"), Just("<!--"), Just("-->"), Just("[Unreleased]: https://x.example/o/r/compare/a...HEAD"),
        Just("[Unreleased]: https://x.example/o/r/commits/HEAD"), Just(""), Just("- x"), Just("#"),
        Just("## [v2.0.0](https://x.example/compare/v1...v2) (2026-02-02)"), Just("\r"), Just("## [1.0.0"),
    ], 0..12), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let cl = Changelog::parse(&text);
        for s in cl.sections() {
            prop_assert!(cl.body(&s.version).is_some());
        }
        let _ = cl.unreleased_is_empty();
        if let Ok(out) = cl.rotate("3.0.0", DATE, "v3.0.0") {
            prop_assert!(out.lines().count() >= text.lines().count() + 2);
        }
    }
}
