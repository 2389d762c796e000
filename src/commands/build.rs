//! `cargo pypi build`: the sdist and a wheel for this machine, built from the
//! sdist, checked against the release version and listed with size and sha256.

use super::{Context, Error, Render};
use crate::build::{self, BuildRequest, BuildResult};
use crate::display::human_size;
use crate::project::Unit;
use crate::steps::Selected;
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
    let Selected {
        package,
        unit,
        inventory: inv,
    } = ctx.single()?;
    if let Some(o) = inv.disagreements().next() {
        let message = format!(
            "version sources disagree ({}:{}: found {}, expected {}); run `cargo pypi check` and fix them before building",
            ctx.show(&o.file),
            o.line,
            o.found,
            o.expected(&inv.version)
        );
        return Err(Error::Refused(message));
    }
    let out_dir = opts
        .out_dir
        .clone()
        .unwrap_or_else(|| package.dir().join("dist"));
    let mut request = BuildRequest::new(package.dir(), &target_dir(ctx, &unit));
    request.out_dir = out_dir.clone();
    request.isolation = !opts.no_isolation;
    request.quiet = opts.quiet;
    let result = build::build(package, &inv.version, &request, ctx.reporter)?;
    Ok(Report {
        name: inv.name,
        version: inv.version.pep440(),
        out_dir: ctx.show(&out_dir),
        result,
        root: ctx.project.root.clone(),
    })
}

/// `CARGO_TARGET_DIR` if set, else `target/` of the built crate's workspace, so
/// that the wheel built from the unpacked sdist reuses the repository's build.
fn target_dir(ctx: &Context, unit: &Unit) -> PathBuf {
    if let Some(dir) =
        std::env::var_os(crate::env_vars::EnvVars::CARGO_TARGET_DIR).filter(|d| !d.is_empty())
    {
        return PathBuf::from(dir);
    }
    let base = unit
        .built
        .first()
        .map(|m| {
            ctx.project
                .crates
                .workspace_of(m)
                .map_or(m.dir(), |w| w.dir())
        })
        .unwrap_or(unit.package.dir());
    base.join("target")
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
