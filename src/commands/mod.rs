//! Subcommands. Each resolves its settings, builds a plan, verifies it, then
//! applies it; each returns a report value that the binary renders.

pub mod build;
pub mod bump;
pub mod check;
pub mod check_dist;
pub mod publish;
pub mod status;

use crate::error::{exit, ReadError};
use crate::project::Project;
use crate::sources::Inventory;
use std::path::Path;

/// A command's report as the binary shows it: JSON (serde), or text on
/// stdout, a closing status line and an error line on stderr.
pub trait Render: serde::Serialize {
    /// What stdout shows.
    fn human(&self) -> String;
    /// A closing cargo-style status line on stderr (`Would bump`, `Dry run`).
    fn closing_status(&self) -> Option<(&'static str, String)> {
        None
    }
    /// The `error:` line when the command found problems.
    fn failure(&self) -> Option<String> {
        None
    }
    /// `false`: the command found problems (exit 1).
    fn ok(&self) -> bool {
        true
    }
}

/// What every command gets from the global options.
pub struct Context<'a> {
    pub project: Project,
    /// `-p/--package`.
    pub package: Option<String>,
    pub reporter: &'a dyn crate::report::Reporter,
}

impl<'a> Context<'a> {
    /// Discovers the project at `start` (folder or manifest path).
    pub fn new(
        start: &Path,
        package: Option<String>,
        reporter: &'a dyn crate::report::Reporter,
    ) -> Result<Context<'a>, Error> {
        let project = Project::discover(start)?;
        for (path, error) in &project.broken {
            let message = error
                .to_string()
                .replace(&format!("{}/", project.root.display()), "");
            reporter.warn(&format!(
                "skipped {}: {message}",
                project.rel(path).display()
            ));
        }
        Ok(Context {
            project,
            package,
            reporter,
        })
    }

    /// Inventories of the selected packages.
    pub fn inventories(&self) -> Result<Vec<Inventory>, Error> {
        let packages = self.project.select(self.package.as_deref())?;
        let mut out = Vec::with_capacity(packages.len());
        for package in packages {
            let unit = self.project.unit(package)?;
            let crates: Vec<&str> = unit.moving.iter().map(String::as_str).collect();
            self.reporter.verbose(&format!(
                "{}: crates moving with it: {}",
                self.project.rel(&package.file.path).display(),
                crates.join(", ")
            ));
            out.push(Inventory::scan(&self.project, &unit)?);
        }
        Ok(out)
    }

    /// The one selected package (refusing when `-p` is needed), with its crates and sources.
    pub fn single(
        &self,
    ) -> Result<
        (
            &crate::project::python::Pyproject,
            crate::project::Unit<'_>,
            Inventory,
        ),
        Error,
    > {
        let packages = self.project.select(self.package.as_deref())?;
        let [package] = packages.as_slice() else {
            let message = format!(
                "several packages here ({}); choose one with -p/--package",
                self.project.names()
            );
            return Err(Error::Refused(message));
        };
        let unit = self.project.unit(package)?;
        let inv = Inventory::scan(&self.project, &unit)?;
        Ok((package, unit, inv))
    }

    /// `path` relative to the repository root, as shown to the user.
    pub fn show(&self, path: &Path) -> String {
        self.project.rel(path).display().to_string()
    }
}

/// Why a command failed; every message names the file, value or tag concerned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Bump(#[from] crate::version::BumpError),
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
    #[error(transparent)]
    Write(#[from] crate::ops::fs::WriteError),
    #[error(transparent)]
    Build(#[from] crate::build::BuildError),
    #[error(transparent)]
    Dist(#[from] crate::dist::DistError),
    /// The command refused to act; the message says why and what to do.
    #[error("{0}")]
    Refused(String),
    /// The command line or configuration is invalid (exit 2).
    #[error("{0}")]
    Input(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Read(_) | Error::Input(_) => exit::INPUT,
            Error::Bump(crate::version::BumpError::Version(_)) => exit::INPUT,
            _ => exit::FAILED,
        }
    }
}
