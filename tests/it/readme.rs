//! README.md's console examples run as tests, so they cannot drift from what
//! the binary prints.
//!
//! A ```` ```console ```` block is run when the line above it names a fixture:
//! `<!-- fixture: workspace-inherit -->`, or `<!-- fixture: NAME, git -->` for
//! a git repository with the fixture committed. Every `$ cargo pypi …` line in
//! it runs in a fresh copy of that fixture (a `# comment` after the command is
//! not part of it); the lines below it, up to the next `$` line, must equal
//! what the command printed, stdout and stderr interleaved as on a terminal,
//! ignoring trailing whitespace and blank lines at the end. A line `...`
//! stands for any number of lines. Blocks without a marker are not run.

use crate::support::{self, TestContext};

/// One `$ cargo pypi …` line of a marked block, with the output shown below it.
#[derive(Debug, PartialEq)]
struct Example {
    /// 1-based line of the command in README.md.
    line: usize,
    fixture: String,
    git: bool,
    /// The arguments after `cargo pypi`.
    args: Vec<String>,
    expected: Vec<String>,
}

/// The fixture (and whether it is a git repository) a marker line names.
fn marker(line: &str) -> Option<(String, bool)> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix("fixture:")?;
    let mut parts = inner.split(',').map(str::trim);
    let name = parts.next().filter(|n| !n.is_empty())?.to_owned();
    let mut git = false;
    for option in parts {
        assert_eq!(option, "git", "unknown option in the marker `{line}`");
        git = true;
    }
    Some((name, git))
}

/// The command of a `$ …` line, without a trailing `# comment`.
fn command(line: &str) -> &str {
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let end = line
        .char_indices()
        .find(|&(i, c)| c == '#' && line[..i].ends_with(char::is_whitespace))
        .map_or(line.len(), |(i, _)| i);
    line[..end].trim()
}

/// Every command of every marked console block in `readme`.
fn examples(readme: &str) -> Vec<Example> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out: Vec<Example> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let opens = lines[i].trim_end() == "```console";
        let Some((fixture, git)) = opens
            .then(|| i.checked_sub(1))
            .flatten()
            .and_then(|m| marker(lines[m]))
        else {
            i += 1;
            continue;
        };
        i += 1;
        let mut current: Option<Example> = None;
        while i < lines.len() && lines[i].trim_end() != "```" {
            let line = lines[i].trim_end();
            if line.starts_with("$ ") {
                out.extend(current.take());
                let cmd = command(line);
                let args = cmd.strip_prefix("cargo pypi").unwrap_or_else(|| {
                    panic!(
                        "README.md:{}: only `cargo pypi` commands can run: {cmd}",
                        i + 1
                    )
                });
                assert!(
                    !args.contains(['"', '\'', '|', '>', '<', '$']),
                    "README.md:{}: no quoting or shell syntax in examples: {cmd}",
                    i + 1
                );
                current = Some(Example {
                    line: i + 1,
                    fixture: fixture.clone(),
                    git,
                    args: args.split_whitespace().map(str::to_owned).collect(),
                    expected: Vec::new(),
                });
            } else if let Some(example) = current.as_mut() {
                example.expected.push(line.to_owned());
            } else if !line.is_empty() {
                panic!("README.md:{}: output before any `$` line", i + 1);
            }
            i += 1;
        }
        out.extend(current.take());
    }
    for example in &mut out {
        while example.expected.last().is_some_and(|l| l.is_empty()) {
            example.expected.pop();
        }
    }
    out
}

/// Whether `actual` is `expected`, where a line `...` stands for any lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first() == Some(&first.as_str()) && matches(rest, &actual[1..])
        }
    }
}

#[test]
fn readme_console_examples_match_the_real_output() {
    let readme = std::fs::read_to_string(support::root().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(
        examples.len() >= 5,
        "only {} runnable examples found in README.md: are the `<!-- fixture: … -->` markers gone?",
        examples.len()
    );
    let mut failures = Vec::new();
    for example in &examples {
        let mut ctx = TestContext::fixture(&example.fixture);
        if example.git {
            ctx = ctx.git_init();
        }
        let args: Vec<&str> = example.args.iter().map(String::as_str).collect();
        let (_, output) = ctx.run_interleaved(&args);
        let mut actual: Vec<&str> = output.lines().map(str::trim_end).collect();
        while actual.last().is_some_and(|l| l.is_empty()) {
            actual.pop();
        }
        if !matches(&example.expected, &actual) {
            failures.push(format!(
                "README.md:{}: `cargo pypi {}` in fixtures/{}\n--- README.md shows:\n{}\n--- the binary prints:\n{}\n",
                example.line,
                args.join(" "),
                example.fixture,
                example.expected.join("\n"),
                actual.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn examples_are_read_from_marked_blocks_only() {
    let readme = "\
text
```console
$ cargo pypi status
not run
```
<!-- fixture: demo, git -->
```console
$ cargo pypi bump minor --dry-run   # a comment
--- a/x
...
  Would bump

$ cargo pypi check
```
";
    let found = examples(readme);
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        found,
        [
            Example {
                line: 8,
                fixture: "demo".into(),
                git: true,
                args: strings(&["bump", "minor", "--dry-run"]),
                expected: strings(&["--- a/x", "...", "  Would bump"]),
            },
            Example {
                line: 13,
                fixture: "demo".into(),
                git: true,
                args: strings(&["check"]),
                expected: vec![],
            },
        ]
    );
    assert_eq!(
        command("$ cargo pypi check-dist a#b.whl"),
        "cargo pypi check-dist a#b.whl"
    );
    assert_eq!(
        marker("<!-- fixture: disagree -->"),
        Some(("disagree".into(), false))
    );
    assert_eq!(marker("<!-- something else -->"), None);
}

#[test]
fn an_ellipsis_stands_for_any_lines() {
    let expected = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(matches(&expected(&["a", "...", "z"]), &["a", "z"]));
    assert!(matches(
        &expected(&["a", "...", "z"]),
        &["a", "b", "c", "z"]
    ));
    assert!(matches(&expected(&["..."]), &[]));
    assert!(!matches(&expected(&["a", "...", "z"]), &["a", "b"]));
    assert!(!matches(&expected(&["a"]), &["a", "b"]));
    assert!(!matches(&expected(&["a", "b"]), &["a"]));
}
