//! The stand-in Sigstore instance (`support::sigstore`: a stand-in for
//! Fulcio and Rekor v1) and its verifier (the real `pypi-attestations`
//! against the stand-in's root) proven genuine, with sigstore-python as the
//! reference signer: what it signs through the stand-in verifies, and another
//! file, another publisher, a root that did not issue the certificate, SCT or
//! log entry, or a tampered statement or log entry is refused for its reason;
//! the same holds for GitLab CI. The CA refuses a token for another audience
//! or past its expiry.

use crate::support::index::wheel;
use crate::support::sigstore::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const REPOSITORY: &str = "octo-org/demo-pkg";
const WORKFLOW: &str = "release.yml";

/// A wheel of `demo-pkg` 1.0.0 whose module holds `module`, in `dir`.
fn demo_wheel(dir: &Path, module: &str) -> PathBuf {
    wheel(dir, "demo-pkg", "1.0.0", "py3-none-any", module, b"")
}

/// A stand-in, a wheel and the attestation sigstore-python made for it.
struct Signed {
    standin: SigstoreStandIn,
    dir: TempDir,
    wheel: PathBuf,
    attestation: String,
}

fn signed() -> Signed {
    let standin = SigstoreStandIn::start();
    let dir = TempDir::new().unwrap();
    let wheel = demo_wheel(dir.path(), "VALUE = 1\n");
    let token = github_id_token(REPOSITORY, WORKFLOW, Some("pypi"));
    let attestation = standin.sign_reference(&wheel, &token);
    Signed {
        standin,
        dir,
        wheel,
        attestation,
    }
}

fn publisher() -> Publisher {
    Publisher::github(REPOSITORY, WORKFLOW)
}

fn refusal(result: Result<String, String>) -> String {
    match result {
        Ok(kind) => panic!("verified ({kind}), expected a refusal"),
        Err(reason) => reason,
    }
}

fn assert_reason(reason: &str, expected: &str) {
    assert!(
        reason.contains(expected),
        "refused for another reason: `{reason}` (expected `{expected}`)"
    );
}

/// The attestation as JSON, changed by `edit`.
fn edited(attestation: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(attestation).unwrap();
    edit(&mut value);
    value.to_string()
}

#[test]
fn the_reference_attestation_verifies_and_the_standin_saw_its_two_requests() {
    let s = signed();
    assert_eq!(
        s.standin.verify(&s.wheel, &s.attestation, &publisher()),
        Ok(PUBLISH_V1.to_owned())
    );
    let requests = s.standin.requests();
    let routes: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r["method"], r["path"]).replace('"', ""))
        .collect();
    assert_eq!(
        routes,
        ["POST /api/v2/signingCert", "POST /api/v1/log/entries"]
    );
    assert!(requests[0]["body"]["certificateSigningRequest"].is_string());
    assert_eq!(requests[1]["body"]["kind"], "dsse");
    assert_eq!(requests[1]["body"]["apiVersion"], "0.0.1");
}

#[test]
fn another_file_under_the_same_name_is_refused() {
    let s = signed();
    let other_dir = TempDir::new().unwrap();
    let other = demo_wheel(other_dir.path(), "VALUE = 2\n");
    assert_eq!(other.file_name(), s.wheel.file_name());
    let reason = refusal(s.standin.verify(&other, &s.attestation, &publisher()));
    assert_reason(&reason, "subject does not match distribution digest");
}

#[test]
fn another_repository_or_workflow_is_refused() {
    let s = signed();
    let other_repo = Publisher::github("octo-org/other", WORKFLOW);
    let reason = refusal(s.standin.verify(&s.wheel, &s.attestation, &other_repo));
    assert_reason(
        &reason,
        "OIDCSourceRepositoryURI does not match (got https://github.com/octo-org/demo-pkg, \
         expected https://github.com/octo-org/other)",
    );
    let other_workflow = Publisher::github(REPOSITORY, "other.yml");
    let reason = refusal(s.standin.verify(&s.wheel, &s.attestation, &other_workflow));
    assert_reason(
        &reason,
        "does not match expected Trusted Publisher (other.yml @ octo-org/demo-pkg)",
    );
}

/// The stand-in's root with `keys` (`certificateAuthorities`, `ctlogs` or
/// `tlogs`) taken from `other`'s root, written into `dir`.
fn root_with(
    standin: &SigstoreStandIn,
    other: &SigstoreStandIn,
    keys: &str,
    dir: &Path,
) -> PathBuf {
    let read = |s: &SigstoreStandIn| -> Value {
        serde_json::from_slice(&std::fs::read(s.trusted_root()).unwrap()).unwrap()
    };
    let mut root = read(standin);
    root[keys] = read(other)[keys].clone();
    let path = dir.join(format!("root-with-other-{keys}.json"));
    std::fs::write(&path, root.to_string()).unwrap();
    path
}

#[test]
fn a_root_that_did_not_issue_the_certificate_sct_or_entry_is_refused() {
    let s = signed();
    let other = SigstoreStandIn::start();
    let verify = |root: &Path| verify_with_root(root, &s.wheel, &s.attestation, &publisher());
    let reason = refusal(verify(&other.trusted_root()));
    assert_reason(&reason, "failed to build timestamp certificate chain");
    let cases = [
        (
            "certificateAuthorities",
            "failed to build timestamp certificate chain",
        ),
        ("ctlogs", "failed to verify SCT on signing certificate"),
        ("tlogs", "invalid log entry: checkpoint: invalid signature"),
    ];
    for (keys, expected) in cases {
        let root = root_with(&s.standin, &other, keys, s.dir.path());
        assert_reason(&refusal(verify(&root)), expected);
    }
}

#[test]
fn a_tampered_statement_is_refused() {
    let s = signed();
    let tampered = edited(&s.attestation, |a| {
        let statement = STANDARD
            .decode(a["envelope"]["statement"].as_str().unwrap())
            .unwrap();
        let text = String::from_utf8(statement).unwrap();
        let changed = text.replace("demo_pkg-1.0.0", "demo_pkg-1.0.1");
        assert_ne!(text, changed);
        a["envelope"]["statement"] = STANDARD.encode(changed).into();
    });
    let reason = refusal(s.standin.verify(&s.wheel, &tampered, &publisher()));
    assert_reason(&reason, "DSSE: invalid signature");
}

#[test]
fn a_tampered_log_entry_is_refused() {
    let s = signed();
    let entry = "/verification_material/transparency_entries/0";
    let later = edited(&s.attestation, |a| {
        let time = a.pointer_mut(&format!("{entry}/integratedTime")).unwrap();
        let seconds: u64 = time.as_str().unwrap().parse().unwrap();
        *time = (seconds + 1).to_string().into();
    });
    let reason = refusal(s.standin.verify(&s.wheel, &later, &publisher()));
    assert_reason(&reason, "SET: invalid inclusion promise");
    let other_body = edited(&s.attestation, |a| {
        let body = a
            .pointer_mut(&format!("{entry}/canonicalizedBody"))
            .unwrap();
        // The same JSON with a space after it: not the leaf in the tree.
        let mut bytes = STANDARD.decode(body.as_str().unwrap()).unwrap();
        bytes.push(b' ');
        *body = STANDARD.encode(bytes).into();
    });
    let reason = refusal(s.standin.verify(&s.wheel, &other_body, &publisher()));
    assert_reason(&reason, "inclusion proof contains invalid root hash");
}

#[test]
fn each_entry_of_a_log_of_seven_is_proven_in_its_tree() {
    // Trees of sizes 1 to 7: proofs with inner and border hashes, left and
    // right siblings, and sizes that are not powers of two.
    let standin = SigstoreStandIn::start();
    let dir = TempDir::new().unwrap();
    let wheels: Vec<PathBuf> = (1..=7)
        .map(|n| {
            let sub = dir.path().join(n.to_string());
            std::fs::create_dir(&sub).unwrap();
            demo_wheel(&sub, &format!("VALUE = {n}\n"))
        })
        .collect();
    let paths: Vec<&Path> = wheels.iter().map(PathBuf::as_path).collect();
    let token = github_id_token(REPOSITORY, WORKFLOW, None);
    let attestations = standin.sign_reference_all(&paths, &token);
    for (index, (wheel, attestation)) in wheels.iter().zip(&attestations).enumerate() {
        let entry: Value = serde_json::from_str(attestation).unwrap();
        let proof = &entry["verification_material"]["transparency_entries"][0]["inclusionProof"];
        assert_eq!(proof["logIndex"], index.to_string());
        assert_eq!(proof["treeSize"], (index + 1).to_string());
        let verified = standin.verify(wheel, attestation, &publisher());
        assert_eq!(verified, Ok(PUBLISH_V1.to_owned()), "entry {index}");
    }
}

#[test]
fn a_gitlab_attestation_verifies_for_its_project_and_ci_file_only() {
    let standin = SigstoreStandIn::start();
    let dir = TempDir::new().unwrap();
    let wheel = demo_wheel(dir.path(), "VALUE = 1\n");
    let project = "octo-group/demo-pkg";
    let token = jwt(&gitlab_claims(project, ".gitlab-ci.yml", None));
    let attestation = standin.sign_reference(&wheel, &token);
    let verify = |publisher: Publisher| standin.verify(&wheel, &attestation, &publisher);
    assert_eq!(
        verify(Publisher::gitlab(project, ".gitlab-ci.yml")),
        Ok(PUBLISH_V1.to_owned())
    );
    let reason = refusal(verify(Publisher::gitlab(project, "ci/release.yml")));
    assert_reason(
        &reason,
        "does not match expected Trusted Publisher (ci/release.yml @ octo-group/demo-pkg)",
    );
    let reason = refusal(verify(Publisher::github(project, ".gitlab-ci.yml")));
    assert_reason(
        &reason,
        "OIDCIssuerV2 does not match (got https://gitlab.com, \
         expected https://token.actions.githubusercontent.com)",
    );
}

#[test]
fn the_ca_refuses_a_token_for_another_audience_or_past_its_expiry() {
    let standin = SigstoreStandIn::start();
    let post = |claims: &Value| {
        let body = serde_json::json!({
            "credentials": {"oidcIdentityToken": jwt(claims)},
            "publicKeyRequest": {
                "publicKey": {"algorithm": "", "content": "not read: the token comes first"},
                "proofOfPossession": "",
            },
        });
        let response = reqwest::blocking::Client::new()
            .post(format!("{}/api/v2/signingCert", standin.base_url))
            .json(&body)
            .send()
            .unwrap();
        (response.status().as_u16(), response.text().unwrap())
    };
    let mut claims = github_claims(REPOSITORY, WORKFLOW, None);
    claims["aud"] = "pypi".into();
    let (status, text) = post(&claims);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("audience is not 'sigstore'"), "{text}");
    let mut claims = github_claims(REPOSITORY, WORKFLOW, None);
    claims["exp"] = 1_000_000_000.into();
    let (status, text) = post(&claims);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("has expired"), "{text}");
    assert_eq!(standin.requests().len(), 2);
}
