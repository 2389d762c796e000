//! Which attestations go to the index: those found beside the files, and
//! those to make (a publish attestation for each file without one) where the
//! index takes them and this job can sign; what is left out, and why, in a
//! warning; or, with `--attestations=require`, a refusal before anything is sent.

use super::make::Subject;
use super::statement::PUBLISH_V1;
use super::{AttestationError, Attestations, Found, Mode};
use crate::display::file_name;
use crate::dist::Artifact;
use crate::publish::credentials::oidc::Provider;
use crate::publish::target::Target;

/// What to send, what to make, and the warning for what is left out.
#[derive(Debug, Default)]
pub struct Decision {
    /// Found beside the files; the ones made are added when the upload starts.
    pub attestations: Attestations,
    pub make: Option<Making>,
    pub warning: Option<String>,
}

/// Publish attestations to make through Sigstore, with the CI job's identity.
#[derive(Debug, Clone)]
pub struct Making {
    pub provider: Provider,
    /// The files without a publish attestation beside them, in upload order.
    pub subjects: Vec<Subject>,
}

/// What goes to `target`: with `mode`, the credentials from
/// `credentials_source` (`trusted publishing (…)` when minted by trusted
/// publishing), the attestations `found` for each artifact, and whether this
/// job can sign (`signing`: the provider of its identity, or why not).
pub fn decide(
    mode: Mode,
    target: &Target,
    credentials_source: &str,
    artifacts: &[Artifact],
    found: &[Vec<Found>],
    signing: &Result<Provider, String>,
) -> Result<Decision, AttestationError> {
    if mode == Mode::Off {
        return Ok(Decision::default());
    }
    let upload_url = target.upload_url.without_credentials().to_string();
    let names: Vec<String> = artifacts.iter().map(|a| file_name(&a.path)).collect();
    let refusal = refusal(target, credentials_source);
    let unattested = unattested(&names, found);
    // Made where the index takes them and this job can sign.
    let make = match (&refusal, signing, unattested.is_empty()) {
        (None, Ok(provider), false) => Some(Making {
            provider: *provider,
            subjects: subjects(&unattested, &names, artifacts),
        }),
        _ => None,
    };
    let cannot_sign = match (&refusal, signing) {
        (None, Err(why)) if !unattested.is_empty() => Some(why.clone()),
        _ => None,
    };
    if mode == Mode::Require {
        require(
            &names,
            found,
            &refusal,
            make.is_some(),
            cannot_sign.as_deref(),
        )?;
    }
    let with: Vec<&str> = names
        .iter()
        .zip(found)
        .filter(|(_, f)| !f.is_empty())
        .map(|(n, _)| n.as_str())
        .collect();
    if let Some(why) = refusal {
        let warning = (!with.is_empty()).then(|| {
            format!(
                "leaving out the attestations of {}: {why} (--no-attestations leaves them out without this warning)",
                with.join(", ")
            )
        });
        return Ok(Decision {
            warning,
            ..Decision::default()
        });
    }
    let warning = cannot_sign.map(|why| {
        let files: Vec<&str> = unattested.iter().map(|&i| names[i].as_str()).collect();
        format!(
            "no attestation can be made for {}: {why} (--no-attestations leaves them out without this warning)",
            files.join(", ")
        )
    });
    let fields = names
        .into_iter()
        .zip(found)
        .filter(|(_, f)| !f.is_empty())
        .map(|(name, f)| (name, field(f)))
        .collect();
    Ok(Decision {
        attestations: Attestations { upload_url, fields },
        make,
        warning,
    })
}

/// The artifacts (indexes) without a publish attestation found, each file
/// name once (a file given twice is uploaded once).
fn unattested(names: &[String], found: &[Vec<Found>]) -> Vec<usize> {
    let mut seen = std::collections::HashSet::new();
    (0..names.len())
        .filter(|&i| !found[i].iter().any(|f| f.predicate_type == PUBLISH_V1))
        .filter(|&i| seen.insert(names[i].as_str()))
        .collect()
}

fn subjects(indexes: &[usize], names: &[String], artifacts: &[Artifact]) -> Vec<Subject> {
    let subject = |i: usize| Subject {
        name: names[i].clone(),
        sha256: artifacts[i].sha256.clone(),
    };
    indexes.iter().map(|&i| subject(i)).collect()
}

/// `--attestations=require`: every file has an attestation found or made,
/// for an index that takes them; else the refusal, naming what is missing.
fn require(
    names: &[String],
    found: &[Vec<Found>],
    refusal: &Option<String>,
    making: bool,
    cannot_sign: Option<&str>,
) -> Result<(), AttestationError> {
    let mut why: Vec<String> = refusal.iter().cloned().collect();
    let without: Vec<&str> = names
        .iter()
        .zip(found)
        .filter(|(_, f)| f.is_empty() && !making)
        .map(|(n, _)| n.as_str())
        .collect();
    if !without.is_empty() {
        let cause = match cannot_sign {
            Some(cannot) => format!(", and none can be made: {cannot}"),
            None => String::new(),
        };
        why.push(format!(
            "no attestation beside {} (`NAME.publish.attestation`){cause}",
            without.join(", ")
        ));
    }
    match why.is_empty() {
        true => Ok(()),
        false => Err(AttestationError(format!(
            "--attestations=require: {}; nothing was uploaded: publish with trusted \
             publishing to PyPI or TestPyPI, from a CI job that can sign (GitHub Actions, or \
             GitLab CI with SIGSTORE_ID_TOKEN) or with each file's attestation beside it, or \
             leave out --attestations=require",
            why.join("; ")
        ))),
    }
}

/// Why `target` would refuse attestations from these credentials, if it would.
fn refusal(target: &Target, credentials_source: &str) -> Option<String> {
    if !(target.is_pypi() || target.is_testpypi()) {
        return Some(format!(
            "only PyPI and TestPyPI take attestations, and {} is neither",
            target.upload_url
        ));
    }
    if !crate::publish::credentials::is_trusted_publishing(credentials_source) {
        return Some(format!(
            "{} takes attestations only with trusted publishing, and the credentials come from {credentials_source}",
            target.name
        ));
    }
    None
}

/// The form field: a JSON array of the attestation objects, compact.
pub(super) fn field(found: &[Found]) -> String {
    let values: Vec<serde_json::Value> = found
        .iter()
        .map(|f| serde_json::from_str(&f.text).expect("checked JSON"))
        .collect();
    serde_json::Value::Array(values).to_string()
}
