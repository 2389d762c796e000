//! `cargo pypi init`: set a repository up for releases (the init step's plan;
//! its diff on a dry run, the drifted files with `--check`, else its apply).

use super::{Context, Error, Render};
use crate::steps::init::{self, Action};
use serde::Serialize;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write nothing; show the diff.
    pub dry_run: bool,
    /// Write nothing; fail when a generated file drifted from what this version writes.
    pub check: bool,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub name: String,
    pub dry_run: bool,
    pub check: bool,
    pub files: Vec<FileReport>,
    /// Unified diff of every change (dry run only).
    pub diff: Option<String>,
    /// `file: why`, for each file `--check` found out of sync.
    pub drifted: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    /// What init does (or, with `--check` or `--dry-run`, would do) to it.
    pub action: Action,
    pub what: String,
}

pub fn run(ctx: &Context, opts: &Options) -> Result<Report, Error> {
    let plan = init::plan(ctx)?;
    let files = plan
        .files
        .iter()
        .map(|f| FileReport {
            file: ctx.show(&f.path),
            action: f.action(),
            what: f.what.clone(),
        })
        .collect();
    let drifted = plan
        .files
        .iter()
        .filter_map(|f| Some(format!("{}: {}", ctx.show(&f.path), f.drift.as_ref()?)))
        .collect();
    let mut report = Report {
        name: plan.name.clone(),
        dry_run: opts.dry_run,
        check: opts.check,
        files,
        diff: None,
        drifted,
    };
    if opts.check {
        return Ok(report);
    }
    if opts.dry_run {
        report.diff = Some(init::diff(ctx, &plan));
        return Ok(report);
    }
    init::apply(&plan)?;
    for file in &report.files {
        let line = format!("{} ({})", file.file, file.what);
        match file.action {
            Action::Create => ctx.reporter.status("Created", &line),
            Action::Update => ctx.reporter.status("Updated", &line),
            Action::Unchanged => ctx.reporter.verbose(&format!("unchanged: {line}")),
        }
    }
    Ok(report)
}

impl Report {
    fn written(&self) -> usize {
        let changed = |f: &&FileReport| f.action != Action::Unchanged;
        self.files.iter().filter(changed).count()
    }
}

impl Render for Report {
    /// The dry run's diff, or the drifted files; nothing otherwise (the files
    /// were reported as they were written).
    fn human(&self) -> String {
        match (self.check, &self.diff) {
            (true, _) => self.drifted.iter().map(|d| format!("{d}\n")).collect(),
            (false, Some(diff)) => diff.clone(),
            (false, None) => String::new(),
        }
    }

    fn closing_status(&self) -> Option<(&'static str, String)> {
        let (name, written) = (&self.name, self.written());
        let version = env!("CARGO_PKG_VERSION");
        match (self.check, self.dry_run) {
            (true, _) if self.drifted.is_empty() => Some((
                "Checked",
                format!("{name}: the files init writes match cargo-pypi {version}"),
            )),
            (true, _) => None,
            (false, true) => Some((
                "Would write",
                format!("{name}: {written} files (dry run, nothing written)"),
            )),
            (false, false) if written == 0 => Some((
                "Finished",
                format!("{name}: set up already, nothing to write"),
            )),
            (false, false) => Some(("Finished", format!("{name}: {written} files written"))),
        }
    }

    fn failure(&self) -> Option<String> {
        (self.check && !self.drifted.is_empty()).then(|| {
            format!(
                "{} file(s) differ from what `cargo pypi init` writes; run `cargo pypi init` (`--dry-run` shows the changes)",
                self.drifted.len()
            )
        })
    }

    fn ok(&self) -> bool {
        !self.check || self.drifted.is_empty()
    }
}
