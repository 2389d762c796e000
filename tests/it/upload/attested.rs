//! Attestations made by cargo-pypi (`publish::attestation::make`, Sigstore's
//! Rust client) through a stand-in Sigstore instance (a stand-in certificate
//! authority and transparency log, `support::sigstore`), with an ID token
//! from a stand-in of GitHub's ID-token endpoint; sent in the upload form to
//! a real pypiserver behind the recording proxy; and what the proxy saw is
//! verified as PyPI verifies it: the real `pypi-attestations` against the
//! stand-in's root.

use super::form::multipart;
use super::*;
use crate::credentials::fake;
use crate::support::sigstore::{github_id_token, Publisher, SigstoreStandIn, PUBLISH_V1};
use cargo_pypi::publish::attestation::make::{self, Sigstore, Subject};
use cargo_pypi::publish::attestation::Attestations;
use cargo_pypi::publish::credentials::oidc::{id_token, Provider};
use cargo_pypi::publish::secret::Secret;

const REPOSITORY: &str = "octo-org/demo-pkg";
const WORKFLOW: &str = "release.yml";
const REQUEST_TOKEN: &str = "stand-in-request-token";

/// A stand-in of GitHub's ID-token endpoint: the token for `audience=sigstore`
/// to the right bearer, else 401.
fn github_endpoint() -> fake::Server {
    let jwt = github_id_token(REPOSITORY, WORKFLOW, None);
    fake::serve(move |req, _| {
        let bearer = req.header("authorization") == Some(&format!("bearer {REQUEST_TOKEN}"));
        match (bearer, req.target.ends_with("&audience=sigstore")) {
            (true, true) => (200, format!(r#"{{"value":"{jwt}"}}"#)),
            _ => (401, r#"{"message":"wrong token or audience"}"#.into()),
        }
    })
}

fn github_env(endpoint: &fake::Server) -> impl Fn(&str) -> Option<String> {
    let url = format!("{}/idtoken?api-version=2.0", endpoint.base);
    move |name: &str| match name {
        "GITHUB_ACTIONS" => Some("true".into()),
        "ACTIONS_ID_TOKEN_REQUEST_URL" => Some(url.clone()),
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN" => Some(REQUEST_TOKEN.into()),
        _ => None,
    }
}

fn subjects(artifacts: &[Artifact]) -> Vec<Subject> {
    artifacts
        .iter()
        .map(|a| Subject {
            name: file_name(a),
            sha256: a.sha256.clone(),
        })
        .collect()
}

fn stand_in(sigstore: &SigstoreStandIn) -> Sigstore {
    Sigstore {
        fulcio_url: sigstore.base_url.clone(),
        rekor_url: sigstore.base_url.clone(),
    }
}

#[test]
fn attestations_made_go_in_the_form_and_pass_pypis_verification() {
    let sigstore = SigstoreStandIn::start();
    let endpoint = github_endpoint();
    let id_token = id_token::for_sigstore(Provider::GitHubActions, &github_env(&endpoint)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..2], "a");
    let made = make::sign_all(
        &stand_in(&sigstore),
        &id_token,
        &subjects(&artifacts),
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(made.len(), 3);
    // One certificate and one log entry per file.
    let paths: Vec<String> = sigstore
        .requests()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_owned())
        .collect();
    let count = |p: &str| paths.iter().filter(|x| x.as_str() == p).count();
    assert_eq!(count("/api/v2/signingCert"), 3, "{paths:?}");
    assert_eq!(count("/api/v1/log/entries"), 3, "{paths:?}");

    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let target = proxy.target();
    let mut attestations = Attestations::for_index(&target.upload_url.to_string());
    for (artifact, attestation) in artifacts.iter().zip(&made) {
        attestations.add(&file_name(artifact), attestation);
    }
    let opts = UploadOptions {
        attestations,
        ..options()
    };
    upload_all(&target, &credentials(), &artifacts, &opts, &NoProgress).unwrap();
    assert_on_index(&server, &artifacts);

    // What the index received, verified as PyPI would.
    let publisher = Publisher::github(REPOSITORY, WORKFLOW);
    let posts = proxy.posts();
    assert_eq!(posts.len(), 3);
    for post in &posts {
        let parts = multipart(post);
        let value = |name: &str| {
            let part = parts.iter().find(|(n, _, _)| n == name);
            String::from_utf8(part.unwrap().2.clone()).unwrap()
        };
        let sent: Vec<serde_json::Value> = serde_json::from_str(&value("attestations")).unwrap();
        assert_eq!(sent.len(), 1);
        let sha256 = value("sha256_digest");
        let artifact = artifacts.iter().find(|a| a.sha256 == sha256).unwrap();
        let verdict = sigstore.verify(&artifact.path, &sent[0].to_string(), &publisher);
        assert_eq!(
            verdict.as_deref(),
            Ok(PUBLISH_V1),
            "{}",
            file_name(artifact)
        );
        // For this file only, and for this workflow only.
        let other = artifacts.iter().find(|a| a.sha256 != sha256).unwrap();
        let why = sigstore
            .verify(&other.path, &sent[0].to_string(), &publisher)
            .unwrap_err();
        assert!(why.contains("subject does not match"), "{why}");
        let elsewhere = Publisher::github(REPOSITORY, "other.yml");
        assert!(sigstore
            .verify(&artifact.path, &sent[0].to_string(), &elsewhere)
            .is_err());
    }
}

/// A certificate authority that refuses, or a log that is down, is named with
/// the file, and the ID token never shows in the message.
#[test]
fn a_failed_signing_names_the_file_and_service_without_the_token() {
    let sigstore = SigstoreStandIn::start();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    let jwt = github_id_token(REPOSITORY, WORKFLOW, None);
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let down = Sigstore {
        fulcio_url: sigstore.base_url.clone(),
        rekor_url: closed.clone(),
    };
    let why = make::sign_all(
        &down,
        &Secret::new(jwt.clone()),
        &subjects(&artifacts),
        Duration::from_secs(10),
    )
    .unwrap_err()
    .to_string();
    assert!(why.contains(&file_name(&artifacts[0])), "{why}");
    assert!(why.contains(&closed), "{why}");
    assert!(!why.contains(&jwt), "{why}");
    let not_a_token = make::sign_all(
        &stand_in(&sigstore),
        &Secret::new("not-a-jwt"),
        &subjects(&artifacts),
        Duration::from_secs(10),
    )
    .unwrap_err()
    .to_string();
    assert!(
        not_a_token.contains("the ID token for Sigstore cannot be read"),
        "{not_a_token}"
    );
    assert!(!not_a_token.contains("not-a-jwt"), "{not_a_token}");
}
