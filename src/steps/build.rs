//! The build step: what will be built where (plan: refused while version
//! sources disagree), and the build itself (apply: the sdist, then a wheel
//! from it, checked against the release version).

use super::{Context, Error, Selected};
use crate::build::{self, BuildRequest, BuildResult};
use crate::project::python::Pyproject;
use crate::project::Unit;
use crate::version::ReleaseVersion;
use std::path::{Path, PathBuf};

/// What a build will do.
pub struct Plan<'a> {
    pub package: &'a Pyproject,
    pub name: String,
    pub version: ReleaseVersion,
    /// Where from, where to, with which target folder.
    pub request: BuildRequest,
}

/// The single selected package, into `out_dir` (default `dist/` beside pyproject.toml).
pub fn plan<'a>(ctx: &'a Context, out_dir: Option<&Path>) -> Result<Plan<'a>, Error> {
    let Selected {
        package,
        unit,
        inventory: inv,
        ..
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
    let mut request = BuildRequest::new(package.dir(), &target_dir(ctx, &unit));
    request.out_dir = out_dir.map_or_else(|| package.dir().join("dist"), Path::to_path_buf);
    Ok(Plan {
        package,
        name: inv.name,
        version: inv.version,
        request,
    })
}

pub fn apply(ctx: &Context, plan: &Plan) -> Result<BuildResult, Error> {
    Ok(build::build(
        plan.package,
        &plan.version,
        &plan.request,
        ctx.reporter,
    )?)
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
