//! The build of every non-maturin backend (setuptools-rust and the like) with
//! the PEP 517 frontend `python -m build`, which already builds the sdist and
//! then the wheel from the unpacked sdist. `CARGO_TARGET_DIR` reaches the
//! backend through the environment (setuptools-rust honours it).

use super::artifacts;
use super::error::BuildError;
use super::tools::Frontend;
use crate::display::file_name;
use crate::ops::process::{self, OutputMode};
use crate::report::Reporter;
use std::path::Path;

/// Builds the sdist and the wheel of the project in `package_dir` into `staging`.
pub(crate) fn build(
    frontend: &Frontend,
    package_dir: &Path,
    staging: &Path,
    isolation: bool,
    output: OutputMode,
    reporter: &dyn Reporter,
) -> Result<(), BuildError> {
    let mut cmd = frontend.base.clone().arg("--outdir").arg(staging);
    if !isolation {
        cmd = cmd.arg("--no-isolation");
    }
    let cmd = cmd.arg(package_dir).dir(package_dir);
    reporter.verbose(&format!("running `{}`", cmd.display()));
    process::run(&cmd, output)
        .map_err(|e| BuildError::command(e, failure_hint(staging, isolation)))?;
    Ok(())
}

/// What to look at when the frontend failed: the sdist's contents when it got
/// as far as the wheel, the build requirements without isolation.
fn failure_hint(staging: &Path, isolation: bool) -> Option<String> {
    let sdist = artifacts::list(staging)
        .ok()?
        .into_iter()
        .find(|p| !file_name(p).ends_with(".whl"));
    match sdist {
        Some(sdist) => Some(format!(
            "the sdist was built but the wheel built from it failed: if the project builds from \
             its tree, a file the build needs (Cargo.toml, Cargo.lock, a .rs file) is missing \
             from {}; list it with `tar tzf` and add the file to MANIFEST.in",
            file_name(&sdist)
        )),
        None if !isolation => Some(
            "without build isolation the packages of [build-system] requires must be \
             installed in that Python's environment"
                .into(),
        ),
        None => None,
    }
}
