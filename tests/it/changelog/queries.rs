//! Queries (sections, the Unreleased line, `find`, bodies) and the details and
//! errors of `rotate`.

use super::*;

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
