//! Python-side sources: `[project].version`, `__version__` literals, VERSION
//! files, the project's own `uv.lock` entry, and files listed in config.

use super::{Loc, Occurrence, Spelling};
use crate::config::ExtraFile;
use crate::error::ReadError;
use crate::project::python::{Backend, PyVersion, Pyproject};
use crate::project::{normalize_name, Project, Unit};
use crate::toml_doc::TomlFile;
use crate::toml_path;
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use toml_edit::Item;

type Texts = BTreeMap<PathBuf, String>;

pub fn scan(
    project: &Project,
    unit: &Unit,
    texts: &mut Texts,
    derived: &mut Vec<(PathBuf, String)>,
) -> Result<Vec<Occurrence>, ReadError> {
    let package = unit.package;
    let mut out = Vec::new();
    match &package.version {
        PyVersion::Static(found) => {
            texts.insert(package.file.path.clone(), package.file.text().to_string());
            out.push(Occurrence {
                file: package.file.path.clone(),
                line: found.line,
                what: "[project].version".into(),
                found: found.value.clone(),
                spelling: Spelling::Pep440,
                loc: Loc::Toml(toml_path!["project", "version"].to_vec()),
            });
        }
        PyVersion::Dynamic if matches!(package.backend, Backend::Maturin { .. }) => derived.push((
            package.file.path.clone(),
            "[project].version is dynamic: maturin derives it from Cargo".into(),
        )),
        PyVersion::Dynamic => derived.push((
            package.file.path.clone(),
            "[project].version is dynamic: set by setup.py, not checked".into(),
        )),
        PyVersion::NoProjectTable => derived.push((
            package.file.path.clone(),
            "no [project] table: maturin takes the version from Cargo".into(),
        )),
    }
    for path in python_files(package) {
        dunder_versions(&path, texts, &mut out)?;
    }
    for path in version_files(package) {
        version_file(&path, texts, &mut out)?;
    }
    for path in project.found.uv_locks.iter().filter(|l| {
        package
            .dir()
            .starts_with(l.parent().unwrap_or(Path::new("/")))
    }) {
        uv_lock(path, package, texts, &mut out)?;
    }
    for extra in &package.config.files {
        extra_file(package, extra, texts, &mut out)?;
    }
    Ok(out)
}

/// The package's own `.py` files: `<python-source>/<module>/**.py` or `<module>.py`.
fn python_files(package: &Pyproject) -> Vec<PathBuf> {
    let Some(module) = &package.module else {
        return Vec::new();
    };
    let dir = package.python_source.join(module);
    let mut files = Vec::new();
    collect_py(&dir, 0, &mut files);
    let single = package.python_source.join(format!("{module}.py"));
    if single.is_file() {
        files.push(single);
    }
    files.sort();
    files
}

fn collect_py(dir: &Path, depth: usize, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() && depth < 4 && name != "__pycache__" {
            collect_py(&path, depth + 1, files);
        } else if path.extension().is_some_and(|e| e == "py") {
            files.push(path);
        }
    }
}

static DUNDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^__version__[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*(?:"([^"\n\\]*)"|'([^'\n\\]*)')"#,
    )
    .expect("valid regex")
});

fn dunder_versions(
    path: &Path,
    texts: &mut Texts,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let text = std::fs::read_to_string(path).map_err(|e| ReadError::io(path, e))?;
    let before = out.len();
    for caps in DUNDER.captures_iter(&text) {
        let value = caps
            .get(1)
            .or_else(|| caps.get(2))
            .expect("one alternative matched");
        out.push(text_occurrence(
            path,
            &text,
            value.range(),
            "`__version__`",
            Spelling::Pep440,
        ));
    }
    if out.len() > before {
        texts.insert(path.to_path_buf(), text);
    }
    Ok(())
}

fn version_files(package: &Pyproject) -> Vec<PathBuf> {
    let mut files = vec![package.dir().join("VERSION")];
    if let Some(module) = &package.module {
        files.push(package.python_source.join(module).join("VERSION"));
    }
    files.retain(|f| f.is_file());
    files.dedup();
    files
}

fn version_file(
    path: &Path,
    texts: &mut Texts,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let text = super::read_text(path, texts)?;
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
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

/// The project's own entry in `uv.lock`: its name, with an editable/virtual/directory source.
fn uv_lock(
    path: &Path,
    package: &Pyproject,
    texts: &mut Texts,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let Some(name) = package.name.as_deref().map(normalize_name) else {
        return Ok(());
    };
    let text = super::read_text(path, texts)?;
    let lock = TomlFile::parse(path, text)?;
    let Some(entries) = lock
        .get(&toml_path!["package"])
        .and_then(Item::as_array_of_tables)
    else {
        return Ok(());
    };
    let before = out.len();
    for (index, entry) in entries.iter().enumerate() {
        let own = entry
            .get("source")
            .and_then(Item::as_table_like)
            .is_some_and(|s| {
                ["editable", "virtual", "directory"]
                    .iter()
                    .any(|k| s.contains_key(k))
            });
        let named =
            entry.get("name").and_then(Item::as_str).map(normalize_name) == Some(name.clone());
        let key = toml_path!["package", index, "version"];
        if let (true, true, Some(found)) = (own, named, lock.string(&key)?) {
            out.push(Occurrence {
                file: path.to_path_buf(),
                line: found.line,
                what: format!("uv.lock entry `{name}`"),
                found: found.value,
                spelling: Spelling::Pep440,
                loc: Loc::Toml(key.to_vec()),
            });
        }
    }
    if out.len() == before {
        texts.remove(path);
    }
    Ok(())
}

fn extra_file(
    package: &Pyproject,
    extra: &ExtraFile,
    texts: &mut Texts,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let path = package.dir().join(&extra.path);
    let text = super::read_text(&path, texts).map_err(|e| {
        ReadError::invalid(
            &package.file.path,
            extra.line,
            format!("`tool.cargo-pypi.files`: {e}"),
        )
    })?;
    let (regex, spelling) = search_regex(&extra.search);
    let before = out.len();
    for caps in regex.captures_iter(&text) {
        let value = caps.get(1).expect("one group");
        out.push(text_occurrence(
            &path,
            &text,
            value.range(),
            &format!("`{}`", extra.search),
            spelling,
        ));
    }
    if out.len() == before {
        let message = format!(
            "`tool.cargo-pypi.files`: `{}` not found in {}",
            extra.search,
            extra.path.display()
        );
        return Err(ReadError::invalid(&package.file.path, extra.line, message));
    }
    Ok(())
}

/// The search template as a regex capturing the version where the placeholder stands.
fn search_regex(search: &str) -> (Regex, Spelling) {
    let (placeholder, spelling) = [
        ("{semver}", Spelling::SemVer),
        ("{pep440}", Spelling::Pep440),
        ("{version}", Spelling::Pep440),
    ]
    .into_iter()
    .find(|(p, _)| search.contains(p))
    .expect("config checked the placeholder");
    let (before, after) = search
        .split_once(placeholder)
        .expect("contains placeholder");
    let pattern = format!(
        "{}([0-9][0-9A-Za-z.+!_-]*?){}",
        regex::escape(before),
        regex::escape(after)
    );
    let pattern = if after.is_empty() {
        pattern.replace("*?)", "*)")
    } else {
        pattern
    };
    (
        Regex::new(&pattern).expect("escaped pattern is valid"),
        spelling,
    )
}

fn text_occurrence(
    path: &Path,
    text: &str,
    range: std::ops::Range<usize>,
    what: &str,
    spelling: Spelling,
) -> Occurrence {
    Occurrence {
        file: path.to_path_buf(),
        line: crate::toml_doc::line_of(text, range.start),
        what: what.to_string(),
        found: text[range.clone()].to_string(),
        spelling,
        loc: Loc::Text(range),
    }
}
