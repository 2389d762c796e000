//! A wheel's `entry_points.txt`, as the entry points specification defines it
//! and PyPI checks it since 2026: `[group]` sections of `name = object
//! reference` lines, and bare names for `console_scripts` and `gui_scripts`
//! (the installers make files of them). Other names are the application's.

use super::rules::{self, Findings};
use std::collections::BTreeSet;

/// How many problems are reported one by one.
const MAX_REPORTED: usize = 10;

const FIX: &str = "fix the [project.scripts] / [project.entry-points] table (or the build tool's entry point settings) and rebuild the wheel";

/// Checks the text of `path` (an `entry_points.txt`).
pub(crate) fn check(text: &str, path: &str, f: &mut Findings) {
    let problems = problems(text);
    for problem in problems.iter().take(MAX_REPORTED) {
        f.add(
            rules::ENTRY_POINTS_INVALID,
            None,
            format!("in {path}: {problem}, and PyPI refuses such wheels: {FIX}"),
        );
    }
    if problems.len() > MAX_REPORTED {
        let more = problems.len() - MAX_REPORTED;
        let message = format!("in {path}: {more} more such problems: {FIX}");
        f.add(rules::ENTRY_POINTS_INVALID, None, message);
    }
}

/// Each problem as a phrase naming its line.
fn problems(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut groups = BTreeSet::new();
    let mut group: Option<String> = None;
    let mut names = BTreeSet::new();
    let mut entry: Option<(usize, String, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim();
        // An indented line continues the value before it (configparser's rule).
        if line.starts_with([' ', '\t']) && !trimmed.is_empty() {
            match entry.as_mut() {
                Some((_, _, value)) => {
                    value.push(' ');
                    value.push_str(trimmed);
                }
                None => out.push(format!("line {n} is indented but continues nothing")),
            }
            continue;
        }
        finish(entry.take(), group.as_deref(), &mut out);
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some(name) = rest.strip_suffix(']').map(str::trim) else {
                out.push(format!(
                    "line {n} opens a group without closing it with ']'"
                ));
                continue;
            };
            if !groups.insert(name.to_string()) {
                out.push(format!("line {n} repeats the group [{name}]"));
            }
            group = Some(name.to_string());
            names.clear();
            continue;
        }
        let Some((name, value)) = trimmed.split_once('=') else {
            out.push(format!(
                "line {n} {trimmed:?} is not 'name = object reference'"
            ));
            continue;
        };
        let name = name.trim().to_string();
        if group.is_none() {
            out.push(format!("line {n} comes before any [group] heading"));
        } else if !names.insert(name.clone()) {
            out.push(format!("line {n} repeats the name {name:?} in its group"));
        }
        entry = Some((n, name, value.trim().to_string()));
    }
    finish(entry, group.as_deref(), &mut out);
    out
}

/// Checks one complete entry (its continuation lines joined).
fn finish(entry: Option<(usize, String, String)>, group: Option<&str>, out: &mut Vec<String>) {
    let Some((n, name, value)) = entry else {
        return;
    };
    let scripts = matches!(group, Some("console_scripts" | "gui_scripts"));
    if name.is_empty() || name.starts_with('[') {
        out.push(format!("line {n} has no name before '='"));
    } else if scripts && !is_bare_name(&name) {
        out.push(format!(
            "line {n}: script name {name:?} is not a bare name (letters, digits, '_', '.', '-')"
        ));
    }
    if !is_object_reference(&value) {
        out.push(format!(
            "line {n}: {value:?} is not an object reference (module.path or module.path:attr.path)"
        ));
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_bare_name(name: &str) -> bool {
    name.chars().all(|c| is_word(c) || c == '.' || c == '-')
}

/// `module(:attr)?` followed by optional `[extras]`; each part word
/// characters and dots (the specification's own pattern).
fn is_object_reference(value: &str) -> bool {
    let dotted = |s: &str| !s.is_empty() && s.chars().all(|c| is_word(c) || c == '.');
    let (reference, extras) = match value.find('[') {
        Some(at) => (value[..at].trim(), Some(value[at..].trim())),
        None => (value, None),
    };
    if extras.is_some_and(|e| !e.ends_with(']')) {
        return false;
    }
    match reference.split_once(':') {
        Some((module, attr)) => dotted(module.trim()) && dotted(attr.trim()),
        None => dotted(reference.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_references() {
        for ok in ["a", "a.b:c", "a.b : c.d", "a:b [x, y]", "héllo:wörld"] {
            assert!(is_object_reference(ok), "{ok}");
        }
        for bad in ["", "a:", ":b", "a-b:c", "a:b:c", "a:b [x", "a b"] {
            assert!(!is_object_reference(bad), "{bad}");
        }
    }
}
