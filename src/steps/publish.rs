//! The publish step. The plan resolves the target, checks every artifact
//! (`check-dist`: nothing is sent otherwise) and names where the credentials
//! come from, with no side effect: no token is minted and nobody is asked. The
//! apply confirms, gets the credentials, uploads (a dry run only reads the
//! index), then polls the index and, with `verify_install`, installs the
//! release into a fresh environment.

mod attest;
mod proof;

use super::{check_dist, Context, Error};
use crate::display::{file_name, human_size};
use crate::dist::Artifact;
use crate::publish::attestation::make::Sigstore;
use crate::publish::attestation::{self, Attestations, Making};
use crate::publish::credentials::{
    self, CredentialRequest, Credentials, Located, Prompt, PromptFn,
};
use crate::publish::install::{self, InstallReport};
use crate::publish::secret::Secret;
use crate::publish::target::{self, Target, TargetRequest};
use crate::publish::upload::{self, Outcome, Progress, UploadOptions};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub files: Vec<PathBuf>,
    pub dist_dir: Option<PathBuf>,
    pub target: TargetRequest,
    pub token: Option<Secret>,
    /// Files uploaded at once after the first; 0: as suits their sizes.
    pub jobs: usize,
    /// Skip the confirmation asked before a production upload on a terminal.
    pub yes: bool,
    pub dry_run: bool,
    pub verify_install: bool,
    /// The files must be the whole release: the sdist, a wheel, and one for
    /// each `[tool.cargo-pypi.release] wheels` pattern (`--complete`).
    pub complete: bool,
    /// How long to wait for the index to list the files.
    pub wait: Duration,
    /// How long a request may go without progress (`--timeout`; default 60 s).
    pub timeout: Option<Duration>,
    /// PEP 740 attestations beside the files, or made: `--attestations`, `--no-attestations`.
    pub attestations: attestation::Mode,
    /// Where attestations are signed (Sigstore's public-good instance).
    pub sigstore: Sigstore,
    /// The environment the step reads (credentials, trusted publishing, the
    /// target's variables); `None`: the process's.
    pub env: Option<Env>,
    /// stdin and stderr are terminals: prompts and confirmation are allowed.
    pub interactive: bool,
    /// Asks for the credentials when no other source has them (the binary's
    /// terminal prompt, when `interactive`).
    pub prompt: Option<PromptFn>,
}

impl Options {
    /// `name` in [`Options::env`], else in the process environment.
    pub fn var(&self, name: &str) -> Option<String> {
        match &self.env {
            Some(Env(vars)) => vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            None => std::env::var(name).ok(),
        }
    }
}

/// Variables given in place of the process environment, as `(name, value)`;
/// `Debug` shows the names only (values may be secrets).
#[derive(Clone, Default)]
pub struct Env(pub Vec<(String, String)>);

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, _)| k))
            .finish()
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub target: String,
    pub upload_url: String,
    pub credentials: Option<String>,
    pub files: Vec<FileOutcome>,
    pub dry_run: bool,
    /// Every file listed by the index with the right sha256.
    pub listed: bool,
    pub release_url: Option<String>,
    pub install: Option<InstallReport>,
}

#[derive(Debug, Serialize)]
pub struct FileOutcome {
    pub file: String,
    pub sha256: String,
    pub outcome: Outcome,
    /// PEP 740 attestations sent with the file (found beside it or made;
    /// none for a file already there), or that would be in a dry run.
    pub attestations: usize,
}

/// Hooks into the terminal: progress, the confirmation question, CI workflow commands.
pub struct Ui<'a> {
    pub progress: &'a dyn Progress,
    pub confirm: &'a dyn Fn(&str) -> bool,
    /// Writes a line for the CI runner (GitHub's `::add-mask::`), on stderr so
    /// that stdout (JSON) stays clean and the token never lands in a redirect.
    pub runner: &'a dyn Fn(&str),
}

/// What a publish will do: computed without a network write, a minted token or a question.
#[derive(Debug)]
pub struct Plan {
    pub target: Target,
    /// Checked, in the order given.
    pub artifacts: Vec<Artifact>,
    /// Where the credentials come from (a deferred source is used at apply).
    pub credentials: Located,
    /// Sent with the files, for this target only.
    pub attestations: Attestations,
    /// Attestations to sign when the upload starts (not in a dry run).
    pub make: Option<Making>,
}

pub fn plan(ctx: &Context, opts: &Options) -> Result<Plan, Error> {
    let files = super::artifacts::given_or_found(ctx, &opts.files, opts.dist_dir.as_deref())?;
    let refused = |e: attestation::AttestationError| Error::Refused(e.to_string());
    let files = attestation::without_attestation_files(&files).map_err(refused)?;
    let (target, credentials) = locate(ctx, opts)?;
    let artifacts = checked_artifacts(files, &target)?;
    if opts.complete {
        let fix = "download every job's files into --dist-dir (subfolders count), or leave out --complete";
        expected_set(&artifacts, &release_patterns(ctx)?, fix)?;
    }
    let env = |key: &str| opts.var(key);
    let decision = attestation::plan(
        opts.attestations,
        &target,
        credentials.source(),
        &artifacts,
        &env,
    )
    .map_err(refused)?;
    if let Some(warning) = &decision.warning {
        ctx.reporter.warn(warning);
    }
    let attested = decision.attestations.files();
    if !attested.is_empty() {
        ctx.reporter
            .verbose(&format!("attestations sent with {}", attested.join(", ")));
    }
    Ok(Plan {
        target,
        artifacts,
        credentials,
        attestations: decision.attestations,
        make: decision.make,
    })
}

/// The target and where its credentials come from, without using them (no
/// token minted, nobody asked): what a release checks before it changes anything.
pub fn locate(ctx: &Context, opts: &Options) -> Result<(Target, Located), Error> {
    let mut target_request = opts.target.clone();
    if target_request.env.is_none() {
        target_request.env = opts.env.as_ref().map(|e| e.0.clone());
    }
    // The selected package's repositories; with several and no -p, or none
    // (artifacts published outside a checkout), none.
    if target_request.pyproject.is_none() && !ctx.project.packages.is_empty() {
        if let [package] = ctx.project.select(ctx.package.as_deref())?.as_slice() {
            target_request.pyproject = Some(package.file.path.clone());
        }
    }
    let target = target::resolve(&target_request)?;
    ctx.reporter.verbose(&format!(
        "target {} from {}",
        target.upload_url, target.source
    ));
    let env = |key: &str| opts.var(key);
    for note in credentials::vars::left_out(&target, &env) {
        ctx.reporter.verbose(&note);
    }
    let credentials = credentials::locate(&credential_request(ctx, opts, &target, &env))?;
    ctx.reporter
        .verbose(&format!("credentials from {}", credentials.source()));
    Ok((target, credentials))
}

/// Uploads what the plan holds (a dry run reads the index and sends nothing), then proves it.
pub fn apply(ctx: &Context, plan: &Plan, opts: &Options, ui: &Ui) -> Result<Report, Error> {
    let Plan {
        target, artifacts, ..
    } = plan;
    confirm_production(target, artifacts, opts, ui)?;
    let credentials = credentials_for(ctx, plan, opts, ui)?;
    let upload_options = UploadOptions {
        jobs: opts.jobs,
        dry_run: opts.dry_run,
        timeout: opts.timeout.unwrap_or(UploadOptions::default().timeout),
        attestations: attest::attestations(ctx, plan, opts, ui, &credentials)?,
        ..UploadOptions::default()
    };
    // The simple index is found (devpi's `…/+simple/`) while the upload
    // lists the projects; the wait, the address and the install use it.
    let uploaded = upload::upload_finding(
        target,
        &credentials,
        artifacts,
        &upload_options,
        ui.progress,
    );
    mask_renewed(&credentials, opts, ui);
    let (found, outcomes) = uploaded?;
    let target = &found.target;
    let mut report = report(plan, &found, &credentials, &outcomes, &upload_options);
    if opts.dry_run {
        return Ok(report);
    }
    ctx.reporter.status(
        "Waiting",
        &format!("for {} to list the files", target.index_url),
    );
    let sent = report
        .files
        .iter()
        .filter(|f| f.outcome == Outcome::Uploaded)
        .count();
    let after_upload = |e: Error| Error::AfterUpload {
        uploaded: sent,
        source: Box::new(e),
    };
    upload::wait_until_found_lists(
        &found,
        &credentials,
        artifacts,
        opts.wait,
        &upload_options,
        ui.progress,
    )
    .map_err(|e| after_upload(e.into()))?;
    report.listed = true;
    let (name, version) = (&artifacts[0].name, &artifacts[0].version);
    report.release_url = Some(proof::release_url(target, name, version));
    if opts.verify_install {
        ctx.reporter.status(
            "Verifying",
            &format!("{name}=={version} installs from {}", target.index_url),
        );
        report.install = Some(
            install::verify_install(&proof::install_request(target, &credentials, name, version))
                .map_err(|e| after_upload(e.into()))?,
        );
    }
    Ok(report)
}

/// The sdist, at least one wheel, and a wheel for every platform pattern; a
/// missing one stops the upload before anything is sent, saying `fix`.
pub fn expected_set(artifacts: &[Artifact], patterns: &[String], fix: &str) -> Result<(), Error> {
    let missing = crate::dist::missing_from_set(artifacts, patterns)
        .map_err(|e| Error::Input(format!("`tool.cargo-pypi.release.wheels`: {e}")))?;
    match missing.is_empty() {
        true => Ok(()),
        false => Err(Error::Refused(format!(
            "the release is missing {}; nothing was uploaded: {fix}",
            missing.join(", ")
        ))),
    }
}

/// `[tool.cargo-pypi.release] wheels` of the package worked on; none outside
/// a checkout (or with several packages and no -p).
fn release_patterns(ctx: &Context) -> Result<Vec<String>, Error> {
    if ctx.project.packages.is_empty() {
        return Ok(Vec::new());
    }
    let selected = ctx.project.select(ctx.package.as_deref())?;
    Ok(match selected.as_slice() {
        [package] => package.config.release.wheels.clone(),
        _ => Vec::new(),
    })
}

/// Reads and checks every file; any error stops the publish before a byte is sent.
/// PyPI's 100 MiB size limit applies to PyPI and TestPyPI only: other indexes set their own.
fn checked_artifacts(files: Vec<PathBuf>, target: &Target) -> Result<Vec<Artifact>, Error> {
    let mut plan = check_dist::plan(None, &files, None)?;
    if !(target.is_pypi() || target.is_testpypi()) {
        plan.options.max_size = u64::MAX;
    }
    check_dist::apply(&plan)?.into_clean()
}

fn credential_request<'a>(
    ctx: &Context,
    opts: &'a Options,
    target: &'a Target,
    env: &'a dyn Fn(&str) -> Option<String>,
) -> CredentialRequest<'a> {
    CredentialRequest {
        target,
        token: opts.token.clone(),
        repo_root: ctx.project.root.clone(),
        env,
        prompt: opts.prompt.as_ref().map(|ask| ask as &Prompt),
        pypirc: opts.target.pypirc.clone(),
    }
}

/// The planned credentials; a deferred source is used now, except trusted
/// publishing in a dry run, which lists the index without a login (PyPI's
/// listing is public).
fn credentials_for(
    ctx: &Context,
    plan: &Plan,
    opts: &Options,
    ui: &Ui,
) -> Result<Credentials, Error> {
    let source = match &plan.credentials {
        Located::Ready(credentials) => return Ok(credentials.clone()),
        Located::Deferred { source } => source,
    };
    // A dry run mints no token; it does ask at the prompt, as a real run
    // would, since a private index may want the login to list its files.
    if opts.dry_run && source != credentials::PROMPT_SOURCE {
        return Ok(Credentials {
            username: "__token__".into(),
            password: Secret::new(""),
            source: format!("{source} (not used in a dry run)"),
            renewal: None,
        });
    }
    let env = |key: &str| opts.var(key);
    let credentials = credentials::find(&credential_request(ctx, opts, &plan.target, &env))?;
    // A token minted by trusted publishing is new to the runner: mask it in the log.
    // (Tokens from `secrets.*` are masked by GitHub already.)
    let minted = credentials::is_trusted_publishing(&credentials.source);
    if let Some(line) =
        credentials::oidc::github_mask_line(&credentials.password, &env).filter(|_| minted)
    {
        (ui.runner)(&line);
    }
    Ok(credentials)
}

/// What became of each file, before the index is polled.
fn report(
    plan: &Plan,
    found: &upload::Found,
    credentials: &Credentials,
    outcomes: &[(PathBuf, Outcome)],
    options: &UploadOptions,
) -> Report {
    let file = |a: &Artifact, outcome: &Outcome| FileOutcome {
        attestations: match outcome {
            Outcome::AlreadyThere => 0,
            _ => options.attestations.count(&file_name(&a.path)),
        },
        file: file_name(&a.path),
        sha256: a.sha256.clone(),
        outcome: outcome.clone(),
    };
    Report {
        target: found.target.name.clone(),
        upload_url: found.target.upload_url.to_string(),
        credentials: Some(credentials.source.clone()),
        files: (plan.artifacts.iter().zip(outcomes))
            .map(|(a, (_, outcome))| file(a, outcome))
            .collect(),
        dry_run: options.dry_run,
        listed: false,
        release_url: None,
        install: None,
    }
}

/// Masks the tokens trusted publishing minted during the upload, for the
/// job's later steps (the first was masked when it was minted; none is ever
/// printed here).
fn mask_renewed(credentials: &Credentials, opts: &Options, ui: &Ui) {
    let Some(renewal) = &credentials.renewal else {
        return;
    };
    let env = |key: &str| opts.var(key);
    for token in renewal.issued().iter().skip(1) {
        if let Some(line) = credentials::oidc::github_mask_line(token, &env) {
            (ui.runner)(&line);
        }
    }
}

fn confirm_production(
    target: &Target,
    artifacts: &[Artifact],
    opts: &Options,
    ui: &Ui,
) -> Result<(), Error> {
    if !target.production || opts.yes || opts.dry_run || !opts.interactive {
        return Ok(());
    }
    let list: Vec<String> = artifacts
        .iter()
        .map(|a| format!("  {} ({})", file_name(&a.path), human_size(a.size)))
        .collect();
    let question = format!(
        "upload to {} (files cannot be replaced once there):\n{}\nproceed?",
        target.name,
        list.join("\n")
    );
    match (ui.confirm)(&question) {
        true => Ok(()),
        false => Err(Error::Refused(
            "upload cancelled; nothing was sent (pass --yes to skip the question)".into(),
        )),
    }
}
