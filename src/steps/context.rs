//! What every step gets: the discovered project, the package selection
//! (`-p`), and the reporter that says what is going on.

use super::error::Error;
use crate::error::ReadError;
use crate::project::python::Pyproject;
use crate::project::{Project, Unit};
use crate::report::Reporter;
use crate::sources::Inventory;
use crate::version::ReleaseVersion;
use std::path::Path;

/// What every command gets from the global options.
pub struct Context<'a> {
    pub project: Project,
    /// Where discovery started (a folder or manifest), for [`Context::refreshed`].
    start: std::path::PathBuf,
    /// `-p/--package`.
    pub package: Option<String>,
    pub reporter: &'a dyn Reporter,
}

impl<'a> Context<'a> {
    /// Discovers the project at `start` (folder or manifest path).
    pub fn new(
        start: &Path,
        package: Option<String>,
        reporter: &'a dyn Reporter,
    ) -> Result<Context<'a>, Error> {
        let project = Project::discover(start)?;
        Ok(Context {
            project,
            start: start.to_path_buf(),
            package,
            reporter,
        })
    }

    /// The project discovered again, after a step changed its files.
    pub fn refreshed(&self) -> Result<Context<'a>, Error> {
        Context::new(&self.start, self.package.clone(), self.reporter)
    }

    /// Inventories of the selected packages.
    pub fn inventories(&self) -> Result<Vec<Inventory>, Error> {
        let packages = self.project.select(self.package.as_deref())?;
        let mut out = Vec::with_capacity(packages.len());
        for &package in &packages {
            let unit = self.project.unit(package)?;
            let crates: Vec<&str> = unit.moving.iter().map(String::as_str).collect();
            self.reporter.verbose(&format!(
                "{}: crates moving with it: {}",
                self.project.rel(&package.file.path).display(),
                crates.join(", ")
            ));
            out.push(Inventory::scan(&self.project, &unit)?);
        }
        self.warn_skipped(&packages);
        Ok(out)
    }

    /// The one selected package (refusing when `-p` is needed), with its crates and sources.
    pub fn single(&self) -> Result<Selected<'_>, Error> {
        self.single_or(None)
    }

    /// As [`Context::single`]; a release version that cannot be read becomes
    /// `fallback` when one is given (see [`Selected::unreadable`]).
    pub fn single_or(&self, fallback: Option<&ReleaseVersion>) -> Result<Selected<'_>, Error> {
        let packages = self.project.select(self.package.as_deref())?;
        let [package] = packages.as_slice() else {
            let message = format!(
                "several packages here ({}); choose one with -p/--package",
                self.project.names()
            );
            return Err(Error::Refused(message));
        };
        let unit = self.project.unit(package)?;
        let (inventory, unreadable) = Inventory::scan_or(&self.project, &unit, fallback)?;
        self.warn_skipped(&packages);
        Ok(Selected {
            package,
            unit,
            inventory,
            unreadable,
        })
    }

    /// Names the manifests that could not be read and take no part in the
    /// release (one that does is an error before this is reached): a warning
    /// when one of them might have been the package meant (`-p`, or packages
    /// found below the start folder), else only with `-v`, so that a
    /// package at or above the start folder is not warned about its test
    /// fixtures on every check.
    fn warn_skipped(&self, selected: &[&Pyproject]) {
        let project = &self.project;
        let chosen_by_place =
            self.package.is_none() && selected.iter().all(|p| project.is_at_or_above_start(p));
        for (path, error) in &project.broken {
            let message = self.show_message(&error.to_string());
            let text = format!("skipped {}: {message}", project.rel(path).display());
            match chosen_by_place {
                true => self.reporter.verbose(&text),
                false => self.reporter.warn(&text),
            }
        }
    }

    /// `path` relative to the repository root, as shown to the user.
    pub fn show(&self, path: &Path) -> String {
        self.project.rel(path).display().to_string()
    }

    /// A message with the paths in it relative to the repository root.
    pub fn show_message(&self, message: &str) -> String {
        crate::display::relative_to(message, &self.project.root)
    }
}

/// The package a single-package step works on.
pub struct Selected<'a> {
    pub package: &'a Pyproject,
    /// Its crates: those it is built from and those that move with it.
    pub unit: Unit<'a>,
    /// Every place its version lives.
    pub inventory: Inventory,
    /// Why the release version could not be read, when a fallback took its place.
    pub unreadable: Option<ReadError>,
}
