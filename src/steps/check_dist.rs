//! The check-dist step: which files to check (plan), and what PyPI would
//! reject in them (apply). `check-dist` shows the findings; `publish` and
//! `release` stop on any error before a byte is sent.

use super::{artifacts, Context, Error};
use crate::dist::{self, Artifact, CheckOptions, Diagnostic, Severity};
use std::path::{Path, PathBuf};

/// The files to check and how.
#[derive(Debug, Clone)]
pub struct Plan {
    pub files: Vec<PathBuf>,
    pub options: CheckOptions,
    /// Warnings count as errors.
    pub strict: bool,
}

/// `files` (a folder among them: the release's files in it), or with none
/// given, this version's artifacts in `dist_dir` (default `dist/` beside
/// pyproject.toml). Folders are searched with `ctx` (without one, files only).
pub fn plan(
    ctx: Option<&Context>,
    files: &[PathBuf],
    dist_dir: Option<&Path>,
) -> Result<Plan, Error> {
    let files = match ctx {
        Some(ctx) => artifacts::given_or_found(ctx, files, dist_dir)?,
        None if files.is_empty() => {
            return Err(Error::Refused(
                "no files given and no project found: pass the files to check".into(),
            ))
        }
        None => files.to_vec(),
    };
    Ok(Plan {
        files,
        options: CheckOptions::default(),
        strict: false,
    })
}

/// The artifacts read and what was found in them.
#[derive(Debug)]
pub struct Checked {
    pub artifacts: Vec<Artifact>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// No errors (with `strict`, warnings were made errors).
    pub fn ok(&self) -> bool {
        self.diagnostics
            .iter()
            .all(|d| d.severity == Severity::Warning)
    }

    /// The artifacts when nothing would be rejected; else an error listing every finding.
    pub fn into_clean(self) -> Result<Vec<Artifact>, Error> {
        if self.ok() {
            return Ok(self.artifacts);
        }
        let errors: Vec<String> = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("  {d}"))
            .collect();
        Err(Error::Refused(format!(
            "check-dist found errors, so nothing was uploaded:\n{}",
            errors.join("\n")
        )))
    }
}

pub fn apply(plan: &Plan) -> Result<Checked, Error> {
    let (artifacts, mut diagnostics) = dist::check(&plan.files, &plan.options)?;
    if plan.strict {
        for d in diagnostics.iter_mut() {
            d.severity = Severity::Error;
        }
    }
    Ok(Checked {
        artifacts,
        diagnostics,
    })
}
