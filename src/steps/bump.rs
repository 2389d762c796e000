//! The bump step. The plan computes the next version, every file's new
//! contents and every git refusal (identity, clean tree, free tag) before
//! anything is written; the apply writes all files or none and commits (undoing
//! the writes if the commit fails); the tag is its own apply, so that a release
//! tags only once the files are published.

use super::{Context, Error};
use crate::config::render;
use crate::git::Repo;
use crate::ops::{diff, fs};
use crate::sources::{plan, Inventory};
use crate::version::{BumpLevel, ReleaseVersion};
use std::path::PathBuf;

/// Where to go: a level, or an explicit version in either spelling.
#[derive(Debug, Clone)]
pub enum Target {
    Level(BumpLevel),
    Exact(ReleaseVersion),
}

impl std::str::FromStr for Target {
    type Err = String;

    /// `patch`, or a version such as `1.4.0-rc.1`, `1.4.0rc1`, `v1.4.0` or `V1.4.0`.
    fn from_str(text: &str) -> Result<Target, String> {
        let level = match text {
            "major" => BumpLevel::Major,
            "minor" => BumpLevel::Minor,
            "patch" => BumpLevel::Patch,
            "alpha" => BumpLevel::Alpha,
            "beta" => BumpLevel::Beta,
            "rc" => BumpLevel::Rc,
            "post" => BumpLevel::Post,
            "dev" => BumpLevel::Dev,
            "release" => BumpLevel::Release,
            other if other.starts_with(|c: char| c.is_ascii_digit() || c == 'v' || c == 'V') => {
                let other = other.strip_prefix('V').unwrap_or(other);
                let other = other.strip_prefix('v').unwrap_or(other);
                return ReleaseVersion::parse_any(other)
                    .map(Target::Exact)
                    .map_err(|e| e.to_string());
            }
            other => {
                return Err(format!(
                    "unknown bump level `{other}`: use major, minor, patch, alpha, beta, rc, post, dev, release, or a version like 1.4.0"
                ))
            }
        };
        Ok(Target::Level(level))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub dry_run: bool,
    /// `--commit` / `--no-commit`; `None` takes the config default.
    pub commit: Option<bool>,
    pub tag: Option<bool>,
    /// Take the release version as the truth when sources disagree.
    pub force: bool,
    /// Commit even when other tracked files have changes.
    pub allow_dirty: bool,
    /// Commit even when HEAD is detached (on no branch).
    pub allow_detached: bool,
    /// Changelog date, `YYYY-MM-DD` (default: `SOURCE_DATE_EPOCH`, else today).
    pub date: Option<String>,
    /// `--no-changelog`: leave the changelog alone this once.
    pub no_changelog: bool,
}

/// What a bump will do; nothing has been written when it exists.
pub struct Plan {
    pub inventory: Inventory,
    pub next: ReleaseVersion,
    pub changes: Vec<fs::FileChange>,
    /// The changelog heading of the new section (PEP 440 spelling).
    pub heading: String,
    /// What the bump does to the changelog (`None`: nothing to do, or `--no-changelog`).
    pub changelog: Option<crate::changelog::Outcome>,
    pub commit_message: String,
    pub tag_name: String,
    /// The repository and the files to commit, when the bump is committed.
    pub git: Option<(Repo, Vec<PathBuf>)>,
    /// Whether a tag follows the commit.
    pub tag: bool,
}

pub fn plan(ctx: &Context, target: &Target, opts: &Options) -> Result<Plan, Error> {
    // `bump VERSION --force` repairs a release version that cannot be read.
    let fallback = match (opts.force, target) {
        (true, Target::Exact(v)) => Some(v),
        _ => None,
    };
    let selected = ctx.single_or(fallback)?;
    let inv = selected.inventory;
    let next = match (target, &selected.unreadable) {
        (Target::Exact(v), Some(unreadable)) => {
            ctx.reporter.warn(&format!(
                "--force: {}; every source is rewritten to {}",
                ctx.show_message(&unreadable.to_string()),
                v.pep440()
            ));
            v.clone()
        }
        (Target::Level(level), _) => {
            refuse_disagreement(ctx, &inv, opts.force)?;
            inv.version.bump(*level)?
        }
        (Target::Exact(v), None) => {
            refuse_disagreement(ctx, &inv, opts.force)?;
            inv.version.check_increase(v).map(|()| v.clone())?
        }
    };
    let config = &inv.config;
    let tag = opts.tag.unwrap_or(config.tag);
    let commit = tag || opts.commit.unwrap_or(config.commit);
    let tag_name = render(&config.tag_name, &next);
    let date = changelog_date(opts.date.as_deref())?;
    let heading = next.pep440();
    let release =
        (!opts.no_changelog).then_some((heading.as_str(), date.as_str(), tag_name.as_str()));
    let (changes, changelog) = plan::plan(&inv, &next, release)?;
    let git = match commit {
        true => Some(git_preflight(
            ctx,
            tag.then_some(&tag_name),
            opts,
            &changes,
        )?),
        false => None,
    };
    Ok(Plan {
        commit_message: render(&config.commit_message, &next),
        inventory: inv,
        next,
        changes,
        heading,
        changelog,
        tag_name,
        git,
        tag,
    })
}

/// A unified diff of every change, paths relative to the repository root.
pub fn diff(ctx: &Context, plan: &Plan) -> String {
    plan.changes
        .iter()
        .map(|c| diff::unified(&ctx.show(&c.path), &c.old, &c.new))
        .collect()
}

/// Writes every file (all or nothing), then commits them when planned;
/// returns the commit id.
pub fn apply(ctx: &Context, plan: &Plan) -> Result<Option<String>, Error> {
    let inv = &plan.inventory;
    fs::apply_all(&plan.changes)?;
    let summary = format!(
        "{} {} -> {} ({} files)",
        inv.name,
        inv.version.pep440(),
        plan.next.pep440(),
        plan.changes.len()
    );
    ctx.reporter.status("Bumped", &summary);
    let Some((repo, paths)) = &plan.git else {
        return Ok(None);
    };
    let id = commit_or_undo(repo, paths, &plan.commit_message, &plan.changes)?;
    ctx.reporter.status("Committed", &plan.commit_message);
    Ok(Some(id))
}

/// Creates the planned annotated tag on the bump's commit, carrying the
/// changelog section; returns its name.
pub fn tag(ctx: &Context, plan: &Plan) -> Result<Option<String>, Error> {
    let Some((repo, _)) = plan.git.as_ref().filter(|_| plan.tag) else {
        return Ok(None);
    };
    tag_release(repo, &plan.tag_name, &planned_tag_message(plan))?;
    ctx.reporter.status("Tagged", &plan.tag_name);
    Ok(Some(plan.tag_name.clone()))
}

/// The message the release's tag carries: the commit message and the new
/// changelog section.
pub fn planned_tag_message(plan: &Plan) -> String {
    tag_message(
        &plan.changes,
        &plan.inventory,
        &plan.heading,
        &plan.commit_message,
    )
}

fn tag_release(repo: &Repo, name: &str, message: &str) -> Result<(), Error> {
    repo.annotated_tag(name, message).map_err(|e| {
        Error::Refused(format!("committed the bump, but could not create tag `{name}`: {e}\nfix that and run `git tag -a {name}`"))
    })
}

/// Commits the bump; when the commit fails (a hook, signing), puts every file back.
fn commit_or_undo(
    repo: &Repo,
    paths: &[PathBuf],
    message: &str,
    changes: &[fs::FileChange],
) -> Result<String, Error> {
    match repo.commit_paths(paths, message) {
        Ok(id) => Ok(id),
        Err(e) => {
            let undo: Vec<fs::FileChange> = changes
                .iter()
                .map(|c| fs::FileChange {
                    path: c.path.clone(),
                    old: c.new.clone(),
                    new: c.old.clone(),
                })
                .collect();
            let restored = match fs::apply_all(&undo) {
                Ok(()) => "the bumped files were restored".to_string(),
                Err(undo_error) => format!("restoring the bumped files failed too: {undo_error}"),
            };
            Err(Error::Refused(format!(
                "{e}\nnothing was committed; {restored}"
            )))
        }
    }
}

fn refuse_disagreement(ctx: &Context, inv: &Inventory, force: bool) -> Result<(), Error> {
    let lines: Vec<String> = inv
        .disagreements()
        .map(|o| {
            format!(
                "  {}:{}: found {}, expected {} ({})",
                ctx.show(&o.file),
                o.line,
                o.found,
                o.expected(&inv.version),
                o.what
            )
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    let truth = &inv.occurrences[0];
    if force {
        ctx.reporter.warn(&format!(
            "--force: taking {} from {}:{} as the truth",
            truth.found,
            ctx.show(&truth.file),
            truth.line
        ));
        return Ok(());
    }
    Err(Error::Refused(format!(
        "version sources disagree with {} ({}:{}):\n{}\nfix them, or pass --force to take {} as the current version",
        truth.found,
        ctx.show(&truth.file),
        truth.line,
        lines.join("\n"),
        truth.found
    )))
}

/// Everything git can refuse, checked before a file is written: a repository,
/// an identity, a branch, a clean tree (or, with `--allow-dirty`, bumped files
/// without other edits), a free tag name. Returns the repository and the
/// changed files to commit (those git ignores and does not track stay out).
fn git_preflight(
    ctx: &Context,
    tag: Option<&String>,
    opts: &Options,
    changes: &[fs::FileChange],
) -> Result<(Repo, Vec<PathBuf>), Error> {
    let root = &ctx.project.root;
    let repo = Repo::discover(root)?.ok_or_else(|| {
        Error::Refused(format!(
            "--commit/--tag need a git repository, and {} is not in one",
            root.display()
        ))
    })?;
    repo.check_identity()?;
    if !opts.allow_detached && repo.head_branch()?.is_none() {
        return Err(Error::Refused(
            "HEAD is detached: a release commit would be on no branch and easily lost; \
             check out the release branch first (`git switch main`), or pass --allow-detached"
                .into(),
        ));
    }
    let dirty = repo.dirty_files()?;
    if !dirty.is_empty() && !opts.allow_dirty {
        let list: Vec<String> = dirty.iter().map(|p| format!("  {}", p.display())).collect();
        return Err(Error::Refused(format!(
            "the working tree has uncommitted changes:\n{}\ncommit or stash them first (or pass --allow-dirty; only the bumped files are committed)",
            list.join("\n")
        )));
    }
    let bumped_and_dirty: Vec<String> = dirty
        .iter()
        .filter(|rel| changes.iter().any(|c| c.path == repo.workdir().join(rel)))
        .map(|rel| format!("  {}", rel.display()))
        .collect();
    if !bumped_and_dirty.is_empty() {
        return Err(Error::Refused(format!(
            "files to bump have other uncommitted changes, which would go into the release commit:\n{}\ncommit or stash those changes first (--allow-dirty keeps only other files out of the commit)",
            bumped_and_dirty.join("\n")
        )));
    }
    if let Some(tag) = tag {
        if repo.tag_exists(tag)? {
            return Err(Error::Refused(format!(
                "tag `{tag}` already exists; choose another version or delete the tag"
            )));
        }
    }
    let mut paths = Vec::new();
    for change in changes
        .iter()
        .filter(|c| c.path.starts_with(repo.workdir()))
    {
        if !repo.is_ignored(&change.path)? {
            paths.push(change.path.clone());
        } else {
            ctx.reporter.verbose(&format!(
                "{} is ignored by git: not committed",
                ctx.show(&change.path)
            ));
        }
    }
    Ok((repo, paths))
}

/// The changelog section of the release (rotated, or written ahead), else
/// the commit message.
fn tag_message(
    changes: &[fs::FileChange],
    inv: &Inventory,
    heading: &str,
    fallback: &str,
) -> String {
    let body = inv.changelog.as_ref().filter(|c| c.kept()).and_then(|c| {
        let text = changes
            .iter()
            .find(|ch| ch.path == c.path)
            .map_or(&c.text, |ch| &ch.new);
        crate::changelog::Changelog::parse_as(text, c.format).body(heading)
    });
    match body {
        Some(body) if !body.trim().is_empty() => format!("{fallback}\n\n{body}"),
        _ => fallback.to_string(),
    }
}

/// `SOURCE_DATE_EPOCH` (reproducible builds) when set, else today in local time.
fn changelog_date(given: Option<&str>) -> Result<String, Error> {
    if let Some(date) = given {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(date, format)
            .map_err(|_| Error::Input(format!("--date `{date}` is not a date (YYYY-MM-DD)")))?;
        return Ok(date.to_string());
    }
    let now = match std::env::var(crate::env_vars::EnvVars::SOURCE_DATE_EPOCH)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
    {
        Some(epoch) => time::OffsetDateTime::from_unix_timestamp(epoch)
            .map_err(|_| Error::Input(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range")))?,
        None => {
            time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        }
    };
    let d = now.date();
    Ok(format!(
        "{:04}-{:02}-{:02}",
        d.year(),
        u8::from(d.month()),
        d.day()
    ))
}
