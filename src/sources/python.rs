//! Python-side sources: `[project].version`, `__version__` literals, VERSION
//! files, the project's own `uv.lock` entry, and files listed in config.

use super::occurrence::{inside, read_text, text_occurrence, Loc, Occurrence, Spelling};
use super::package_dirs;
use crate::config::ExtraFile;
use crate::dist::filename::normalize_name;
use crate::error::ReadError;
use crate::project::python::{Backend, PyVersion, Pyproject};
use crate::project::{Project, Unit};
use crate::toml_doc::TomlFile;
use crate::toml_path;
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
            "no [project] table: the build backend takes the version from Cargo".into(),
        )),
    }
    let dirs = package_dirs::package_dirs(unit);
    for path in package_dirs::python_files(&dirs) {
        package_dirs::dunder_versions(&path, texts, &mut out)?;
    }
    for path in package_dirs::version_files(package, &dirs) {
        package_dirs::version_file(&path, texts, &mut out)?;
    }
    for path in project.found.uv_locks.iter().filter(|l| {
        package
            .dir()
            .starts_with(l.parent().unwrap_or(Path::new("/")))
    }) {
        uv_lock(path, package, texts, &mut out)?;
    }
    for extra in &package.config.files {
        extra_file(&project.root, package, extra, texts, &mut out)?;
    }
    Ok(out)
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
    let text = std::fs::read_to_string(path).map_err(|e| ReadError::io(path, e))?;
    if !text.contains(&format!("name = \"{name}\"")) {
        return Ok(());
    }
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
    if out.len() > before {
        texts.insert(path.to_path_buf(), lock.text().to_string());
    }
    Ok(())
}

fn extra_file(
    root: &Path,
    package: &Pyproject,
    extra: &ExtraFile,
    texts: &mut Texts,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let path = package.dir().join(&extra.path);
    if let Err(real) = inside(root, &path) {
        let message = format!(
            "`tool.cargo-pypi.files`: {} is outside the repository ({}); cargo pypi edits only files inside {}: move the file in, or take it out of `files`",
            extra.path.display(),
            real.display(),
            root.display()
        );
        return Err(ReadError::invalid(&package.file.path, extra.line, message));
    }
    let text = read_text(&path, texts).map_err(|e| {
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
    // Version-shaped: separators only between alphanumerics, so `==3.0.0.` stops at `3.0.0`.
    let pattern = format!(
        "{}([0-9][0-9A-Za-z]*(?:[-.+!_][0-9A-Za-z]+)*){}",
        regex::escape(before),
        regex::escape(after)
    );
    (
        Regex::new(&pattern).expect("escaped pattern is valid"),
        spelling,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_stops_at_the_end_of_the_version() {
        let (regex, _) = super::search_regex("pkg=={pep440}");
        let caps = regex.captures("pip install pkg==3.0.0.\n").unwrap();
        assert_eq!(&caps[1], "3.0.0");
        let caps = regex.captures("pkg==3.1.0rc1.dev2, then").unwrap();
        assert_eq!(&caps[1], "3.1.0rc1.dev2");
        let (regex, _) = super::search_regex("v{semver})");
        assert_eq!(&regex.captures("(v1.2.0-rc.1)").unwrap()[1], "1.2.0-rc.1");
    }
}
