//! The attestations that go with the upload: those found beside the files,
//! and those the plan makes, signed through Sigstore when the upload starts.

use super::{Context, Error, Options, Plan, Ui};
use crate::publish::attestation::{self, make, Attestations};
use crate::publish::credentials;
use std::time::Duration;

/// The attestations found, with those the plan makes signed now, once the
/// index has taken the job's identity (its token is minted) and before the
/// first file is sent. A dry run signs nothing: each signature is an entry in
/// a public log. When signing fails the files go without the attestations
/// made, with a warning, or, with `--attestations=require`, nothing is sent.
pub(super) fn attestations(
    ctx: &Context,
    plan: &Plan,
    opts: &Options,
    ui: &Ui,
    timeout: Duration,
) -> Result<Attestations, Error> {
    let mut attestations = plan.attestations.clone();
    let Some(making) = &plan.make else {
        return Ok(attestations);
    };
    let names: Vec<&str> = making.subjects.iter().map(|s| s.name.as_str()).collect();
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
            make::sign_all(&opts.sigstore, &id_token, &making.subjects, timeout)
                .map_err(|e| e.to_string())
        });
    match signed {
        Ok(made) => {
            for (subject, attestation) in making.subjects.iter().zip(&made) {
                attestations.add(&subject.name, attestation);
            }
        }
        Err(why) if opts.attestations == attestation::Mode::Require => {
            return Err(Error::Refused(format!(
                "--attestations=require: {why}; nothing was uploaded"
            )))
        }
        Err(why) => ctx.reporter.warn(&format!(
            "sending the files without the attestations that could not be made: {why} \
             (--no-attestations skips making them)"
        )),
    }
    Ok(attestations)
}
