//! Which files are this release's artifacts: the wheels and sdists in the
//! dist folder and its subfolders (one per CI job, as actions/download-artifact
//! lays them out without `merge-multiple`). In a project, those named for the
//! package and version; outside one (a CI job with only the artifacts), all of
//! them, which must be one release: its name and version come from the files.

use super::{Context, Error};
use crate::dist::filename::{is_release_file, normalize_name, WheelName};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How deep subfolders are searched (`DIR/job/file` is depth 1).
const MAX_DEPTH: usize = 3;

/// The release's wheels and sdists in `dist_dir` (default: `dist/` beside the
/// package's pyproject.toml) and its subfolders, sorted by file name. The same
/// file name twice counts once when the bytes agree and is refused otherwise.
pub fn release_artifacts(ctx: &Context, dist_dir: Option<&Path>) -> Result<Vec<PathBuf>, Error> {
    if ctx.project.packages.is_empty() {
        return without_project(ctx, dist_dir);
    }
    let selected = ctx.single()?;
    let (package, inv) = (selected.package, &selected.inventory);
    let dir = dist_dir.map_or_else(|| package.dir().join("dist"), Path::to_path_buf);
    let version = inv.version.pep440();
    let files = artifacts_in(ctx, &dir, &|name| {
        is_release_file(name, &inv.name, &version)
    })?;
    if files.is_empty() {
        return Err(Error::Refused(format!(
            "no artifacts of {} {version} in {} or its subfolders; run `cargo pypi build` first",
            inv.name,
            ctx.show(&dir)
        )));
    }
    Ok(files)
}

/// The files given, where a folder stands for the release's files in it (as
/// `--dist-dir` finds them); with none given, the release's files in `dist_dir`.
pub fn given_or_found(
    ctx: &Context,
    files: &[PathBuf],
    dist_dir: Option<&Path>,
) -> Result<Vec<PathBuf>, Error> {
    if files.is_empty() {
        return release_artifacts(ctx, dist_dir);
    }
    let mut chosen = Vec::with_capacity(files.len());
    for file in files {
        match file.is_dir() {
            true => chosen.extend(release_artifacts(ctx, Some(file))?),
            false => chosen.push(file.clone()),
        }
    }
    Ok(chosen)
}

/// Outside a project: every wheel and sdist in `dist_dir`, all of one release.
fn without_project(ctx: &Context, dist_dir: Option<&Path>) -> Result<Vec<PathBuf>, Error> {
    let Some(dir) = dist_dir else {
        return Err(Error::Input(format!(
            "no Python package built from Rust under {}, so there is no version to pick \
             artifacts by; to publish artifacts built elsewhere (e.g. downloaded from CI jobs), \
             pass --dist-dir DIR or the files, or run in the project's checkout",
            ctx.project.root.display()
        )));
    };
    let files = artifacts_in(ctx, dir, &|name| release_of(name).is_some())?;
    if files.is_empty() {
        return Err(Error::Refused(format!(
            "no wheels or sdists in {} or its subfolders; download the artifacts there first",
            ctx.show(dir)
        )));
    }
    let mut releases: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for file in &files {
        let (name, version) = release_of(&crate::display::file_name(file)).expect("filtered");
        let entry = releases
            .entry((normalize_name(&name), version))
            .or_default();
        entry.push(ctx.show(file));
    }
    if releases.len() > 1 {
        let list: Vec<String> = releases
            .iter()
            .map(|((name, version), files)| format!("{name} {version} ({})", files.join(", ")))
            .collect();
        return Err(Error::Refused(format!(
            "{} holds artifacts of {} releases: {}; publish one release at a time (remove the \
             others, or pass the files)",
            ctx.show(dir),
            releases.len(),
            list.join("; ")
        )));
    }
    Ok(files)
}

/// `(name, version)` of a wheel or sdist file name.
fn release_of(file: &str) -> Option<(String, String)> {
    if file.ends_with(".whl") {
        let wheel = WheelName::parse(file).ok()?;
        return Some((wheel.name, wheel.version));
    }
    let stem = file
        .strip_suffix(".tar.gz")
        .or_else(|| file.strip_suffix(".zip"))?;
    let (name, version) = stem.rsplit_once('-')?;
    (!name.is_empty() && version.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| (name.to_owned(), version.to_owned()))
}

/// Files under `dir` (and its subfolders, hidden ones left out) whose names
/// `wanted` accepts, one per file name, sorted by name.
fn artifacts_in(
    ctx: &Context,
    dir: &Path,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Vec<PathBuf>, Error> {
    let mut found: Vec<PathBuf> = Vec::new();
    walk(ctx, dir, 0, wanted, &mut found)?;
    found.sort_by(|a, b| (a.file_name(), a).cmp(&(b.file_name(), b)));
    let mut files: Vec<PathBuf> = Vec::new();
    for path in found {
        match files.last() {
            Some(kept) if kept.file_name() == path.file_name() => same_bytes(ctx, kept, &path)?,
            _ => files.push(path),
        }
    }
    Ok(files)
}

fn walk(
    ctx: &Context,
    dir: &Path,
    depth: usize,
    wanted: &dyn Fn(&str) -> bool,
    found: &mut Vec<PathBuf>,
) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::Refused(format!(
            "cannot read {}: {e}; run `cargo pypi build` first, or pass --dist-dir",
            ctx.show(dir)
        ))
    })?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < MAX_DEPTH && !name.starts_with('.') {
            walk(ctx, &path, depth + 1, wanted, found)?;
        } else if !kind.is_dir() && wanted(&name) {
            found.push(path);
        }
    }
    Ok(())
}

/// Two files of one name from different job folders must be the same file.
fn same_bytes(ctx: &Context, kept: &Path, other: &Path) -> Result<(), Error> {
    let hash = |p: &Path| {
        let read = std::fs::File::open(p).and_then(crate::digest::sha256);
        read.map_err(|e| Error::Refused(format!("cannot read {}: {e}", ctx.show(p))))
    };
    if hash(kept)? == hash(other)? {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "{} and {} have the same name but different contents; an index keeps one file per \
         name, so remove the wrong one (were they built by two jobs?)",
        ctx.show(kept),
        ctx.show(other)
    )))
}
