//! pyproject.toml as far as versions go: whether Rust builds the package (maturin
//! or setuptools-rust), which crates it builds, where its Python code lives, and
//! whether `[project].version` is static or derived from Cargo.

use crate::config::Config;
use crate::error::ReadError;
use crate::toml_doc::{Located, TomlFile};
use crate::toml_path;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// maturin; `bindings` as configured (`bin`, `pyo3`, `cffi`, `uniffi`) or detected later.
    Maturin {
        bindings: Option<String>,
    },
    SetuptoolsRust,
}

impl Backend {
    pub fn label(&self) -> String {
        match self {
            Backend::Maturin { bindings: Some(b) } => format!("maturin, bindings = \"{b}\""),
            Backend::Maturin { bindings: None } => "maturin".into(),
            Backend::SetuptoolsRust => "setuptools-rust".into(),
        }
    }
}

/// How `[project].version` is given.
#[derive(Debug, Clone)]
pub enum PyVersion {
    Static(Located),
    /// Listed in `[project].dynamic`: the backend derives it (maturin: from Cargo).
    Dynamic,
    /// No `[project]` table: maturin takes the version from Cargo.
    NoProjectTable,
}

/// A Python package built from Rust.
pub struct Pyproject {
    pub file: TomlFile,
    pub name: Option<String>,
    pub version: PyVersion,
    pub backend: Backend,
    /// Cargo.toml paths the backend builds (as configured; may not exist).
    pub crate_manifests: Vec<PathBuf>,
    /// Folder holding the importable package (`python-source`, `src/` or the project folder).
    pub python_source: PathBuf,
    /// Whether `python-source` was given (else `src/` and `python/` are tried too).
    pub python_source_configured: bool,
    /// Top-level import name, if known.
    pub module: Option<String>,
    pub config: Config,
}

impl Pyproject {
    /// Reads `path`; `Ok(None)` when the package is not built from Rust
    /// (neither maturin nor setuptools-rust).
    pub fn read(path: &Path) -> Result<Option<Pyproject>, ReadError> {
        let file = TomlFile::read(path)?;
        let Some(backend) = backend(&file) else {
            return Ok(None);
        };
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = file
            .string(&toml_path!["project", "name"])?
            .map(|n| n.value);
        let version = py_version(&file, &backend)?;
        let crate_manifests = crate_manifests(&file, &backend, &dir)?;
        let python_source = python_source(&file, &backend, &dir)?;
        let python_source_configured = file
            .get(&toml_path!["tool", "maturin", "python-source"])
            .is_some();
        let module = module(&file, &backend, name.as_deref())?;
        let config = Config::from_pyproject(&file)?;
        Ok(Some(Pyproject {
            file,
            name,
            version,
            backend,
            crate_manifests,
            python_source,
            python_source_configured,
            module,
            config,
        }))
    }

    pub fn dir(&self) -> &Path {
        self.file.path.parent().unwrap_or(Path::new("."))
    }
}

fn backend(file: &TomlFile) -> Option<Backend> {
    let build_backend = file
        .get(&toml_path!["build-system", "build-backend"])
        .and_then(|i| i.as_str());
    let requires: Vec<&str> = file
        .get(&toml_path!["build-system", "requires"])
        .and_then(|i| i.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let maturin_table = file.get(&toml_path!["tool", "maturin"]);
    if build_backend == Some("maturin") || maturin_table.is_some() {
        let bindings = maturin_table
            .and_then(|t| t.get("bindings"))
            .and_then(|b| b.as_str())
            .map(str::to_string);
        return Some(Backend::Maturin { bindings });
    }
    let st_rust = requires
        .iter()
        .any(|r| r.replace('_', "-").starts_with("setuptools-rust"));
    if st_rust || file.get(&toml_path!["tool", "setuptools-rust"]).is_some() {
        return Some(Backend::SetuptoolsRust);
    }
    None
}

fn py_version(file: &TomlFile, backend: &Backend) -> Result<PyVersion, ReadError> {
    let Some(project) = file.get(&toml_path!["project"]) else {
        return Ok(PyVersion::NoProjectTable);
    };
    let version = file.string(&toml_path!["project", "version"])?;
    let dynamic = project
        .get("dynamic")
        .and_then(|d| d.as_array())
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("version")));
    match (version, dynamic) {
        (Some(v), true) => Err(ReadError::invalid(
            &file.path,
            v.line,
            "`version` is set and also listed in `dynamic` (maturin >= 1.8 refuses this): remove one",
        )),
        (Some(v), false) => Ok(PyVersion::Static(v)),
        (None, true) => Ok(PyVersion::Dynamic),
        (None, false) if matches!(backend, Backend::Maturin { .. }) => Err(ReadError::invalid(
            &file.path,
            file.line(project.span().unwrap_or(0..0).start),
            "`[project]` has neither `version` nor `dynamic = [\"version\"]` (maturin >= 1.8 refuses this): add `dynamic = [\"version\"]` to take the version from Cargo",
        )),
        (None, false) => Ok(PyVersion::Dynamic),
    }
}

fn crate_manifests(
    file: &TomlFile,
    backend: &Backend,
    dir: &Path,
) -> Result<Vec<PathBuf>, ReadError> {
    match backend {
        Backend::Maturin { .. } => {
            let path = file.string(&toml_path!["tool", "maturin", "manifest-path"])?;
            // Like maturin: `Cargo.toml` beside pyproject.toml, else `rust/Cargo.toml`.
            let default =
                if !dir.join("Cargo.toml").is_file() && dir.join("rust/Cargo.toml").is_file() {
                    "rust/Cargo.toml"
                } else {
                    "Cargo.toml"
                };
            let rel = path.map_or_else(|| default.to_string(), |p| p.value);
            Ok(vec![normalize(&dir.join(rel))])
        }
        Backend::SetuptoolsRust => {
            let mut out = Vec::new();
            for table in ["ext-modules", "bins"] {
                let key = toml_path!["tool", "setuptools-rust", table];
                let Some(entries) = file.get(&key).and_then(|i| i.as_array_of_tables()) else {
                    continue;
                };
                for entry in entries.iter() {
                    let rel = entry
                        .get("path")
                        .and_then(|p| p.as_str())
                        .unwrap_or("Cargo.toml");
                    out.push(normalize(&dir.join(rel)));
                }
            }
            if out.is_empty() {
                out.push(dir.join("Cargo.toml"));
            }
            out.dedup();
            Ok(out)
        }
    }
}

fn python_source(file: &TomlFile, backend: &Backend, dir: &Path) -> Result<PathBuf, ReadError> {
    if let Some(src) = file.string(&toml_path!["tool", "maturin", "python-source"])? {
        return Ok(normalize(&dir.join(src.value)));
    }
    let src = dir.join("src");
    let has_python_src = matches!(backend, Backend::SetuptoolsRust) && src.is_dir();
    Ok(if has_python_src {
        src
    } else {
        dir.to_path_buf()
    })
}

fn module(
    file: &TomlFile,
    backend: &Backend,
    name: Option<&str>,
) -> Result<Option<String>, ReadError> {
    let configured = match backend {
        Backend::Maturin { .. } => file
            .string(&toml_path!["tool", "maturin", "module-name"])?
            .map(|m| m.value),
        Backend::SetuptoolsRust => {
            let key = toml_path!["tool", "setuptools-rust", "ext-modules", 0usize, "target"];
            file.get(&key).and_then(|t| t.as_str()).map(str::to_string)
        }
    };
    let top = configured.map(|m| m.split('.').next().unwrap_or_default().to_string());
    Ok(top.or_else(|| name.map(|n| n.replace(['-', '.'], "_").to_lowercase())))
}

/// Removes `.` and `..` components without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
