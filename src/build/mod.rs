//! Building the sdist and wheel: maturin for maturin projects, the PEP 517
//! frontend `python -m build` for every other backend.

use crate::ops::report::Reporter;
use crate::project::python::Pyproject;
use crate::version::ReleaseVersion;
use serde::Serialize;
use std::path::PathBuf;

/// Why a build failed; the message says what to install or what the build printed last.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Failed(String),
}

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// Folder of pyproject.toml.
    pub package_dir: PathBuf,
    /// Where artifacts go (default `<package_dir>/dist`).
    pub out_dir: PathBuf,
    /// Cargo target folder to reuse so rebuilds are incremental.
    pub target_dir: PathBuf,
    /// PEP 517 build isolation (python -m build); default true.
    pub isolation: bool,
    /// Capture the build's output and show its tail on failure instead of streaming it.
    pub quiet: bool,
}

/// One artifact produced.
#[derive(Debug, Clone, Serialize)]
pub struct BuiltFile {
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
}

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildResult {
    /// e.g. `maturin 1.8.3` or `python -m build 1.2.2 (setuptools.build_meta)`.
    pub frontend: String,
    pub files: Vec<BuiltFile>,
    /// Files of other versions found in the output folder and left out.
    pub ignored: Vec<PathBuf>,
    pub warnings: Vec<String>,
}

/// Builds the sdist, then a wheel from the sdist's contents, and checks both
/// carry `version` (PEP 440 spelling).
pub fn build(
    package: &Pyproject,
    version: &ReleaseVersion,
    request: &BuildRequest,
    reporter: &dyn Reporter,
) -> Result<BuildResult, BuildError> {
    let _ = (package, version, request, reporter);
    todo!()
}
