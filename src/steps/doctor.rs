//! `doctor`: is this repository and machine ready to release? The release's
//! own checks (`readiness`) without a version to release, and what a release
//! depends on besides: the changelog's notes, Python and pip, the credential
//! files' safety, this version's artifacts, and trusted publishing in CI.

use super::readiness::{self, Check};
use super::{release, Context, Error};
use crate::env_vars::EnvVars;
use crate::git::Repo;
use crate::ops::process::{self, Cmd};
use crate::publish::credentials::dotenv;
use crate::publish::credentials::oidc;
use crate::sources::Inventory;

/// Every check, in the order shown.
pub fn checks(ctx: &Context) -> Result<Vec<Check>, Error> {
    let inv = ctx.single()?.inventory;
    let mut checks = Vec::new();
    match Repo::discover(&ctx.project.root)? {
        Some(repo) => {
            checks.extend(readiness::git_local(&repo)?);
            let branches = &inv.config.release.branches;
            checks.extend(readiness::git_remote(&repo, branches, None, true)?.0);
        }
        None => checks.push(Check::fail(
            "git",
            "not a git repository: `git init`, then commit",
        )),
    }
    checks.push(readiness::lockstep(ctx, &inv));
    checks.push(changelog(&inv));
    checks.push(readiness::build_tool(ctx)?);
    checks.push(python_and_pip());
    checks.extend(credential_files(ctx));
    checks.push(artifacts(ctx, &inv));
    let options = release::Options::default();
    checks.extend(readiness::publishing(
        ctx,
        &inv,
        release::publishes(&inv, &options),
    ));
    let targets = release::targets(&inv, &options);
    checks.extend(readiness::indexes(ctx, &inv, &targets, None));
    checks.extend(trusted_publishing());
    Ok(checks)
}

/// Notes for the coming release: a non-empty Unreleased section where the
/// changelog is kept by hand.
fn changelog(inv: &Inventory) -> Check {
    let Some(file) = inv.changelog.as_ref() else {
        return Check::pass("changelog", "none found (a release writes none)");
    };
    let name = file
        .path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    if !file.kept() {
        return Check::pass(
            "changelog",
            format!("{name}: not edited by cargo pypi (see `status`)"),
        );
    }
    match (file.parsed.unreleased_line(), file.parsed.unreleased_is_empty()) {
        (Some(_), false) => Check::pass("changelog", format!("{name}: notes in the Unreleased section")),
        (Some(line), true) => Check::advice("changelog", format!("{name}:{line}: the Unreleased section is empty: write the notes for the next release")),
        (None, _) => Check::advice("changelog", format!("{name}: no Unreleased section: a release adds a section whose notes are still to be written")),
    }
}

/// The Python the tools use (`CARGO_PYPI_PYTHON`, else `python3`) and its pip.
fn python_and_pip() -> Check {
    let python = std::env::var(EnvVars::CARGO_PYPI_PYTHON).unwrap_or_else(|_| "python3".into());
    let probe = process::probe(&Cmd::new(&python).args(["-m", "pip", "--version"]));
    match probe {
        Ok(p) if p.success() => Check::pass("python and pip", p.stdout.trim().to_string()),
        Ok(p) => Check::fail(
            "python and pip",
            format!(
                "`{python} -m pip` fails ({}): install pip (`{python} -m ensurepip`)",
                p.stderr.trim()
            ),
        ),
        Err(e) => Check::fail(
            "python and pip",
            format!("{e}: install Python 3, or name one in CARGO_PYPI_PYTHON"),
        ),
    }
}

/// `.env.local` and `.env` beside pyproject.toml and at the root: when they
/// exist, readable by their owner only, untracked and ignored by git.
fn credential_files(ctx: &Context) -> Vec<Check> {
    let root = &ctx.project.root;
    let mut dirs = vec![root.clone()];
    if let Ok(selected) = ctx.single() {
        dirs.push(selected.package.dir().to_path_buf());
    }
    dirs.dedup();
    let mut checks = Vec::new();
    for path in dirs
        .iter()
        .flat_map(|d| [d.join(".env.local"), d.join(".env")])
    {
        if !path.is_file() {
            continue;
        }
        let name = ctx.show(&path);
        checks.push(
            match dotenv::check_safe(&path, &name, "credentials", root, None) {
                Ok(()) => Check::pass(
                    "credential file",
                    format!("{name}: mode 600, ignored by git"),
                ),
                Err(e) => Check::fail("credential file", e.to_string()),
            },
        );
    }
    checks
}

/// This version's artifacts in `dist/`, checked as `check-dist` does.
fn artifacts(ctx: &Context, inv: &Inventory) -> Check {
    let version = inv.version.pep440();
    let files = match super::artifacts::release_artifacts(ctx, None) {
        Ok(files) if !files.is_empty() => files,
        _ => {
            return Check::advice(
                "artifacts",
                format!("none for {version} in dist/: `cargo pypi build` (a release builds them)"),
            )
        }
    };
    let checked =
        super::check_dist::plan(Some(ctx), &files, None).and_then(|p| super::check_dist::apply(&p));
    match checked {
        Ok(c) if c.ok() => Check::pass(
            "artifacts",
            format!("{} file(s) of {version}, passing check-dist", files.len()),
        ),
        Ok(_) => Check::fail(
            "artifacts",
            format!(
                "the artifacts of {version} fail check-dist: `cargo pypi check-dist` shows why"
            ),
        ),
        Err(e) => Check::fail("artifacts", ctx.show_message(&e.to_string())),
    }
}

/// In CI, whether the job can get the ID tokens trusted publishing and
/// attestations need: on GitHub Actions it may request them (`id-token:
/// write`), on GitLab CI they are the variables `id_tokens:` declares.
fn trusted_publishing() -> Vec<Check> {
    let env = |key: &str| std::env::var(key).ok();
    let set = |key: &str| env(key).is_some_and(|v| !v.trim().is_empty());
    if env(EnvVars::GITHUB_ACTIONS).as_deref() == Some("true") {
        return vec![match set(EnvVars::ACTIONS_ID_TOKEN_REQUEST_URL) {
            true => Check::pass(
                "trusted publishing",
                "this job may request OIDC tokens: for trusted publishing, and for the \
                 attestations signed through Sigstore",
            ),
            false => Check::fail("trusted publishing", "this GitHub Actions job cannot request an OIDC token: add `permissions: id-token: write` to the publish job"),
        }];
    }
    if env(EnvVars::GITLAB_CI).as_deref() != Some("true") {
        return Vec::new();
    }
    let publishing = match set(EnvVars::PYPI_ID_TOKEN) {
        true => Check::pass("trusted publishing", "PYPI_ID_TOKEN is set"),
        false => Check::advice(
            "trusted publishing",
            "PYPI_ID_TOKEN is not set: declare it under `id_tokens:` with `aud: pypi` \
             (`testpypi` for TestPyPI) to publish without an API token",
        ),
    };
    let signing = match oidc::id_token::sigstore_available(oidc::Provider::GitLabCi, &env) {
        Ok(()) => Check::pass(
            "attestations",
            "SIGSTORE_ID_TOKEN is set: they are signed through Sigstore",
        ),
        Err(why) => Check::advice("attestations", format!("none can be made: {why}")),
    };
    vec![publishing, signing]
}
