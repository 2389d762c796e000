//! Documentation that holds: every row of README's bump-rule tables is
//! computed again by the library and must match what the README promises.

use cargo_pypi::commands::bump::Target;
use cargo_pypi::version::ReleaseVersion;
use std::path::PathBuf;

fn readme() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md");
    std::fs::read_to_string(path).expect("README.md")
}

/// The cells of a Markdown table row, backticks removed.
fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().trim_matches('`').to_string())
        .collect()
}

/// `(section heading, header cells, rows)` of every table under "Bump rules".
fn bump_tables(text: &str) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let start = text.find("#### Bump rules").expect("a Bump rules section");
    let end = text[start..]
        .find("\n### ")
        .map_or(text.len(), |i| start + i);
    let mut tables = Vec::new();
    let mut heading = String::new();
    let lines: Vec<&str> = text[start..end].lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with("#### ") {
            heading = lines[i].to_string();
        }
        if lines[i].starts_with('|') && lines.get(i + 1).is_some_and(|l| l.starts_with("|--")) {
            let header = cells(lines[i]);
            let mut rows = Vec::new();
            i += 2;
            while i < lines.len() && lines[i].starts_with('|') {
                rows.push(cells(lines[i]));
                i += 1;
            }
            tables.push((heading.clone(), header, rows));
            continue;
        }
        i += 1;
    }
    tables
}

fn bumped(current: &str, level: &str) -> ReleaseVersion {
    let from = ReleaseVersion::parse_any(current).expect(current);
    let Ok(Target::Level(level)) = level.parse::<Target>() else {
        panic!("README names an unknown level `{level}`");
    };
    from.bump(level).unwrap_or_else(|e| {
        panic!("README promises `{current}` + {level:?}, the library refuses: {e}")
    })
}

#[test]
fn every_row_of_the_bump_rule_tables_holds() {
    let tables = bump_tables(&readme());
    assert!(
        tables.len() >= 5,
        "expected a table per level group, found {}",
        tables.len()
    );
    let mut checked = 0;
    for (heading, header, rows) in &tables {
        for row in rows {
            assert_eq!(row.len(), header.len(), "{heading}: row {row:?}");
            if header[1] == "level" {
                // | current | level | Cargo | Python |
                let next = bumped(&row[0], &row[1]);
                assert_eq!(next.semver(), row[2], "{heading}: {row:?}");
                assert_eq!(next.pep440(), row[3], "{heading}: {row:?}");
            } else {
                // | current | major | minor | patch |: one level per column.
                for (level, expected) in header.iter().zip(row).skip(1) {
                    let next = bumped(&row[0], level);
                    assert_eq!(next.semver(), *expected, "{heading}: {} + {level}", row[0]);
                }
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 15,
        "only {checked} rows found: did the README's tables change shape?"
    );
}
