//! Changelog shapes seen in real repositories, released with `release`: with
//! an Unreleased section it is rotated; without one a section for the new
//! version is added above the newest in the file's own heading style
//! (`tests/golden/changelog/<case>.released.<ext>`); a file without a version
//! heading is not a changelog.

use std::path::Path;

use cargo_pypi::changelog::{Format, Outcome};

use super::*;

/// (input file, new version, tag, 1-based line of the new heading)
pub(crate) const SHAPES: &[(&str, &str, &str, usize)] = &[
    ("plain-undated.md", "3.11.9", "3.11.9", 4),
    ("released-on.md", "0.16.5", "0.16.5", 3),
    ("v-undated.md", "1.2.1", "v1.2.1", 3),
    ("kac-released.md", "1.2.1", "v1.2.1", 7),
    ("h1.md", "1.2.1", "v1.2.1", 1),
    ("setext-dash.md", "1.2.1", "v1.2.1", 4),
    ("setext-equals.md", "1.2.1", "v1.2.1", 1),
    ("changes.rst", "1.2.1", "v1.2.1", 4),
    ("history.rst", "1.2.1", "v1.2.1", 5),
    ("docs-changelog.rst", "46.0.4", "46.0.4", 6),
];

/// `plain-undated.md` -> `plain-undated.released.md`
pub(crate) fn released_name(input: &str) -> String {
    let (stem, ext) = input.rsplit_once('.').unwrap();
    format!("{stem}.released.{ext}")
}

fn parse(name: &str) -> Changelog {
    Changelog::parse_as(&read(name), Format::of(Path::new(name)))
}

/// Releases `input` and compares with its `.released` golden file; with
/// `UPDATE_GOLDEN=1` writes the expected file instead (review it by eye).
fn released_golden(input: &str, version: &str, tag: &str) -> Outcome {
    let released = parse(input)
        .release(version, DATE, tag)
        .unwrap_or_else(|e| panic!("{input}: {e}"));
    let expected_name = released_name(input);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        fs::write(golden_path(&expected_name), &released.text).expect("write golden file");
    } else {
        assert_same_text(input, &released.text, &read(&expected_name));
    }
    released.outcome
}

#[test]
fn golden_release_without_unreleased_adds_a_section_in_the_file_style() {
    for (input, version, tag, line) in SHAPES {
        let outcome = released_golden(input, version, tag);
        assert_eq!(outcome, Outcome::Added { line: *line }, "{input}");
        let after = Changelog::parse_as(&read(&released_name(input)), Format::of(Path::new(input)));
        let new = after.find(&[version]).unwrap_or_else(|| panic!("{input}"));
        assert_eq!(new.line, *line, "{input}");
        assert_eq!(
            after.sections()[0],
            new,
            "{input}: the new section is the newest"
        );
        assert_eq!(after.body(version).as_deref(), Some(""), "{input}");
        assert_eq!(
            after.sections().len(),
            parse(input).sections().len() + 1,
            "{input}"
        );
    }
}

#[test]
fn golden_release_without_unreleased_also_works_with_crlf() {
    for (input, version, tag, _) in SHAPES {
        let crlf = |s: String| s.replace('\n', "\r\n");
        let text = crlf(read(input));
        let released = Changelog::parse_as(&text, Format::of(Path::new(input)))
            .release(version, DATE, tag)
            .unwrap();
        let expected = crlf(read(&released_name(input)));
        assert_same_text(&format!("{input} (CRLF)"), &released.text, &expected);
    }
}

#[test]
fn golden_rst_unreleased_is_rotated_under_its_underline() {
    let outcome = released_golden("rst-unreleased.rst", "1.2.1", "v1.2.1");
    assert_eq!(outcome, Outcome::Rotated { empty: false });
    let after = Changelog::parse_as(&read("rst-unreleased.released.rst"), Format::Rst);
    assert_eq!(after.unreleased_line(), Some(4));
    assert!(after.unreleased_is_empty());
    assert_eq!(
        after.body("1.2.1").as_deref(),
        Some("- Faster ``loads()``.")
    );
}

#[test]
fn release_rotates_unreleased_and_says_when_it_was_empty() {
    let full = Changelog::parse(&read("keep-a-changelog.md"));
    let released = full.release("1.2.0", DATE, "v1.2.0").unwrap();
    assert_eq!(released.outcome, Outcome::Rotated { empty: false });
    assert_eq!(released.text, read("keep-a-changelog.rotated.md"));
    let empty = Changelog::parse("## [Unreleased]\n\n### Added\n\n## [1.0.0] - 2026-01-01\n- x\n");
    let released = empty.release("1.0.1", DATE, "v1.0.1").unwrap();
    assert_eq!(released.outcome, Outcome::Rotated { empty: true });
    assert!(
        released.text.contains("## [1.0.1] - 2026-11-21\n"),
        "{}",
        released.text
    );
}

#[test]
fn release_leaves_a_section_written_ahead_alone() {
    // Notes written at release time, under the new version, before the bump.
    let text = "# Changelog\n\n## 1.3.0\n\n- New.\n\n## 1.2.0\n\n- Old.\n";
    let released = Changelog::parse(text)
        .release("1.3.0", DATE, "v1.3.0")
        .unwrap();
    assert_eq!(released.outcome, Outcome::Exists { line: 3 });
    assert_eq!(released.text, text);
    // cryptography writes the next version ahead with `main` in place of a date.
    let rst = "Changelog\n=========\n\n47.0.0 - `main`_\n~~~~~~~~~~~~~~~~\n\n* Next.\n\n46.0.3 - 2025-10-15\n~~~~~~~~~~~~~~~~~~~\n";
    let released = Changelog::parse_as(rst, Format::Rst)
        .release("47.0.0", DATE, "47.0.0")
        .unwrap();
    assert_eq!(released.outcome, Outcome::Exists { line: 4 });
    assert_eq!(released.text, rst);
    // An empty Unreleased above it stays too.
    let text = "## [Unreleased]\n\n## [1.3.0] - 2026-11-20\n- New.\n";
    let released = Changelog::parse(text)
        .release("1.3.0", DATE, "v1.3.0")
        .unwrap();
    assert_eq!(released.outcome, Outcome::Exists { line: 3 });
}

#[test]
fn release_refuses_unreleased_notes_when_the_version_has_a_section() {
    let text = "## [Unreleased]\n- Pending.\n\n## [1.3.0] - 2026-11-20\n- New.\n";
    let err = Changelog::parse(text)
        .release("1.3.0", DATE, "v1.3.0")
        .unwrap_err();
    assert_eq!(err, ChangelogError::VersionExists("1.3.0".into(), 4));
}

#[test]
fn a_file_without_a_version_heading_is_not_a_changelog() {
    assert!(!parse("notes-moved.md").keeps_versions());
    assert!(!Changelog::parse("").keeps_versions());
    assert!(!Changelog::parse("# Changelog\n\n## 2.0 migration guide\n").keeps_versions());
    assert!(
        !Changelog::parse_as("Changes\n=======\n\nSee the docs.\n", Format::Rst).keeps_versions()
    );
    assert!(Changelog::parse("# Changelog\n\n## Unreleased\n").keeps_versions());
    for (input, ..) in SHAPES {
        assert!(parse(input).keeps_versions(), "{input}");
    }
}

#[test]
fn format_of_a_path() {
    assert_eq!(Format::of(Path::new("CHANGES.rst")), Format::Rst);
    assert_eq!(Format::of(Path::new("docs/changelog.RST")), Format::Rst);
    assert_eq!(Format::of(Path::new("CHANGELOG.md")), Format::Markdown);
    assert_eq!(Format::of(Path::new("CHANGELOG")), Format::Markdown);
}

#[test]
fn setext_and_underlined_headings_are_found_with_their_dates() {
    let cl = parse("changes.rst");
    assert_eq!(
        cl.sections(),
        vec![
            sec("1.2.0", 4, Some("2026-01-02")),
            sec("1.1.0", 9, Some("2025-11-30"))
        ]
    );
    assert_eq!(
        cl.body("1.2.0").as_deref(),
        Some("- Fixed a leak in ``Decoder.close()``.")
    );
    let cl = parse("setext-dash.md");
    assert_eq!(
        cl.sections(),
        vec![sec("1.2.0", 4, None), sec("1.1.0", 9, None)]
    );
    assert_eq!(
        cl.body("1.2.0").as_deref(),
        Some("* Added a `--json` flag.")
    );
    // The anchor above the next heading belongs to that section.
    let cl = parse("docs-changelog.rst");
    assert_eq!(
        cl.body("46.0.3").as_deref(),
        Some("* Fixed compilation when using LibreSSL 4.2.0.")
    );
}

#[test]
fn underlines_that_are_not_headings() {
    // A list item over `---`, a thematic break after a blank line, a rule in a
    // code block: none is a heading in Markdown.
    let md = "## 1.0.0\n\n- item\n---\n\ntext\n\n---\n\n```\n2.0.0\n-----\n```\n";
    assert_eq!(Changelog::parse(md).sections(), vec![sec("1.0.0", 1, None)]);
    // In reStructuredText an indented line is not a title, and a short
    // underline is only a heading when it covers the title.
    let rst = "1.0.0\n-----\n\n    2.0.0\n    -----\n\n3.0.0 (2026-01-01)\n---\n";
    assert_eq!(
        Changelog::parse_as(rst, Format::Rst).sections(),
        vec![sec("1.0.0", 1, None)]
    );
}

#[test]
fn unreleased_as_real_changelogs_name_it() {
    // ormsgpack's `## Next Version`, requests' `dev` over `---`, and others.
    for heading in [
        "## Next Version",
        "## Next release",
        "## Next",
        "## Upcoming",
        "## In development",
        "## dev",
        "## Upcoming (2.0.0)",
    ] {
        let text = format!("# Changelog\n\n{heading}\n\n- x\n\n## 1.0.0 - 2026-01-01\n");
        assert_eq!(
            Changelog::parse(&text).unreleased_line(),
            Some(3),
            "{heading}"
        );
    }
    let rst = "History\n=======\n\ndev\n---\n\n- x\n\n1.0.0 (2026-01-01)\n------------------\n";
    assert_eq!(
        Changelog::parse_as(rst, Format::Rst).unreleased_line(),
        Some(4)
    );
    for heading in [
        "## Next steps",
        "## Development",
        "## Upcoming features",
        "## devices",
    ] {
        let text = format!("# Changelog\n\n{heading}\n\n- x\n\n## 1.0.0 - 2026-01-01\n");
        assert_eq!(Changelog::parse(&text).unreleased_line(), None, "{heading}");
    }
}

fn any_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("-----".to_string()),
        Just("=====".to_string()),
        Just("~~~".to_string()),
        Just("```".to_string()),
        Just(".. _v1-0-0:".to_string()),
        Just("## Unreleased".to_string()),
        Just("Unreleased".to_string()),
        "(## |# )?v?[0-9]\\.[0-9]\\.[0-9]( - 2026-01-0[1-9]| \\(2026-01-02\\))?",
        "[a-z `*-]{0,12}",
    ]
}

proptest! {
    /// Whatever the text, `release` does not panic; when it adds a section,
    /// every line of the file is still there, in order, and the new heading
    /// is found at the line it reports.
    #[test]
    fn release_keeps_every_line(lines in prop::collection::vec(any_line(), 0..14), rst in any::<bool>()) {
        let text = lines.join("\n") + "\n";
        let format = if rst { Format::Rst } else { Format::Markdown };
        let Ok(released) = Changelog::parse_as(&text, format).release("9.9.9", DATE, "v9.9.9") else {
            return Ok(());
        };
        let out: Vec<&str> = released.text.lines().collect();
        let mut rest = out.iter();
        for line in text.lines() {
            prop_assert!(rest.any(|o| *o == line), "{line:?} lost:\n{}", released.text);
        }
        if let Outcome::Added { line } = released.outcome {
            let after = Changelog::parse_as(&released.text, format);
            prop_assert_eq!(after.find(&["9.9.9"]).map(|s| s.line), Some(line), "{}", released.text);
        }
    }
}
