//! Whether a repository is ready to release, check by check: each one a named
//! row that passed, or failed with what to do. The release's preflight runs
//! them before it changes anything and refuses on any failure, listing all;
//! `doctor` shows every row.

use super::{build, publish, Context, Error};
use crate::dist::filename::is_release_file;
use crate::git::{Repo, Upstream};
use crate::publish::credentials::Located;
use crate::publish::index::{self, IndexAuth};
use crate::publish::target::Target;
use crate::sources::Inventory;
use serde::Serialize;
use std::time::Duration;

/// One check and its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    /// A failure that stops a release (the others are advice).
    pub blocks: bool,
    /// What was found; for a failure, also the fix.
    pub detail: String,
}

impl Check {
    fn new(name: &'static str, ok: bool, blocks: bool, detail: impl Into<String>) -> Check {
        let detail = detail.into();
        Check {
            name,
            ok,
            blocks,
            detail,
        }
    }

    pub fn pass(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, true, false, detail)
    }

    pub fn fail(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, false, true, detail)
    }

    /// Not ready, but no reason to stop a release (it does that step itself).
    pub fn advice(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, false, false, detail)
    }
}

/// A commit identity, and no uncommitted changes to tracked files.
pub fn git_local(repo: &Repo) -> Result<Vec<Check>, Error> {
    let identity = match repo.check_identity() {
        Ok(()) => Check::pass("git identity", "set"),
        Err(e) => Check::fail("git identity", e.to_string()),
    };
    let dirty = repo.dirty_files()?;
    let clean = match dirty.is_empty() {
        true => Check::pass("clean tree", "no uncommitted changes"),
        false => {
            let files: Vec<String> = dirty.iter().map(|p| p.display().to_string()).collect();
            let detail = format!(
                "uncommitted changes in {}: commit or stash them first",
                files.join(", ")
            );
            Check::fail("clean tree", detail)
        }
    };
    Ok(vec![identity, clean])
}

/// On an allowed branch, with an upstream (when `need_upstream`), fetched and
/// not behind it; `tag`, when given, free here and on the remote.
pub fn git_remote(
    repo: &Repo,
    branches: &[String],
    tag: Option<&str>,
    need_upstream: bool,
) -> Result<(Vec<Check>, Option<Upstream>), Error> {
    let mut checks = Vec::new();
    if let Some(tag) = tag.filter(|t| repo.tag_exists(t).unwrap_or(false)) {
        let detail = format!("tag `{tag}` exists already: this version was released (or `git tag -d {tag}` if it was not)");
        checks.push(Check::fail("tag", detail));
    }
    let Some(branch) = repo.head_branch()? else {
        let detail = "HEAD is detached: check out the branch to release from (`git switch main`)";
        checks.push(Check::fail("branch", detail));
        return Ok((checks, None));
    };
    let upstream = repo.upstream()?;
    let allowed = match (branches.is_empty(), &upstream) {
        (false, _) => branches.to_vec(),
        (true, Some(up)) => vec![repo
            .default_branch(&up.remote)
            .unwrap_or_else(|| up.branch.clone())],
        (true, None) => vec!["main".into(), "master".into()],
    };
    checks.push(match allowed.contains(&branch) {
        true => Check::pass("branch", format!("`{branch}`")),
        false => {
            let names: Vec<String> = allowed.iter().map(|b| format!("`{b}`")).collect();
            let detail = format!("on branch `{branch}`, and releases come from {} (`tool.cargo-pypi.release.branches`)", names.join(" or "));
            Check::fail("branch", detail)
        }
    });
    let Some(up) = upstream else {
        if need_upstream {
            let detail = format!("branch `{branch}` has no upstream to push to: `git push -u origin {branch}`, or pass --no-push");
            checks.push(Check::fail("upstream", detail));
        }
        return Ok((checks, None));
    };
    if let Err(e) = repo.fetch(&up.remote) {
        checks.push(Check::fail(
            "upstream",
            format!("could not fetch `{}`: {e}", up.remote),
        ));
        return Ok((checks, Some(up)));
    }
    let (_, behind) = repo.ahead_behind(&up)?;
    let tracking = format!("{}/{}", up.remote, up.branch);
    checks.push(match behind {
        0 => Check::pass("upstream", format!("up to date with {tracking}")),
        n => Check::fail(
            "upstream",
            format!(
                "`{branch}` is behind `{tracking}` by {n} commit(s): `git pull --rebase` first"
            ),
        ),
    });
    if let Some(tag) =
        tag.filter(|t| need_upstream && repo.remote_has_tag(&up.remote, t).unwrap_or(false))
    {
        let detail = format!(
            "tag `{tag}` exists on `{}` already: this version was released",
            up.remote
        );
        checks.push(Check::fail("tag", detail));
    }
    Ok((checks, Some(up)))
}

/// Every version source agrees.
pub fn lockstep(ctx: &Context, inv: &Inventory) -> Check {
    let disagreeing: Vec<String> = inv
        .disagreements()
        .map(|o| format!("{}:{} ({})", ctx.show(&o.file), o.line, o.what))
        .collect();
    match disagreeing.is_empty() {
        true => Check::pass("versions", format!("{} everywhere", inv.version.pep440())),
        false => Check::fail(
            "versions",
            format!(
                "sources disagree with {}: {}; `cargo pypi check` lists them",
                inv.version.pep440(),
                disagreeing.join(", ")
            ),
        ),
    }
}

/// The build tool the package needs is there and satisfies `[build-system] requires`.
pub fn build_tool(ctx: &Context) -> Result<Check, Error> {
    let plan = build::plan(ctx, None)?;
    Ok(
        match crate::build::tools_ready(plan.package, &plan.request) {
            Ok(label) => Check::pass("build tool", label),
            Err(e) => Check::fail("build tool", ctx.show_message(&e.to_string())),
        },
    )
}

/// For each `(name, upload options)`: credentials found (the source, never the
/// value) and the index listed; with `version`, that version not on it yet.
pub fn indexes(
    ctx: &Context,
    inv: &Inventory,
    targets: &[(&'static str, publish::Options)],
    version: Option<&str>,
) -> Vec<Check> {
    let mut checks = Vec::new();
    for (name, options) in targets {
        match publish::locate(ctx, options) {
            Ok((target, located)) => {
                checks.push(credentials_check(name, &target, &located));
                if let Some(problem) = listing(&target, &located, inv, version) {
                    checks.push(Check::fail(name, problem));
                }
            }
            Err(e) => checks.push(Check::fail(name, ctx.show_message(&e.to_string()))),
        }
    }
    checks
}

/// Credentials found (the source, never the value); on PyPI and TestPyPI a
/// token must look like one (`pypi-…`), since a password is refused there.
fn credentials_check(name: &'static str, target: &Target, located: &Located) -> Check {
    let found = format!(
        "{}: credentials from {}",
        target.index_url,
        located.source()
    );
    let Located::Ready(credentials) = located else {
        return Check::pass(name, found);
    };
    let pypi = target.is_pypi() || target.is_testpypi();
    let token = credentials.password.expose().starts_with("pypi-");
    match (pypi, credentials.username == "__token__" && token) {
        (true, false) => Check::fail(name, format!(
            "{found}, which is not a PyPI API token (`__token__` and a value starting with `pypi-`); PyPI takes no passwords: create a token at {}",
            target.token_page().unwrap_or("https://pypi.org/manage/account/token/")
        )),
        _ => Check::pass(name, found),
    }
}

/// A problem with the index's listing: unreachable, or `version` there already.
fn listing(
    target: &Target,
    located: &Located,
    inv: &Inventory,
    version: Option<&str>,
) -> Option<String> {
    let auth = match located {
        Located::Ready(c) => Some(IndexAuth {
            username: &c.username,
            password: &c.password,
        }),
        Located::Deferred { .. } => None,
    };
    let listed = index::client(Duration::from_secs(30))
        .and_then(|client| index::existing_files(&client, &target.index_url, &inv.name, auth));
    let files = match listed {
        Ok(files) => files,
        Err(e) => return Some(format!("cannot list {}: {e}", target.index_url)),
    };
    let version = version?;
    let released = files
        .iter()
        .find(|f| is_release_file(&f.filename, &inv.name, version))?;
    Some(format!(
        "{} already has {} of {version}: this version was released; release the next one",
        target.index_url, released.filename
    ))
}

/// The workflow `cargo pypi init` writes publishes every tag it builds: a
/// release that `publishes` from here too, with `publish` unset, would send
/// every file twice (the second time refused as a different file).
pub fn publishing(ctx: &Context, inv: &Inventory, publishes: bool) -> Option<Check> {
    if !publishes || inv.config.release.publish.is_some() {
        return None;
    }
    let workflow = ctx.project.root.join(".github/workflows/release.yml");
    let text = std::fs::read_to_string(&workflow).ok()?;
    let detail = format!(
        "{} (written by `cargo pypi init`) publishes the tag's files from CI: set `publish = false` in [tool.cargo-pypi.release] to leave it that job (or pass --no-publish), or `publish = true` to publish from here as well",
        ctx.show(&workflow)
    );
    text.starts_with(super::init::workflow::MARKER)
        .then(|| Check::fail("publishing", detail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::credentials::Credentials;
    use crate::publish::secret::Secret;

    fn ready(username: &str, password: &str) -> Located {
        Located::Ready(Credentials {
            username: username.into(),
            password: Secret::new(password),
            source: "environment variable PYPI_API_TOKEN".into(),
            renewal: None,
        })
    }

    #[test]
    fn pypi_wants_a_token_that_looks_like_one_and_never_shows_it() {
        let pypi = Target::pypi();
        let good = credentials_check(
            "production",
            &pypi,
            &ready("__token__", "pypi-AgEIcHlwaS5vcmc"),
        );
        assert!(good.ok, "{good:?}");
        for (user, password) in [("__token__", "hunter2-not-a-token"), ("alice", "pypi-AgEI")] {
            let bad = credentials_check("production", &pypi, &ready(user, password));
            assert!(!bad.ok && bad.blocks, "{bad:?}");
            assert!(bad.detail.contains("not a PyPI API token"), "{bad:?}");
            assert!(!bad.detail.contains(password), "{bad:?}");
        }
        // TestPyPI wants a token too; another index takes whatever login it knows.
        let testpypi = Target::testpypi();
        assert!(!credentials_check("staging", &testpypi, &ready("alice", "secret")).ok);
        let request = crate::publish::target::TargetRequest {
            repository_url: Some("https://pypi.example.com/legacy/".into()),
            ..Default::default()
        };
        let private = crate::publish::target::resolve(&request).unwrap();
        assert!(credentials_check("staging", &private, &ready("alice", "secret")).ok);
    }
}
