//! Finding the repository root and the files that can hold a version.
//!
//! The walk is a plain directory traversal (no git): it skips hidden folders,
//! `target`, `node_modules`, `__pycache__` and virtual environments, and goes at
//! most [`MAX_DEPTH`] folders deep, which keeps `check` in milliseconds.

use crate::error::ReadError;
use std::path::{Path, PathBuf};

/// Deepest folder level searched below the repository root.
pub const MAX_DEPTH: usize = 6;

/// The version-bearing files of a repository, sorted by path.
#[derive(Debug, Default)]
pub struct Found {
    pub cargo_tomls: Vec<PathBuf>,
    pub cargo_locks: Vec<PathBuf>,
    pub pyprojects: Vec<PathBuf>,
    pub uv_locks: Vec<PathBuf>,
}

/// The nearest ancestor of `start` (inclusive) holding `.git`; `start` if none.
pub fn repo_root(start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(start)
        .to_path_buf()
}

/// Every interesting file under `root`.
pub fn walk(root: &Path) -> Result<Found, ReadError> {
    let mut found = Found::default();
    visit(root, 0, &mut found)?;
    for list in [
        &mut found.cargo_tomls,
        &mut found.cargo_locks,
        &mut found.pyprojects,
        &mut found.uv_locks,
    ] {
        list.sort();
    }
    Ok(found)
}

fn visit(dir: &Path, depth: usize, found: &mut Found) -> Result<(), ReadError> {
    let entries = std::fs::read_dir(dir).map_err(|e| ReadError::io(dir, e))?;
    let mut subdirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| ReadError::io(dir, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let file_type = entry
            .file_type()
            .map_err(|e| ReadError::io(&entry.path(), e))?;
        if file_type.is_dir() {
            if depth < MAX_DEPTH && !skipped(name) {
                subdirs.push(entry.path());
            }
            continue;
        }
        let list = match name {
            "Cargo.toml" => &mut found.cargo_tomls,
            "Cargo.lock" => &mut found.cargo_locks,
            "pyproject.toml" => &mut found.pyprojects,
            "uv.lock" => &mut found.uv_locks,
            _ => continue,
        };
        list.push(entry.path());
    }
    for sub in subdirs {
        if !sub.join("pyvenv.cfg").exists() {
            visit(&sub, depth + 1, found)?;
        }
    }
    Ok(())
}

fn skipped(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "target" | "node_modules" | "__pycache__")
}
