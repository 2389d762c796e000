//! The attestations that go with the upload: those found beside the files,
//! and those the plan makes, signed through Sigstore when the upload starts.

use super::{Context, Error, Options, Plan, Ui};
use crate::display::file_name;
use crate::publish::attestation::make::{self, Subject};
use crate::publish::attestation::{self, Attestations, Making};
use crate::publish::credentials::{self, Credentials};
use crate::publish::upload::{self, NoProgress, Outcome, UploadOptions};
use std::time::Duration;

/// The attestations found, with those the plan makes signed now, once the
/// index has taken the job's identity (its token is minted) and before the
/// first file is sent, for the files the index does not hold yet (a re-run
/// signs only what it sends). A dry run signs nothing: each signature is an
/// entry in a public log. When signing fails the files go without the
/// attestations made, with a warning, or, with `--attestations=require`,
/// nothing is sent.
pub(super) fn attestations(
    ctx: &Context,
    plan: &Plan,
    opts: &Options,
    ui: &Ui,
    credentials: &Credentials,
) -> Result<Attestations, Error> {
    let mut attestations = plan.attestations.clone();
    let Some(making) = &plan.make else {
        return Ok(attestations);
    };
    let timeout = opts.timeout.unwrap_or(UploadOptions::default().timeout);
    let subjects = match opts.dry_run {
        true => making.subjects.clone(),
        false => pending(plan, making, credentials, timeout)?,
    };
    if subjects.is_empty() {
        return Ok(attestations);
    }
    let names: Vec<&str> = subjects.iter().map(|s| s.name.as_str()).collect();
    let what = format!(
        "{} with the identity of this {} job, through Sigstore",
        names.join(", "),
        making.provider.describe()
    );
    if opts.dry_run {
        ctx.reporter
            .status("Attesting", &format!("{what} (skipped in a dry run)"));
        return Ok(attestations);
    }
    ctx.reporter.status("Attesting", &what);
    let env = |key: &str| opts.var(key);
    let signed = credentials::oidc::id_token::for_sigstore(making.provider, &env)
        .map_err(|e| e.to_string())
        .and_then(|id_token| {
            if let Some(line) = credentials::oidc::github_mask_line(&id_token, &env) {
                (ui.runner)(&line);
            }
            make::sign_all(&opts.sigstore, &id_token, &subjects, timeout).map_err(|e| e.to_string())
        });
    match signed {
        Ok(made) => {
            for (subject, attestation) in subjects.iter().zip(&made) {
                attestations.add(&subject.name, attestation);
            }
        }
        Err(why) if opts.attestations == attestation::Mode::Require => {
            return Err(Error::Refused(format!(
                "--attestations=require: {why}; nothing was uploaded: run the publish again \
                 once Sigstore answers, or leave out --attestations=require"
            )))
        }
        Err(why) => ctx.reporter.warn(&format!(
            "sending the files without the attestations that could not be made: {why} \
             (--no-attestations skips making them)"
        )),
    }
    Ok(attestations)
}

/// The files to attest that the index does not hold yet, from its listing
/// (read as a dry run reads it; the upload reads it again).
fn pending(
    plan: &Plan,
    making: &Making,
    credentials: &Credentials,
    timeout: Duration,
) -> Result<Vec<Subject>, Error> {
    let listing = UploadOptions {
        dry_run: true,
        timeout,
        ..UploadOptions::default()
    };
    let outcomes = upload::upload_all(
        &plan.target,
        credentials,
        &plan.artifacts,
        &listing,
        &NoProgress,
    )?;
    let there: Vec<String> = outcomes
        .iter()
        .filter(|(_, outcome)| *outcome == Outcome::AlreadyThere)
        .map(|(path, _)| file_name(path))
        .collect();
    let subjects = making.subjects.iter();
    Ok(subjects
        .filter(|s| !there.contains(&s.name))
        .cloned()
        .collect())
}
