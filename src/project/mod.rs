//! Discovery of the release unit: the repository, its Python packages built from
//! Rust, and for each package the crates whose version moves with it.
//!
//! The default rule for which crates move: the crate(s) the package's backend
//! builds (`[tool.maturin] manifest-path`, default `Cargo.toml` beside
//! pyproject.toml; setuptools-rust's `ext-modules`/`bins` paths), plus, when that
//! crate takes its version from `[workspace.package]`, that workspace version and
//! every crate inheriting it (they cannot differ). Crates with a version of their
//! own stay on their own line. `[tool.cargo-pypi] crates = [...]` replaces the rule.

pub mod cargo;
pub mod python;
pub mod walk;

use crate::dist::filename::normalize_name;
use crate::error::ReadError;
use cargo::{Crates, Manifest};
use python::Pyproject;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Everything discovered in one repository.
pub struct Project {
    /// Repository root (folder holding `.git`), to which paths are shown relative.
    pub root: PathBuf,
    pub found: walk::Found,
    pub crates: Crates,
    pub packages: Vec<Pyproject>,
    /// Manifests that could not be read; an error only if the selected package needs them.
    pub broken: Vec<(PathBuf, ReadError)>,
    start: PathBuf,
    start_manifest: Option<PathBuf>,
}

/// One Python package and the crates released with it.
pub struct Unit<'a> {
    pub package: &'a Pyproject,
    /// Crates the backend builds; the first gives the release version.
    pub built: Vec<&'a Manifest>,
    /// Names of every crate whose version moves.
    pub moving: BTreeSet<String>,
    /// Built crates that keep a version line of their own (see [`Project::unit`]).
    pub own_line: Vec<&'a Manifest>,
}

impl Project {
    /// Discovers the project around `start` (a folder, or a Cargo.toml / pyproject.toml).
    pub fn discover(start: &Path) -> Result<Project, ReadError> {
        // Canonical, so `..`, `.` and symlinked folders compare equal to walked paths.
        let start = std::fs::canonicalize(start).map_err(|e| ReadError::io(start, e))?;
        let (dir, start_manifest) = if start.is_file() {
            (
                start.parent().unwrap_or(Path::new("/")).to_path_buf(),
                Some(start.clone()),
            )
        } else if start.is_dir() {
            (start.clone(), None)
        } else {
            return Err(ReadError::Discovery(format!(
                "{} does not exist",
                start.display()
            )));
        };
        let root = walk::repo_root(&dir);
        let found = walk::walk(&root)?;
        let (crates, mut broken) = Crates::load(&found.cargo_tomls);
        let mut packages = Vec::new();
        for path in &found.pyprojects {
            match Pyproject::read(path) {
                Ok(package) => packages.extend(package),
                // The package being worked on must be readable; others are skipped with a warning.
                Err(e)
                    if dir.starts_with(path.parent().unwrap_or(&root))
                        || start_manifest.as_ref() == Some(path) =>
                {
                    return Err(e)
                }
                Err(e) => broken.push((path.clone(), e)),
            }
        }
        Ok(Project {
            root,
            found,
            crates,
            packages,
            broken,
            start: dir,
            start_manifest,
        })
    }

    /// `path` relative to the repository root, for messages.
    pub fn rel(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }

    /// The packages a command works on: the one named by `-p` (Python or crate
    /// name), else the nearest one at or above the start folder, else all below it.
    pub fn select(&self, name: Option<&str>) -> Result<Vec<&Pyproject>, ReadError> {
        if self.packages.is_empty() {
            let unreadable: Vec<String> = self
                .broken
                .iter()
                .filter(|(path, _)| path.ends_with("pyproject.toml"))
                .map(|(path, e)| format!("; {} cannot be read: {e}", self.rel(path).display()))
                .collect();
            return Err(ReadError::Discovery(format!(
                "no Python package built from Rust under {}: cargo pypi looks for a pyproject.toml using maturin or setuptools-rust{}",
                self.root.display(),
                unreadable.concat()
            )));
        }
        if let Some(name) = name {
            return self.by_name(name).map(|p| vec![p]);
        }
        if let Some(manifest) = &self.start_manifest {
            let hits: Vec<_> = self
                .packages
                .iter()
                .filter(|p| &p.file.path == manifest || p.crate_manifests.contains(manifest))
                .collect();
            if !hits.is_empty() {
                return Ok(hits);
            }
        }
        let above = self
            .packages
            .iter()
            .filter(|p| self.start.starts_with(p.dir()))
            .max_by_key(|p| p.dir().as_os_str().len());
        if let Some(p) = above {
            return Ok(vec![p]);
        }
        let below: Vec<_> = self
            .packages
            .iter()
            .filter(|p| p.dir().starts_with(&self.start))
            .collect();
        if below.is_empty() {
            return Err(ReadError::Discovery(format!(
                "no Python package built from Rust at or below {}; the repository has: {}",
                self.start.display(),
                self.names()
            )));
        }
        Ok(below)
    }

    fn by_name(&self, name: &str) -> Result<&Pyproject, ReadError> {
        let wanted = normalize_name(name);
        let hits: Vec<_> = self
            .packages
            .iter()
            .filter(|p| {
                p.name.as_deref().map(normalize_name) == Some(wanted.clone())
                    || p.crate_manifests
                        .iter()
                        .any(|m| self.crates.by_path(m).and_then(Manifest::name) == Some(name))
            })
            .collect();
        match hits.as_slice() {
            [one] => Ok(one),
            [] => Err(ReadError::Discovery(format!(
                "no package named `{name}`; the repository has: {}",
                self.names()
            ))),
            _ => Err(ReadError::Discovery(format!(
                "`{name}` names several packages; give the path with --manifest-path"
            ))),
        }
    }

    /// Whether `package` was found at or above the folder discovery started
    /// from (the package being worked on, whatever else the repository holds).
    pub fn is_at_or_above_start(&self, package: &Pyproject) -> bool {
        self.start.starts_with(package.dir())
    }

    /// `name (path/pyproject.toml)` for every package, for messages.
    pub fn names(&self) -> String {
        let list: Vec<String> = self
            .packages
            .iter()
            .map(|p| format!("{} ({})", display_name(p), self.rel(&p.file.path).display()))
            .collect();
        list.join(", ")
    }

    /// Resolves the crates of `package`.
    ///
    /// By default the built crates move with the package, but not one that
    /// keeps a version line of its own: when `[project].version` is static
    /// (so the crate's version is not the wheel's), the crate is never
    /// published (`publish = false`) and its major version differs (bcrypt's
    /// `bcrypt-rust` 0.1.0 under bcrypt 5.0.0, cryptography's 0.50.2 under
    /// 50.0.2). Such a version means nothing to anyone; a crate whose version
    /// can be published, or that is on the same major version, is held to the
    /// package's.
    pub fn unit<'a>(&'a self, package: &'a Pyproject) -> Result<Unit<'a>, ReadError> {
        let built = self.built_crates(package)?;
        self.refuse_broken_in_release(&built)?;
        let (own_line, moving_built): (Vec<&Manifest>, Vec<&Manifest>) = built
            .iter()
            .partition(|m| package.config.crates.is_none() && self.keeps_own_line(package, m));
        let moving = match &package.config.crates {
            Some(names) => self.named_crates(package, names)?,
            None => self.default_moving(&moving_built),
        };
        Ok(Unit {
            package,
            built,
            moving,
            own_line,
        })
    }

    fn keeps_own_line(&self, package: &Pyproject, manifest: &Manifest) -> bool {
        let python::PyVersion::Static(python) = &package.version else {
            return false;
        };
        let major = |v: &str| {
            v.trim_start_matches('v')
                .split('.')
                .next()
                .map(str::to_owned)
        };
        let crate_major = self.crates.version_of(manifest).and_then(major);
        !self.crates.publishes(manifest)
            && crate_major.is_some()
            && crate_major != major(&python.value)
    }

    fn built_crates<'a>(&'a self, package: &'a Pyproject) -> Result<Vec<&'a Manifest>, ReadError> {
        let mut built = Vec::new();
        for path in &package.crate_manifests {
            let Some(manifest) = self.crates.by_path(path) else {
                if let Some((_, e)) = self.broken.iter().find(|(p, _)| p == path) {
                    return Err(ReadError::Discovery(e.to_string()));
                }
                if package.config.crates.is_some() {
                    continue;
                }
                let hint = match package.backend {
                    python::Backend::Maturin { .. } => "set `[tool.maturin] manifest-path`",
                    python::Backend::SetuptoolsRust => "setup.py's RustExtension paths are not read: list the crates in `[tool.cargo-pypi] crates`",
                };
                let message = format!(
                    "the package is built from {}, which does not exist ({hint})",
                    self.rel(path).display()
                );
                return Err(ReadError::invalid(&package.file.path, 0, message));
            };
            if manifest.package.is_none() {
                let message = format!("{} is a virtual workspace manifest; point `[tool.maturin] manifest-path` at the crate to build", self.rel(path).display());
                return Err(ReadError::invalid(&package.file.path, 0, message));
            }
            built.push(manifest);
        }
        Ok(built)
    }

    /// A manifest that cannot be read is an error when it may take part in the
    /// release: a folder above a built crate (its workspace root, which cargo
    /// reads too), or a member of a workspace whose version moves (it may
    /// inherit that version). Elsewhere it is skipped with a warning.
    fn refuse_broken_in_release(&self, built: &[&Manifest]) -> Result<(), ReadError> {
        for manifest in built {
            let moving_root = self
                .crates
                .workspace_of(manifest)
                .filter(|_| inherits(manifest));
            for (path, error) in &self.broken {
                let above = path.file_name() == Some("Cargo.toml".as_ref())
                    && manifest.dir().starts_with(path.parent().unwrap_or(path));
                let member = moving_root.is_some_and(|root| root.lists_member(path));
                if above || member {
                    let role = match above {
                        true => "cargo reads it to build",
                        false => "it is a member of the workspace whose version moves with",
                    };
                    let name = manifest.name().unwrap_or_default();
                    return Err(ReadError::Discovery(format!(
                        "{error}\n  {role} `{name}`, so the release cannot go on without it: fix it, or take it out of `[workspace] members`",
                    )));
                }
            }
        }
        Ok(())
    }

    fn named_crates(
        &self,
        package: &Pyproject,
        names: &[String],
    ) -> Result<BTreeSet<String>, ReadError> {
        for name in names {
            if self.crates.by_name(name).next().is_none() {
                let message = format!("`tool.cargo-pypi.crates` names `{name}`, which no Cargo.toml in the repository defines");
                return Err(ReadError::invalid(&package.file.path, 0, message));
            }
        }
        Ok(names.iter().cloned().collect())
    }

    fn default_moving(&self, built: &[&Manifest]) -> BTreeSet<String> {
        let mut moving = BTreeSet::new();
        for manifest in built {
            moving.extend(manifest.name().map(str::to_string));
            if let Some(root) = self
                .crates
                .workspace_of(manifest)
                .filter(|_| inherits(manifest))
            {
                moving.extend(
                    self.crates
                        .inheritors(root)
                        .filter_map(|m| m.name().map(str::to_string)),
                );
            }
        }
        moving
    }
}

/// Whether the crate takes its version from `[workspace.package]`.
fn inherits(manifest: &Manifest) -> bool {
    matches!(
        manifest.package.as_ref().map(|p| &p.version),
        Some(cargo::CrateVersion::Inherited)
    )
}

/// The package's Python name, or its folder's name when `[project]` has none.
pub fn display_name(package: &Pyproject) -> String {
    package.name.clone().unwrap_or_else(|| {
        package
            .dir()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    })
}
