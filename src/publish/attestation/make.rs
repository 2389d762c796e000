//! Making PEP 740 publish attestations, keylessly through Sigstore, as
//! gh-action-pypi-publish does (twine and uv only send ones made elsewhere):
//! for each file, the publish statement ([`super::statement`]) is signed in a
//! DSSE envelope with a fresh key whose certificate the certificate authority
//! (Fulcio) issues for the CI job's OIDC identity, the signature is entered
//! in the transparency log (Rekor), and the resulting Sigstore bundle is
//! turned into PEP 740's attestation object ([`from_bundle`]), which is
//! checked as any attestation file is before it is sent.
//!
//! The signing is `sigstore-sign`'s (Sigstore's Rust client). It runs on a
//! small runtime of its own, a few files at a time, with one HTTP client
//! carrying cargo-pypi's user agent and timeout. The services are the public
//! ones PyPI trusts, Fulcio and Rekor v1, without a timestamp authority: PEP
//! 740's attestation object has no place for an RFC 3161 timestamp, the log
//! entry's integrated time serves instead.

use super::shape;
use super::statement::publish_statement;
use crate::publish::secret::{Redactor, Secret};
use base64::Engine;
use serde_json::{json, Value};
use sigstore_sign::oidc::IdentityToken;
use sigstore_sign::{Signer, SigningContext, SigningServices};
use std::time::Duration;

/// The Sigstore instance that signs: its certificate authority and transparency log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sigstore {
    /// Fulcio's base URL (`…/api/v2/signingCert` is asked).
    pub fulcio_url: String,
    /// Rekor's base URL, API v1 (`…/api/v1/log/entries` is asked).
    pub rekor_url: String,
}

impl Default for Sigstore {
    /// Sigstore's public-good instance, the one PyPI verifies against.
    fn default() -> Sigstore {
        Sigstore {
            fulcio_url: "https://fulcio.sigstore.dev".into(),
            rekor_url: "https://rekor.sigstore.dev".into(),
        }
    }
}

/// A file to attest: its name as uploaded and its sha256 (hex).
#[derive(Debug, Clone)]
pub struct Subject {
    pub name: String,
    pub sha256: String,
}

/// Why no attestation could be made; redacted, naming the file and service.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SignError(pub String);

/// Files signed at once.
const AT_ONCE: usize = 4;
/// Tries per file: Fulcio and Rekor answer 5xx or 429 at busy times.
const ATTEMPTS: u32 = 3;

/// A publish attestation (PEP 740 object, JSON text) for each of `subjects`,
/// in order, signed for the identity in `id_token` (audience `sigstore`).
pub fn sign_all(
    sigstore: &Sigstore,
    id_token: &Secret,
    subjects: &[Subject],
    timeout: Duration,
) -> Result<Vec<String>, SignError> {
    let mut redactor = Redactor::new();
    redactor.add(id_token);
    let fail = |message: String| SignError(redactor.redact(&message));
    let signer = signer(sigstore, id_token, timeout).map_err(fail)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start the signing runtime: {e}")))?;
    let mut made = Vec::with_capacity(subjects.len());
    for chunk in subjects.chunks(AT_ONCE) {
        let bundles = runtime.block_on(sign_chunk(&signer, chunk));
        for (subject, bundle) in chunk.iter().zip(bundles) {
            let attestation = bundle
                .map_err(|e| {
                    format!(
                        "signing the attestation of {} through Sigstore ({}, {}) failed: {e}; \
                         run the publish again later, or pass --no-attestations",
                        subject.name, sigstore.fulcio_url, sigstore.rekor_url
                    )
                })
                .and_then(|bundle| attestation_of(subject, &bundle))
                .map_err(fail)?;
            made.push(attestation);
        }
    }
    Ok(made)
}

/// The signer for the identity in `id_token`, through our HTTP client.
fn signer(sigstore: &Sigstore, id_token: &Secret, timeout: Duration) -> Result<Signer, String> {
    let identity = IdentityToken::from_jwt(id_token.expose())
        .map_err(|e| format!("the ID token for Sigstore cannot be read: {e}"))?;
    let http = reqwest::Client::builder()
        .user_agent(crate::publish::index::user_agent())
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot set up an HTTP client: {e}"))?;
    let services = SigningServices::new(&sigstore.fulcio_url, &sigstore.rekor_url);
    Ok(SigningContext::new(services)
        .with_http_client(http)
        .signer(identity))
}

/// The bundle (JSON) of each subject of `chunk`, signed at once, in order; a
/// task that fails (even by panicking) is that file's error.
async fn sign_chunk(signer: &Signer, chunk: &[Subject]) -> Vec<Result<String, String>> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, subject) in chunk.iter().enumerate() {
        let signer = signer.clone();
        let statement = publish_statement(&subject.name, &subject.sha256).to_string();
        tasks.spawn(async move { (i, sign_one(&signer, &statement).await) });
    }
    let mut bundles = vec![Err("the signing task stopped".to_string()); chunk.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, bundle)) = joined {
            bundles[i] = bundle;
        }
    }
    bundles
}

/// `statement` signed, tried up to [`ATTEMPTS`] times (1 s, then 2 s apart).
async fn sign_one(signer: &Signer, statement: &str) -> Result<String, String> {
    let mut attempt = 1;
    loop {
        match signer.sign_raw_statement(statement.as_bytes()).await {
            Ok(bundle) => return bundle.to_json().map_err(|e| e.to_string()),
            Err(e) if attempt == ATTEMPTS => return Err(format!("{e} (after {attempt} attempts)")),
            Err(_) => tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await,
        }
        attempt += 1;
    }
}

/// The attestation object of `subject` from its bundle, checked as an
/// attestation file would be.
fn attestation_of(subject: &Subject, bundle: &str) -> Result<String, String> {
    let attestation = from_bundle(bundle).map_err(|why| {
        format!(
            "the attestation made for {} is not one PyPI takes: {why}",
            subject.name
        )
    })?;
    shape::check(&attestation, &subject.name, &subject.sha256).map_err(|why| {
        format!(
            "the attestation made for {} is not one PyPI takes: {why}",
            subject.name
        )
    })?;
    Ok(attestation)
}

/// PEP 740's attestation object from a Sigstore bundle (v0.3 JSON) holding a
/// DSSE envelope: the leaf certificate, the transparency log entry as the
/// bundle has it, and the envelope's statement and signature.
pub fn from_bundle(bundle: &str) -> Result<String, String> {
    let bundle: Value =
        serde_json::from_str(bundle).map_err(|e| format!("the bundle is not JSON ({e})"))?;
    let text = |pointer: &str| -> Result<&str, String> {
        bundle
            .pointer(pointer)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the bundle has no `{pointer}`"))
    };
    let material = "/verificationMaterial";
    let certificate = text(&format!("{material}/certificate/rawBytes"))?;
    let entries = bundle
        .pointer(&format!("{material}/tlogEntries"))
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty())
        .ok_or("the bundle has no transparency log entry")?;
    let payload_type = text("/dsseEnvelope/payloadType")?;
    if payload_type != "application/vnd.in-toto+json" {
        return Err(format!(
            "the envelope holds `{payload_type}`, not an in-toto statement"
        ));
    }
    let statement = text("/dsseEnvelope/payload")?;
    let signatures = bundle
        .pointer("/dsseEnvelope/signatures")
        .and_then(Value::as_array)
        .ok_or("the envelope has no signatures")?;
    let [signature] = signatures.as_slice() else {
        return Err(format!(
            "the envelope has {} signatures, not one",
            signatures.len()
        ));
    };
    let signature = signature
        .get("sig")
        .and_then(Value::as_str)
        .ok_or("the envelope's signature has no `sig`")?;
    for (what, value) in [
        ("certificate", certificate),
        ("statement", statement),
        ("signature", signature),
    ] {
        base64::engine::general_purpose::STANDARD
            .decode(value)
            .map_err(|e| format!("the bundle's {what} is not base64 ({e})"))?;
    }
    let attestation = json!({
        "version": 1,
        "verification_material": {
            "certificate": certificate,
            "transparency_entries": [entries[0]],
        },
        "envelope": {"statement": statement, "signature": signature},
    });
    Ok(attestation.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Sigstore bundle v0.3 with a DSSE envelope, as sigstore-sign writes it.
    fn bundle() -> Value {
        json!({
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": {
                "certificate": {"rawBytes": "MAMCAQE="},
                "tlogEntries": [{
                    "logIndex": "12",
                    "logId": {"keyId": "AAAA"},
                    "kindVersion": {"kind": "dsse", "version": "0.0.1"},
                    "integratedTime": "1700000000",
                    "canonicalizedBody": "e30=",
                }],
            },
            "dsseEnvelope": {
                "payload": "eyJfdHlwZSI6IngifQ==",
                "payloadType": "application/vnd.in-toto+json",
                "signatures": [{"sig": "c2ln", "keyid": ""}],
            },
        })
    }

    #[test]
    fn the_attestation_object_takes_the_certificate_entry_statement_and_signature() {
        let bundle = bundle();
        let made: Value = serde_json::from_str(&from_bundle(&bundle.to_string()).unwrap()).unwrap();
        let expected = json!({
            "version": 1,
            "verification_material": {
                "certificate": "MAMCAQE=",
                "transparency_entries": [bundle["verificationMaterial"]["tlogEntries"][0]],
            },
            "envelope": {"statement": "eyJfdHlwZSI6IngifQ==", "signature": "c2ln"},
        });
        assert_eq!(made, expected);
    }

    #[test]
    fn a_bundle_that_cannot_be_one_is_refused_with_the_reason() {
        type Spoil = fn(&mut Value);
        let cases: [(&str, Spoil, &str); 5] = [
            (
                "/verificationMaterial/tlogEntries",
                |b| b["verificationMaterial"]["tlogEntries"] = json!([]),
                "no transparency log entry",
            ),
            (
                "certificate",
                |b| b["verificationMaterial"]["certificate"] = json!({"chain": 1}),
                "`/verificationMaterial/certificate/rawBytes`",
            ),
            (
                "type",
                |b| b["dsseEnvelope"]["payloadType"] = json!("text/plain"),
                "not an in-toto statement",
            ),
            (
                "signatures",
                |b| b["dsseEnvelope"]["signatures"] = json!([{"sig": "YQ=="}, {"sig": "Yg=="}]),
                "2 signatures, not one",
            ),
            (
                "base64",
                |b| b["dsseEnvelope"]["payload"] = json!("not base64!"),
                "statement is not base64",
            ),
        ];
        for (name, spoil, expected) in cases {
            let mut bundle = bundle();
            spoil(&mut bundle);
            let why = from_bundle(&bundle.to_string()).unwrap_err();
            assert!(why.contains(expected), "{name}: {why}");
        }
    }
}
