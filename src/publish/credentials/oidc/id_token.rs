//! The CI provider's OIDC ID token for an audience: requested from GitHub
//! Actions' endpoint, or read from the variable GitLab CI sets from the job's
//! `id_tokens:`. Trusted publishing asks for the index's audience; signing an
//! attestation asks Sigstore's (`sigstore`).

use super::{client, json_string, pypi_message, send, OidcError, Provider};
use crate::env_vars::EnvVars;
use crate::publish::secret::{Redactor, Secret};
use crate::publish::url::percent_encode;
use reqwest::header::{HeaderValue, AUTHORIZATION};

/// The audience of an ID token for Sigstore's certificate authority.
pub const SIGSTORE_AUDIENCE: &str = "sigstore";

/// A GitHub Actions ID token for `audience`, from `ACTIONS_ID_TOKEN_REQUEST_URL`.
pub fn github(
    env: &dyn Fn(&str) -> Option<String>,
    audience: &str,
    redactor: &Redactor,
) -> Result<Secret, OidcError> {
    let fail = |message: String| OidcError(redactor.redact(&message));
    let base = env(EnvVars::ACTIONS_ID_TOKEN_REQUEST_URL).unwrap_or_default();
    let token = env(EnvVars::ACTIONS_ID_TOKEN_REQUEST_TOKEN).unwrap_or_default();
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}audience={}", percent_encode(audience));
    let what = "GitHub's ID-token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL)";
    let mut header = HeaderValue::from_str(&format!("bearer {}", token.trim())).map_err(|_| {
        fail("ACTIONS_ID_TOKEN_REQUEST_TOKEN is not a valid header value; check the job's environment".into())
    })?;
    header.set_sensitive(true);
    let request = client(&url)?.get(&url).header(AUTHORIZATION, header);
    let (status, body) = send(request, what, redactor)?;
    if !status.is_success() {
        return Err(fail(format!(
            "{what} refused to issue an ID token: HTTP {status}{} (audience `{audience}`); \
             check that the job has `permissions: id-token: write`",
            pypi_message(&body)
        )));
    }
    let value = json_string(&body, "value").filter(|v| !v.is_empty());
    let value =
        value.ok_or_else(|| fail(format!("{what} answered without a `value`; retry the job")))?;
    Ok(Secret::new(value))
}

/// Whether an ID token for Sigstore can be had here, without asking for one:
/// on GitHub Actions when the job may request ID tokens, on GitLab CI when
/// `SIGSTORE_ID_TOKEN` is set. `Err` says why not and how to enable it.
pub fn sigstore_available(
    provider: Provider,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), String> {
    match provider {
        Provider::GitHubActions => Ok(()),
        Provider::GitLabCi
            if env(EnvVars::SIGSTORE_ID_TOKEN).is_some_and(|v| !v.trim().is_empty()) =>
        {
            Ok(())
        }
        Provider::GitLabCi => Err(format!(
            "{} is not set: declare it under `id_tokens:` with `aud: {SIGSTORE_AUDIENCE}` in \
             .gitlab-ci.yml",
            EnvVars::SIGSTORE_ID_TOKEN
        )),
    }
}

/// An ID token for Sigstore (audience `sigstore`): requested on GitHub
/// Actions, read from `SIGSTORE_ID_TOKEN` on GitLab CI.
pub fn for_sigstore(
    provider: Provider,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Secret, OidcError> {
    let mut redactor = Redactor::new();
    for name in [
        EnvVars::ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        EnvVars::SIGSTORE_ID_TOKEN,
    ] {
        if let Some(value) = env(name) {
            redactor.add(&Secret::new(value));
        }
    }
    match provider {
        Provider::GitHubActions => github(env, SIGSTORE_AUDIENCE, &redactor),
        Provider::GitLabCi => {
            sigstore_available(provider, env).map_err(OidcError)?;
            let jwt = env(EnvVars::SIGSTORE_ID_TOKEN).unwrap_or_default();
            Ok(Secret::new(jwt.trim()))
        }
    }
}
