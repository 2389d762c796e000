//! `cargo pypi check-dist`: what PyPI would reject in the release's artifacts,
//! or in the files given, before anything is uploaded.

use super::{Context, Error, Render};
use crate::display::file_name;
use crate::dist::{self, Artifact, Diagnostic, Severity};
use crate::steps::check_dist;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Files to check (default: this version's artifacts in `dist/`).
    pub files: Vec<PathBuf>,
    /// Folder searched when no file is given (default: `dist/` beside pyproject.toml).
    pub dist_dir: Option<PathBuf>,
    /// Warnings count as errors.
    pub strict: bool,
}

#[derive(Debug, Serialize)]
pub struct Report {
    /// No errors (and, with `--strict`, no warnings).
    pub ok: bool,
    pub files: Vec<FileEntry>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize)]
pub struct FileEntry {
    pub file: String,
    pub kind: dist::Kind,
    pub name: String,
    pub version: String,
    pub size: u64,
    pub sha256: String,
}

/// Checks `opts.files`, or, with none given, this version's artifacts in the dist folder.
pub fn run(ctx: Option<&Context>, opts: &Options) -> Result<Report, Error> {
    let mut plan = check_dist::plan(ctx, &opts.files, opts.dist_dir.as_deref())?;
    plan.strict = opts.strict;
    let checked = check_dist::apply(&plan)?;
    Ok(Report {
        ok: checked.ok(),
        files: checked.artifacts.iter().map(entry).collect(),
        diagnostics: checked.diagnostics,
    })
}

fn entry(a: &Artifact) -> FileEntry {
    FileEntry {
        file: file_name(&a.path),
        kind: a.kind,
        name: a.name.clone(),
        version: a.version.clone(),
        size: a.size,
        sha256: a.sha256.clone(),
    }
}

impl Render for Report {
    fn ok(&self) -> bool {
        self.ok
    }

    fn failure(&self) -> Option<String> {
        (!self.ok).then(|| "the artifacts would be rejected or are broken; see above".into())
    }

    /// `error[rule]: file: field: message`, then a summary line.
    fn human(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let field = d
                .field
                .as_ref()
                .map(|f| format!("{f}: "))
                .unwrap_or_default();
            out.push_str(&format!(
                "{level}[{}]: {}: {field}{}\n",
                d.rule, d.file, d.message
            ));
        }
        let errors = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = self.diagnostics.len() - errors;
        let verdict = if self.ok { "ok" } else { "FAILED" };
        out.push_str(&format!(
            "{verdict}: {} files checked, {errors} errors, {warnings} warnings\n",
            self.files.len()
        ));
        out
    }
}
