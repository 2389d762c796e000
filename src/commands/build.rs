//! `cargo pypi build`: the sdist and a wheel for this machine, built from the
//! sdist, checked against the release version and listed with size and sha256.

use super::{Context, Error, Render};
use crate::build::BuildResult;
use crate::display::human_size;
use crate::steps::build;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Output folder (default: `dist/` beside pyproject.toml).
    pub out_dir: Option<PathBuf>,
    /// `--no-isolation` for the PEP 517 frontend.
    pub no_isolation: bool,
    /// Capture the build output (shown on failure only).
    pub quiet: bool,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub name: String,
    pub version: String,
    pub out_dir: String,
    #[serde(flatten)]
    pub result: BuildResult,
    /// Paths are shown relative to it.
    #[serde(skip)]
    pub root: PathBuf,
}

pub fn run(ctx: &Context, opts: &Options) -> Result<Report, Error> {
    let plan = build::plan(ctx, opts.out_dir.as_deref())?;
    let mut request = plan.request.clone();
    request.isolation = !opts.no_isolation;
    request.quiet = opts.quiet;
    let plan = build::Plan { request, ..plan };
    let result = build::apply(ctx, &plan)?;
    Ok(Report {
        name: plan.name,
        version: plan.version.pep440(),
        out_dir: ctx.show(&plan.request.out_dir),
        result,
        root: ctx.project.root.clone(),
    })
}

impl Render for Report {
    fn human(&self) -> String {
        let root = &self.root;
        let mut out = String::new();
        for file in &self.result.files {
            let shown = file
                .path
                .strip_prefix(root)
                .unwrap_or(&file.path)
                .display()
                .to_string();
            out.push_str(&format!(
                "{shown}  {}  sha256:{}\n",
                human_size(file.size),
                file.sha256
            ));
        }
        out
    }
}
