//! Property tests: rotation keeps every other line, line endings and the final
//! newline, and reparses with the new release on top; nothing panics.

use super::*;

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
