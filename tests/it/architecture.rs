//! The house rules that a reader of `src/` relies on, checked on every run:
//! imports run one way (no two files import each other, directly or through
//! others, except a module's children using their parent's items), every
//! module opens with a `//!` line, and the library never prints.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every library module file: module path (`publish::upload::plan`) -> text,
/// test modules and comments removed. The binary is left out.
fn modules() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    collect(&src(), &src(), &mut out);
    out
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path != root.join("bin") {
                collect(root, &path, out);
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
            parts.pop();
        }
        out.insert(
            parts.join("::"),
            code_of(&std::fs::read_to_string(&path).unwrap()),
        );
    }
}

/// The text before `#[cfg(test)]`, without `//` comments.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file names through `crate::` and `super::`, expanded
/// over `{a, b::c}` groups and resolved to the longest module that exists.
fn imports(module: &str, code: &str, all: &BTreeMap<String, String>) -> BTreeSet<String> {
    let here: Vec<&str> = if module.is_empty() {
        vec![]
    } else {
        module.split("::").collect()
    };
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while let Some(pos) = next_root(code, i) {
        i = pos.0 + 1;
        let (start, is_super) = pos;
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
            continue;
        }
        let mut base: Vec<String> = if is_super {
            here[..here.len().saturating_sub(1)]
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            vec![]
        };
        let path = path_at(&code[start + 5..]);
        let mut segs = path.0;
        while segs.first().is_some_and(|s| s == "super") {
            base.pop();
            segs.remove(0);
        }
        let mut prefix = base;
        prefix.extend(segs);
        if path.1.is_empty() {
            found.extend(resolve(&prefix, all));
        }
        for item in path.1 {
            let mut full = prefix.clone();
            full.extend(item);
            found.extend(resolve(&full, all));
        }
    }
    found.remove(module);
    found
}

/// Next `crate::` or `super::` at or after `from`: (offset, is_super).
fn next_root(code: &str, from: usize) -> Option<(usize, bool)> {
    let c = code[from..].find("crate::").map(|p| (from + p, false));
    let s = code[from..].find("super::").map(|p| (from + p, true));
    match (c, s) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// `::a::b::{c, d::e}` -> (["a", "b"], [["c"], ["d", "e"]]).
fn path_at(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut segs = Vec::new();
    let mut rest = text;
    while let Some(after) = rest.strip_prefix("::") {
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            let items = group[..end]
                .split(',')
                .map(|item| {
                    let item = item.split_whitespace().next().unwrap_or_default();
                    item.split("::")
                        .filter(|s| !s.is_empty() && *s != "self")
                        .map(String::from)
                        .collect()
                })
                .collect();
            return (segs, items);
        }
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        segs.push(after[..len].to_string());
        rest = &after[len..];
    }
    (segs, Vec::new())
}

fn resolve(path: &[String], all: &BTreeMap<String, String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| all.contains_key(m))
}

/// Whether `child` lies inside `parent` (the one allowed back edge).
fn is_ancestor(parent: &str, child: &str) -> bool {
    parent.is_empty() || child.starts_with(&format!("{parent}::"))
}

#[test]
fn no_two_files_import_each_other() {
    let all = modules();
    let graph: BTreeMap<&str, BTreeSet<String>> = all
        .iter()
        .map(|(m, code)| {
            let deps = imports(m, code, &all)
                .into_iter()
                .filter(|d| !is_ancestor(d, m))
                .collect();
            (m.as_str(), deps)
        })
        .collect();
    assert!(
        graph["steps::publish"].contains("publish::upload"),
        "the parser finds imports"
    );
    let mut loops = Vec::new();
    for start in graph.keys() {
        // A path from a dependency of `start` back to `start` is a loop.
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(String, Vec<String>)> = graph[start]
            .iter()
            .map(|d| (d.clone(), vec![start.to_string(), d.clone()]))
            .collect();
        while let Some((node, path)) = stack.pop() {
            if node == *start {
                loops.push(path.join(" -> "));
                break;
            }
            if !seen.insert(node.clone()) {
                continue;
            }
            for next in graph.get(node.as_str()).into_iter().flatten() {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    assert!(
        loops.is_empty(),
        "import loops under src/:\n{}",
        loops.join("\n")
    );
}

#[test]
fn the_parser_sees_a_loop() {
    let mut all = BTreeMap::new();
    all.insert("a".to_string(), "use crate::b::{X, c::Y};".to_string());
    all.insert("b".to_string(), "fn f() { super::a::g() }".to_string());
    all.insert("b::c".to_string(), "use super::super::a;".to_string());
    assert_eq!(
        imports("a", &all["a"], &all),
        BTreeSet::from(["b".into(), "b::c".into()])
    );
    assert_eq!(imports("b", &all["b"], &all), BTreeSet::from(["a".into()]));
    assert_eq!(
        imports("b::c", &all["b::c"], &all),
        BTreeSet::from(["a".into()])
    );
}

#[test]
fn every_module_opens_with_a_doc_line() {
    let mut files = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let missing: Vec<String> = files
        .iter()
        .filter(|p| !std::fs::read_to_string(p).unwrap().starts_with("//!"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` line: {missing:?}"
    );
}

/// The one exception: `ops::process` hands the terminal's stderr to a child
/// (a build streaming its own output); the library itself writes nothing.
const HANDS_STDERR_TO_CHILDREN: &str = "ops::process";

#[test]
fn the_library_denies_printing() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    assert!(lib.contains("#![deny(clippy::print_stdout, clippy::print_stderr)]"));
    for (module, code) in modules() {
        if module == HANDS_STDERR_TO_CHILDREN {
            continue;
        }
        for call in [
            "std::io::stdout()",
            "std::io::stderr()",
            "io::stdout()",
            "io::stderr()",
        ] {
            assert!(
                !code.contains(call),
                "{module} writes to {call}: only the binary may"
            );
        }
    }
}
