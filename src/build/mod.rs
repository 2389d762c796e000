//! Building the sdist and wheel: maturin for maturin projects, the PEP 517
//! frontend `python -m build` for every other backend.
//!
//! Both build the wheel from the sdist's contents, write into a staging folder
//! inside the output folder first, and move the new files into it only once
//! their names and versions match the release. Tools are looked up on the
//! PATH (see [`tools`] for the order); their output goes to stderr as it
//! comes, or is captured and its end shown on failure (`quiet`).

mod artifacts;
mod error;
mod maturin;
mod pep517;
mod tools;

pub use error::BuildError;
pub use tools::PYTHON_ENV;

use crate::display::{file_name, human_size};
use crate::ops::process::OutputMode;
use crate::project::python::Pyproject;
use crate::report::Reporter;
use crate::toml_doc::TomlFile;
use crate::toml_path;
use crate::version::ReleaseVersion;
use serde::Serialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// Folder of pyproject.toml.
    pub package_dir: PathBuf,
    /// Where artifacts go (default `<package_dir>/dist`).
    pub out_dir: PathBuf,
    /// Cargo target folder to reuse so rebuilds are incremental
    /// (given to the build as `CARGO_TARGET_DIR`).
    pub target_dir: PathBuf,
    /// PEP 517 build isolation (python -m build); default true.
    pub isolation: bool,
    /// Capture the build's output and show its tail on failure instead of streaming it.
    pub quiet: bool,
    /// PATH to find maturin, Python and cargo in, also given to the build;
    /// `None`: this process's PATH.
    pub path: Option<OsString>,
    /// The Python to use; `None`: `CARGO_PYPI_PYTHON`, else `python3`, else `python`.
    pub python: Option<PathBuf>,
}

impl BuildRequest {
    /// The defaults: `<package_dir>/dist`, isolation on, output streamed, tools from the PATH.
    pub fn new(package_dir: &Path, target_dir: &Path) -> BuildRequest {
        BuildRequest {
            package_dir: package_dir.to_path_buf(),
            out_dir: package_dir.join("dist"),
            target_dir: target_dir.to_path_buf(),
            isolation: true,
            quiet: false,
            path: None,
            python: None,
        }
    }
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
    /// The sdist first, then the wheel(s).
    pub files: Vec<BuiltFile>,
    /// Distributions already in the output folder that this build did not
    /// produce (other versions, wheels of other platforms): left in place and
    /// left out of `files`.
    pub ignored: Vec<PathBuf>,
    /// Problems PyPI would refuse the files for; already sent to the reporter's `warn`.
    pub warnings: Vec<String>,
}

/// The build tool `package` needs, with its version (`maturin 1.8.3`), when
/// it is there and satisfies `[build-system] requires`; else the error that
/// names the install command. What a release checks before it changes anything.
pub fn tools_ready(package: &Pyproject, request: &BuildRequest) -> Result<String, BuildError> {
    let env = tools::Env {
        path: request.path.clone(),
        target_dir: absolute(&request.target_dir)?,
    };
    find_tools(package, &env, request.python.as_ref()).map(|(_, _, label)| label)
}

fn find_tools(
    package: &Pyproject,
    env: &tools::Env,
    python: Option<&PathBuf>,
) -> Result<(Option<tools::Python>, Frontend, String), BuildError> {
    let requires = tools::build_requires(package)?;
    let python = tools::find_python(env, python)?;
    let backend = build_backend(package);
    let frontend = if backend == "maturin" {
        let maturin = tools::find_maturin(env, python.as_ref(), &requires, package)?;
        Frontend::Maturin(maturin)
    } else {
        Frontend::Pep517(tools::find_frontend(env, python.as_ref())?)
    };
    let label = match &frontend {
        Frontend::Maturin(m) => m.label(),
        Frontend::Pep517(f) => format!("python -m build {} ({backend})", f.version),
    };
    Ok((python, frontend, label))
}

/// Builds the sdist, then a wheel from the sdist's contents, and checks both
/// carry `version` (PEP 440 spelling).
pub fn build(
    package: &Pyproject,
    version: &ReleaseVersion,
    request: &BuildRequest,
    reporter: &dyn Reporter,
) -> Result<BuildResult, BuildError> {
    let started = Instant::now();
    let package_dir = absolute(&request.package_dir)?;
    let out_dir = absolute(&request.out_dir)?;
    let env = tools::Env {
        path: request.path.clone(),
        target_dir: absolute(&request.target_dir)?,
    };
    let output = if request.quiet {
        OutputMode::Capture
    } else {
        OutputMode::Stream
    };
    let pep440 = version.pep440();
    let project = project_name(package);
    let shown_name = project.clone().unwrap_or_else(|| "the package".into());

    let (python, frontend, label) = find_tools(package, &env, request.python.as_ref())?;
    if let Some(python) = &python {
        reporter.verbose(&format!("using Python {}", python.exe.display()));
    }
    reporter.verbose(&format!("CARGO_TARGET_DIR={}", env.target_dir.display()));

    std::fs::create_dir_all(&out_dir).map_err(|e| BuildError::io(&out_dir, e))?;
    // Outside the project tree: a staging folder under dist/ would end up in the
    // next sdist of a project whose dist/ is not ignored.
    let staging = tempfile::Builder::new()
        .prefix("cargo-pypi-staging-")
        .tempdir()
        .map_err(|e| BuildError::io(std::env::temp_dir(), e))?;
    reporter.status(
        "Building",
        &format!("{shown_name} {pep440} (sdist and wheel) with {label}"),
    );
    match &frontend {
        Frontend::Maturin(m) => maturin::build(
            m,
            python.as_ref(),
            &package_dir,
            staging.path(),
            output,
            reporter,
        )?,
        Frontend::Pep517(f) => pep517::build(
            f,
            &package_dir,
            staging.path(),
            request.isolation,
            output,
            reporter,
        )?,
    }

    let mut staged = artifacts::list(staging.path())?;
    let is_wheel = |p: &PathBuf| file_name(p).ends_with(".whl");
    // The sdist first, then the wheels.
    staged.sort_by_key(|p| (is_wheel(p), p.clone()));
    let wheels = staged.iter().filter(|p| is_wheel(p)).count();
    if wheels == 0 || wheels == staged.len() {
        return Err(BuildError::Failed(format!(
            "{label} finished without writing both an sdist and a wheel \
             (it wrote {} wheel(s) and {} other file(s)); run it by hand to see why",
            wheels,
            staged.len() - wheels
        )));
    }
    artifacts::check_names(&staged, project.as_deref(), &pep440)?;
    let files = artifacts::move_into(&staged, &out_dir)?;
    drop(staging);

    let ignored: Vec<PathBuf> = artifacts::list(&out_dir)?
        .into_iter()
        .filter(|p| !files.iter().any(|f| &f.path == p))
        .collect();
    if !ignored.is_empty() {
        let names: Vec<String> = ignored.iter().map(|p| file_name(p)).collect();
        reporter.status(
            "Ignored",
            &format!(
                "{} in {} (other versions or builds; left untouched and out of this release)",
                names.join(", "),
                out_dir.display()
            ),
        );
    }
    let mut warnings = artifacts::platform_warnings(&files);
    warnings.extend(artifacts::nested_artifacts_warning(&files));
    for warning in &warnings {
        reporter.warn(warning);
    }
    for file in &files {
        reporter.status(
            "Built",
            &format!("{} ({})", file.path.display(), human_size(file.size)),
        );
    }
    reporter.status(
        "Finished",
        &format!("sdist and wheel in {:.1}s", started.elapsed().as_secs_f64()),
    );
    Ok(BuildResult {
        frontend: label,
        files,
        ignored,
        warnings,
    })
}

enum Frontend {
    Maturin(tools::Maturin),
    Pep517(tools::Frontend),
}

/// `[build-system] build-backend`; PEP 517's default when absent.
fn build_backend(package: &Pyproject) -> String {
    package
        .file
        .get(&toml_path!["build-system", "build-backend"])
        .and_then(|i| i.as_str())
        .unwrap_or("setuptools.build_meta:__legacy__")
        .to_string()
}

/// `[project].name`, else (maturin without `[project]`) the crate's package name.
fn project_name(package: &Pyproject) -> Option<String> {
    if let Some(name) = &package.name {
        return Some(name.clone());
    }
    let manifest = package.crate_manifests.first()?;
    let file = TomlFile::read(manifest).ok()?;
    let name = file.get(&toml_path!["package", "name"])?.as_str()?;
    Some(name.to_string())
}

fn absolute(path: &Path) -> Result<PathBuf, BuildError> {
    std::path::absolute(path).map_err(|e| BuildError::io(path, e))
}
