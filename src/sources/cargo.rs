//! Cargo-side sources: crate versions, `[workspace.package].version`, version
//! requirements on moving crates, and local entries of every Cargo.lock.

use super::{Loc, Occurrence, Spelling};
use crate::error::ReadError;
use crate::project::cargo::{CrateVersion, Manifest};
use crate::project::{Project, Unit};
use crate::toml_doc::{Seg, TomlFile};
use crate::toml_path;
use std::collections::BTreeMap;
use std::path::PathBuf;
use toml_edit::Item;

/// Crate versions first (the first built crate leading), then requirements, then locks.
pub fn scan(
    project: &Project,
    unit: &Unit,
    texts: &mut BTreeMap<PathBuf, String>,
) -> Result<Vec<Occurrence>, ReadError> {
    let mut out = Vec::new();
    let mut ordered: Vec<&Manifest> = unit.built.clone();
    ordered.extend(
        project
            .crates
            .manifests
            .iter()
            .filter(|m| !unit.built.iter().any(|b| b.path() == m.path())),
    );
    for manifest in ordered
        .into_iter()
        .filter(|m| m.name().is_some_and(|n| unit.moving.contains(n)))
    {
        crate_version(project, manifest, &mut out)?;
    }
    for manifest in &project.crates.manifests {
        requirements(manifest, unit, &mut out)?;
    }
    for occurrence in &out {
        if let Some(manifest) = project.crates.by_path(&occurrence.file) {
            texts.insert(occurrence.file.clone(), manifest.file.text().to_string());
        }
    }
    for path in &project.found.cargo_locks {
        let text = std::fs::read_to_string(path).map_err(|e| ReadError::io(path, e))?;
        // Most locks in a repository (examples, subprojects) hold none of the moving crates:
        // a text search spares parsing them.
        if !unit
            .moving
            .iter()
            .any(|name| text.contains(&format!("name = \"{name}\"")))
        {
            continue;
        }
        let before = out.len();
        let lock = TomlFile::parse(path, text)?;
        lock_entries(&lock, unit, &mut out)?;
        if out.len() > before {
            texts.insert(path.clone(), lock.text().to_string());
        }
    }
    Ok(out)
}

fn crate_version(
    project: &Project,
    manifest: &Manifest,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let name = manifest.name().unwrap_or_default();
    match &manifest.package.as_ref().map(|p| &p.version) {
        Some(CrateVersion::Literal(found)) => push(
            out,
            manifest,
            found.clone(),
            format!("crate `{name}` version"),
            toml_path!["package", "version"].to_vec(),
        ),
        Some(CrateVersion::Inherited) => {
            let root = project.crates.workspace_of(manifest).filter(|r| r.workspace_version.is_some()).ok_or_else(|| {
                ReadError::invalid(manifest.path(), 0, format!("crate `{name}` inherits its version, but no workspace above it sets `[workspace.package].version`"))
            })?;
            let found = root
                .workspace_version
                .clone()
                .unwrap_or_else(|| unreachable!("filtered above"));
            if !out
                .iter()
                .any(|o| o.file == root.path() && o.line == found.line)
            {
                push(
                    out,
                    root,
                    found,
                    "[workspace.package].version".into(),
                    toml_path!["workspace", "package", "version"].to_vec(),
                );
            }
        }
        Some(CrateVersion::Missing) | None => {
            return Err(ReadError::invalid(
                manifest.path(),
                0,
                format!(
                    "crate `{name}` has no `version` key; add `version = \"...\"` to `[package]`"
                ),
            ));
        }
    }
    Ok(())
}

fn push(
    out: &mut Vec<Occurrence>,
    manifest: &Manifest,
    found: crate::toml_doc::Located,
    what: String,
    path: Vec<Seg>,
) {
    out.push(Occurrence {
        file: manifest.path().to_path_buf(),
        line: found.line,
        what,
        found: found.value,
        spelling: Spelling::SemVer,
        loc: Loc::Toml(path),
    });
}

const DEP_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// `path = ..., version = ...` requirements on moving crates, in every dependency table.
fn requirements(
    manifest: &Manifest,
    unit: &Unit,
    out: &mut Vec<Occurrence>,
) -> Result<(), ReadError> {
    let mut tables: Vec<Vec<Seg>> = DEP_TABLES.iter().map(|t| toml_path![*t].to_vec()).collect();
    tables.push(toml_path!["workspace", "dependencies"].to_vec());
    if let Some(targets) = manifest
        .file
        .get(&toml_path!["target"])
        .and_then(Item::as_table_like)
    {
        for (target, _) in targets.iter() {
            tables.extend(
                DEP_TABLES
                    .iter()
                    .map(|t| toml_path!["target", target, *t].to_vec()),
            );
        }
    }
    for table_path in tables {
        let Some(table) = manifest.file.get(&table_path).and_then(Item::as_table_like) else {
            continue;
        };
        for (key, dep) in table.iter() {
            let Some(dep) = dep.as_table_like() else {
                continue;
            };
            let name = dep.get("package").and_then(Item::as_str).unwrap_or(key);
            if !unit.moving.contains(name) || dep.get("path").is_none() {
                continue;
            }
            let path = [table_path.clone(), toml_path![key, "version"].to_vec()].concat();
            if let Some(found) = manifest.file.string(&path)? {
                out.push(Occurrence {
                    file: manifest.path().to_path_buf(),
                    line: found.line,
                    what: format!("requirement on `{name}`"),
                    found: found.value,
                    spelling: Spelling::Requirement,
                    loc: Loc::Toml(path),
                });
            }
        }
    }
    Ok(())
}

/// `[[package]]` entries of moving crates without a `source` (the repository's
/// own), and `"name version"` references to them in `dependencies` arrays, which
/// Cargo writes when a registry crate of the same name is locked too.
fn lock_entries(lock: &TomlFile, unit: &Unit, out: &mut Vec<Occurrence>) -> Result<(), ReadError> {
    let Some(packages) = lock
        .get(&toml_path!["package"])
        .and_then(Item::as_array_of_tables)
    else {
        return Ok(());
    };
    // `name version` of registry entries: references to anything else named like a moving crate are ours.
    let mut registry = Vec::new();
    for (index, entry) in packages.iter().enumerate() {
        let name = entry.get("name").and_then(Item::as_str).unwrap_or_default();
        if !unit.moving.contains(name) {
            continue;
        }
        if entry.get("source").is_some() {
            let version = entry
                .get("version")
                .and_then(Item::as_str)
                .unwrap_or_default();
            registry.push(format!("{name} {version}"));
            continue;
        }
        let path = toml_path!["package", index, "version"];
        if let Some(found) = lock.string(&path)? {
            out.push(lock_occurrence(
                lock,
                found,
                format!("Cargo.lock entry `{name}`"),
                Spelling::SemVer,
                path.to_vec(),
            ));
        }
    }
    for (index, entry) in packages.iter().enumerate() {
        let Some(deps) = entry.get("dependencies").and_then(Item::as_array) else {
            continue;
        };
        for (dep_index, dep) in deps.iter().enumerate() {
            let ours = dep.as_str().is_some_and(|d| {
                let mut parts = d.split(' ');
                let (name, version, rest) = (parts.next(), parts.next(), parts.next());
                name.is_some_and(|n| unit.moving.contains(n))
                    && version.is_some()
                    && rest.is_none()
                    && !registry.iter().any(|r| r == d)
            });
            if ours {
                let path = toml_path!["package", index, "dependencies", dep_index];
                let found = lock.string(&path)?.expect("a string array element");
                let name = entry.get("name").and_then(Item::as_str).unwrap_or_default();
                out.push(lock_occurrence(
                    lock,
                    found,
                    format!("Cargo.lock reference in `{name}`"),
                    Spelling::LockReference,
                    path.to_vec(),
                ));
            }
        }
    }
    Ok(())
}

fn lock_occurrence(
    lock: &TomlFile,
    found: crate::toml_doc::Located,
    what: String,
    spelling: Spelling,
    path: Vec<Seg>,
) -> Occurrence {
    Occurrence {
        file: lock.path.clone(),
        line: found.line,
        what,
        found: found.value,
        spelling,
        loc: Loc::Toml(path),
    }
}
