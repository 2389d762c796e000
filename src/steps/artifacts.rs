//! Which files are this release's artifacts: the wheels and sdist in the dist
//! folder named for this package and version.

use super::{Context, Error};
use crate::dist::filename::is_release_file;
use std::path::{Path, PathBuf};

/// Wheels and sdists in the dist folder whose names start with this release's
/// `{normalized_name}-{version}` (PEP 427/625 spelling, `_` for separators).
pub fn release_artifacts(ctx: &Context, dist_dir: Option<&Path>) -> Result<Vec<PathBuf>, Error> {
    let selected = ctx.single()?;
    let (package, inv) = (selected.package, &selected.inventory);
    let dir = dist_dir.map_or_else(|| package.dir().join("dist"), Path::to_path_buf);
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Error::Refused(format!(
            "cannot read {}: {e}; run `cargo pypi build` first",
            ctx.show(&dir)
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            is_release_file(&name, &inv.name, &inv.version.pep440())
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Refused(format!(
            "no artifacts of {} {} in {}; run `cargo pypi build` first",
            inv.name,
            inv.version.pep440(),
            ctx.show(&dir)
        )));
    }
    Ok(files)
}
