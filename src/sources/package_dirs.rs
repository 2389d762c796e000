//! The package's own Python files, found the way maturin finds them, and the
//! versions they hold: `__version__` literals and VERSION files.

use super::occurrence::{read_text, text_occurrence, Occurrence, Spelling};
use crate::error::ReadError;
use crate::project::python::Pyproject;
use crate::project::Unit;
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

type Texts = BTreeMap<PathBuf, String>;

/// Folders never searched for `__version__`: vendored copies and tests hold
/// other projects' or fake versions.
const SKIPPED_DIRS: &[&str] = &[
    "__pycache__",
    "_vendor",
    "vendor",
    "vendored",
    "tests",
    "test",
];

/// Existing `<source>/<module>` folders (and `<source>/<module>.py` files) of the
/// package. Modules: `module-name`'s top level, the project name, the crates'
/// `[lib].name` and names (maturin's defaults). Sources: `python-source`, else
/// the project folder, `src/` and `python/`.
pub fn package_dirs(unit: &Unit) -> Vec<PathBuf> {
    let package = unit.package;
    let mut modules: Vec<String> = package.module.iter().cloned().collect();
    for manifest in &unit.built {
        modules.extend(manifest.lib_name.clone());
        modules.extend(manifest.name().map(|n| n.replace('-', "_")));
    }
    let mut sources = vec![package.python_source.clone()];
    if !package.python_source_configured {
        sources.extend([package.dir().join("src"), package.dir().join("python")]);
    }
    let mut found = Vec::new();
    for source in &sources {
        for module in &modules {
            for candidate in [source.join(module), source.join(format!("{module}.py"))] {
                if candidate.exists() && !found.contains(&candidate) {
                    found.push(candidate);
                }
            }
        }
    }
    found
}

/// Every `.py` file in the package folders (at most 4 levels deep).
pub fn python_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in dirs {
        if dir.is_file() {
            files.push(dir.clone());
        } else {
            collect_py(dir, 0, &mut files);
        }
    }
    files.sort();
    files.dedup();
    files
}

fn collect_py(dir: &Path, depth: usize, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && depth < 4 && !SKIPPED_DIRS.iter().any(|s| name == *s) {
            collect_py(&path, depth + 1, files);
        } else if !is_dir && path.extension().is_some_and(|e| e == "py") {
            files.push(path);
        }
    }
}

static DUNDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^__version__[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*(?:"([^"\n\\]*)"|'([^'\n\\]*)')"#)
        .expect("valid regex")
});

/// `__version__ = "…"` statements at the start of a line, outside triple-quoted
/// strings. Files that are not UTF-8 cannot hold one the tool could rewrite and are skipped.
pub fn dunder_versions(
    path: &Path,
    texts: &mut Texts,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::io(path, e))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(());
    };
    if !text.contains("__version__") {
        return Ok(());
    }
    let before = out.len();
    let mut offset = 0;
    let mut in_string: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        if in_string.is_none() {
            if let Some(caps) = DUNDER.captures(line) {
                let value = caps
                    .get(1)
                    .or_else(|| caps.get(2))
                    .expect("one alternative matched");
                let range = offset + value.start()..offset + value.end();
                out.push(text_occurrence(
                    path,
                    &text,
                    range,
                    "`__version__`",
                    Spelling::Pep440,
                ));
            }
        }
        in_string = triple_quote_state(line, in_string);
        offset += line.len();
    }
    if out.len() > before {
        texts.insert(path.to_path_buf(), text);
    }
    Ok(())
}

/// Whether a triple-quoted string is open after `line`, given the state before it.
fn triple_quote_state<'a>(line: &str, mut open: Option<&'a str>) -> Option<&'a str> {
    let mut rest = line;
    loop {
        let next = match open {
            Some(quote) => rest.find(quote).map(|i| (i, quote)),
            None => ["\"\"\"", "'''"]
                .iter()
                .filter_map(|q| rest.find(q).map(|i| (i, *q)))
                .min(),
        };
        let Some((index, quote)) = next else {
            return open;
        };
        open = if open.is_some() { None } else { Some(quote) };
        rest = &rest[index + 3..];
    }
}

/// `VERSION` beside pyproject.toml and in the package folders.
pub fn version_files(package: &Pyproject, dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = vec![package.dir().join("VERSION")];
    files.extend(dirs.iter().map(|d| d.join("VERSION")));
    files.retain(|f| f.is_file());
    files.dedup();
    files
}

pub fn version_file(
    path: &Path,
    texts: &mut Texts,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let text = read_text(path, texts)?;
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    if start == end {
        return Err(ReadError::invalid(
            path,
            0,
            "the VERSION file is empty; write the version in it",
        ));
    }
    if text[start..end].contains('\n') {
        return Err(ReadError::invalid(
            path,
            0,
            "a VERSION file must hold the version alone on one line",
        ));
    }
    out.push(text_occurrence(
        path,
        &text,
        start..end,
        "VERSION file",
        Spelling::Pep440,
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docstrings_do_not_hold_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("__init__.py");
        let text = "\"\"\"Docs.\n\n__version__ = \"0.0.1\"\n\"\"\"\n__version__: str = '1.2.0'\nx = '''\n__version__ = \"9\"\n'''\n";
        std::fs::write(&path, text).unwrap();
        let mut out = Vec::new();
        dunder_versions(&path, &mut Texts::new(), &mut out).unwrap();
        let found: Vec<(usize, &str)> = out.iter().map(|o| (o.line, o.found.as_str())).collect();
        assert_eq!(found, [(5, "1.2.0")]);
    }

    #[test]
    fn non_utf8_files_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("legacy.py");
        std::fs::write(&path, b"# caf\xe9\n__version__ = \"1.0\"\n").unwrap();
        let mut out = Vec::new();
        dunder_versions(&path, &mut Texts::new(), &mut out).unwrap();
        assert!(out.is_empty());
    }
}
