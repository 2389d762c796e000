//! Command-line types (clap derive) and their translation into library options.
//! Nothing here does work; `main.rs` dispatches.

use crate::ui::Verbosity;
use cargo_pypi::commands::bump::{Options, Target};
use cargo_pypi::commands::{build, check_dist, init, publish, release};
use cargo_pypi::publish::attestation;
use cargo_pypi::publish::secret::Secret;
use cargo_pypi::publish::target::TargetRequest;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Cargo runs `cargo-pypi pypi <args>`; the root is named `cargo` like cargo-release.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap_cargo_styles())]
pub enum Cargo {
    Pypi(Pypi),
}

/// Release a Rust crate shipped as a Python package: versions in lockstep,
/// build, check and publish.
#[derive(Debug, Args)]
#[command(version, about, long_about = None)]
pub struct Pypi {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Path to Cargo.toml or pyproject.toml (default: the current directory)
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Python package (or crate) to act on, when the repository has several
    #[arg(short = 'p', long, global = true, value_name = "NAME")]
    pub package: Option<String>,
    /// Say more (-vv for even more)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Say nothing but errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Coloring; `auto` honours NO_COLOR and whether stderr is a terminal
    #[arg(long, value_enum, global = true, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
    /// Output format for results
    #[arg(long, value_enum, global = true, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// `publish --attestations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Attestations {
    Auto,
    Require,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show every place the version lives, its value, and whether they agree
    Status,
    /// Check that every version source agrees (read-only; the pre-commit hook)
    Check,
    /// Move the version everywhere it lives, in lockstep
    Bump(BumpArgs),
    /// Build the sdist and a wheel for this machine (the wheel from the sdist)
    Build(BuildArgs),
    /// Check wheels and sdists for what PyPI would reject
    CheckDist(CheckDistArgs),
    /// Upload the release to PyPI (or another index), then prove it is there
    Publish(PublishArgs),
    /// Say whether this repository and machine are ready to release, and what to fix
    Doctor,
    /// Bump, commit, build, check, upload to staging and production, tag and push: resumable
    Release(ReleaseArgs),
    /// Set the repository up: config, .gitignore, pre-commit hook, release workflow
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// major, minor, patch, alpha, beta, rc, post, dev, release, or a version; none to go on
    /// with the release in progress
    #[arg(value_name = "LEVEL|VERSION")]
    pub target: Option<String>,
    /// Run every check and show every step, changing and sending nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Do not ask before starting (for CI)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Take the artifacts in DIR (e.g. wheels built by CI) instead of building here
    #[arg(long, value_name = "DIR")]
    pub dist: Option<PathBuf>,
    /// Upload to production only (no staging index)
    #[arg(long)]
    pub no_staging: bool,
    /// Stop after the push (CI publishes on the tag)
    #[arg(long)]
    pub no_publish: bool,
    /// Do not push the release commit and tag
    #[arg(long)]
    pub no_push: bool,
    /// Make no GitHub release
    #[arg(long)]
    pub no_github_release: bool,
    /// Drop the release in progress (nothing published is undone)
    #[arg(long, conflicts_with = "target")]
    pub abort: bool,
    /// Date for the changelog heading, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Files uploaded at once after the first [default: 4, up to 8 for small files]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Seconds to wait for each index to list the uploaded files
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub wait: u64,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write nothing; exit 1 when the files init writes differ from what this version writes
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Show the diff and write nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Files to upload, or folders to take the release's files from [default: this version's artifacts in dist/]
    #[arg(value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Folder to look in when no file is given [default: dist/ beside pyproject.toml]
    #[arg(long, value_name = "DIR")]
    pub dist_dir: Option<PathBuf>,
    /// `pypi`, `testpypi`, or a repository named in ~/.pypirc or [tool.cargo-pypi.repositories]
    #[arg(long, short = 'r', value_name = "NAME")]
    pub repository: Option<String>,
    /// Upload URL of any other index (legacy upload API)
    #[arg(long, value_name = "URL", conflicts_with = "repository")]
    pub repository_url: Option<String>,
    /// Simple-index URL of that index [default: derived from the upload URL]
    #[arg(long, value_name = "URL")]
    pub index_url: Option<String>,
    /// API token (prefer an environment variable: a flag shows in the process list)
    #[arg(long, value_name = "TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Files uploaded at once after the first [default: 4, up to 8 for small files]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Do not ask before uploading to PyPI
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Do everything but the upload itself
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// twine's spelling of what always happens: a file already on the index with the same
    /// sha256 counts as uploaded (other contents under its name still stop the upload)
    #[arg(long)]
    pub skip_existing: bool,
    /// Install the release into a fresh virtual environment from the index and run it
    #[arg(long)]
    pub verify_install: bool,
    /// Refuse unless the files are the whole release: the sdist, a wheel, and one for each
    /// [tool.cargo-pypi.release] wheels pattern (the release workflow's publish job)
    #[arg(long)]
    pub complete: bool,
    /// Seconds to wait for the index to list the uploaded files
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub wait: u64,
    /// Seconds a request may go without a byte sent or received before it is retried
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// PEP 740 attestations: those beside the files (NAME.publish.attestation), and one
    /// made through Sigstore for each file without one when the job can sign (GitHub
    /// Actions, GitLab CI with SIGSTORE_ID_TOKEN). `auto` sends them where the index takes
    /// them (PyPI, TestPyPI, trusted publishing); `require` refuses to upload otherwise,
    /// or unless every file has one
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = Attestations::Auto)]
    pub attestations: Attestations,
    /// Never read, make or send attestations
    #[arg(long, conflicts_with = "attestations")]
    pub no_attestations: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder [default: dist/ beside pyproject.toml]
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Build in the current environment instead of an isolated one (python -m build)
    #[arg(long)]
    pub no_isolation: bool,
}

#[derive(Debug, Args)]
pub struct CheckDistArgs {
    /// Wheels and sdists to check, or folders to take the release's files from [default: this version's artifacts in dist/]
    #[arg(value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Folder to look in when no file is given [default: dist/ beside pyproject.toml]
    #[arg(long, value_name = "DIR")]
    pub dist_dir: Option<PathBuf>,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct BumpArgs {
    /// major, minor, patch, alpha, beta, rc, post, dev, release, or a version (1.4.0-rc.1 or 1.4.0rc1)
    #[arg(value_name = "LEVEL|VERSION")]
    pub target: Target,
    /// Show the diff and write nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Commit the bumped files (default from `tool.cargo-pypi.commit`)
    #[arg(long, overrides_with = "no_commit")]
    pub commit: bool,
    /// Do not commit, whatever `tool.cargo-pypi.commit` says
    #[arg(long, overrides_with = "commit")]
    pub no_commit: bool,
    /// Commit and create an annotated tag (default from `tool.cargo-pypi.tag`)
    #[arg(long, overrides_with = "no_tag")]
    pub tag: bool,
    /// Do not tag, whatever `tool.cargo-pypi.tag` says
    #[arg(long, overrides_with = "tag")]
    pub no_tag: bool,
    /// Bump even if sources disagree, taking the crate's version as the current one; with a
    /// VERSION, also when the current version cannot be read (every source gets VERSION)
    #[arg(long)]
    pub force: bool,
    /// Commit even if other tracked files have uncommitted changes (they stay out of the commit)
    #[arg(long)]
    pub allow_dirty: bool,
    /// Commit even if HEAD is detached (the commit is on no branch)
    #[arg(long)]
    pub allow_detached: bool,
    /// Date for the changelog heading, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Leave the changelog alone this once
    #[arg(long)]
    pub no_changelog: bool,
}

impl Global {
    pub fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, 0) => Verbosity::Normal,
            (false, 1) => Verbosity::Verbose,
            _ => Verbosity::Debug,
        }
    }

    pub fn color(&self) -> anstream::ColorChoice {
        match self.color {
            // anstream's auto honours NO_COLOR, CLICOLOR_FORCE and whether stderr is a tty.
            Color::Auto => anstream::ColorChoice::Auto,
            Color::Always => anstream::ColorChoice::Always,
            Color::Never => anstream::ColorChoice::Never,
        }
    }

    pub fn json(&self) -> bool {
        self.format == Format::Json
    }
}

impl PublishArgs {
    /// `interactive`: stdin and stderr are terminals.
    pub fn options(&self, interactive: bool) -> publish::Options {
        publish::Options {
            files: self.files.clone(),
            dist_dir: self.dist_dir.clone(),
            target: TargetRequest {
                repository: self.repository.clone(),
                repository_url: self.repository_url.clone(),
                index_url: self.index_url.clone(),
                pyproject: None,
                pypirc: None,
                env: None,
            },
            token: self.token.clone().map(Secret::new),
            jobs: self.jobs.unwrap_or(0),
            yes: self.yes,
            dry_run: self.dry_run,
            verify_install: self.verify_install,
            complete: self.complete,
            wait: std::time::Duration::from_secs(self.wait),
            timeout: Some(std::time::Duration::from_secs(self.timeout)),
            attestations: match (self.no_attestations, self.attestations) {
                (true, _) => attestation::Mode::Off,
                (false, Attestations::Require) => attestation::Mode::Require,
                (false, Attestations::Auto) => attestation::Mode::Auto,
            },
            sigstore: Default::default(),
            env: None,
            interactive,
            prompt: None,
        }
    }
}

impl ReleaseArgs {
    /// `interactive`: stdin and stderr are terminals.
    pub fn options(&self, interactive: bool) -> Result<release::Options, String> {
        let target = self
            .target
            .as_deref()
            .map(str::parse::<Target>)
            .transpose()?;
        Ok(release::Options {
            target,
            requested: self.target.clone(),
            dry_run: self.dry_run,
            dist: self.dist.clone(),
            no_staging: self.no_staging,
            no_publish: self.no_publish,
            no_push: self.no_push,
            no_github_release: self.no_github_release,
            date: self.date.clone(),
            publish: publish::Options {
                jobs: self.jobs.unwrap_or(0),
                yes: self.yes,
                wait: std::time::Duration::from_secs(self.wait),
                interactive,
                ..publish::Options::default()
            },
        })
    }
}

impl InitArgs {
    pub fn options(&self) -> init::Options {
        init::Options {
            dry_run: self.dry_run,
            check: self.check,
        }
    }
}

impl BuildArgs {
    pub fn options(&self, global: &Global) -> build::Options {
        build::Options {
            out_dir: self.out_dir.clone(),
            no_isolation: self.no_isolation,
            quiet: global.quiet || global.json(),
        }
    }
}

impl CheckDistArgs {
    pub fn options(&self) -> check_dist::Options {
        check_dist::Options {
            files: self.files.clone(),
            dist_dir: self.dist_dir.clone(),
            strict: self.strict,
        }
    }
}

impl BumpArgs {
    pub fn options(&self) -> Options {
        Options {
            dry_run: self.dry_run,
            commit: flag(self.commit, self.no_commit),
            tag: flag(self.tag, self.no_tag),
            force: self.force,
            allow_dirty: self.allow_dirty,
            allow_detached: self.allow_detached,
            date: self.date.clone(),
            no_changelog: self.no_changelog,
        }
    }
}

fn flag(yes: bool, no: bool) -> Option<bool> {
    match (yes, no) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

fn clap_cargo_styles() -> clap::builder::Styles {
    use anstyle::{AnsiColor, Style};
    clap::builder::Styles::styled()
        .header(AnsiColor::Green.on_default().bold())
        .usage(AnsiColor::Green.on_default().bold())
        .literal(AnsiColor::Cyan.on_default().bold())
        .placeholder(AnsiColor::Cyan.on_default())
        .error(AnsiColor::Red.on_default().bold())
        .valid(Style::new().bold())
}
