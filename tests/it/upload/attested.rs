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
    github_endpoint_issuing(github_id_token(REPOSITORY, WORKFLOW, None))
}

fn github_endpoint_issuing(jwt: String) -> fake::Server {
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
    assert!(why.contains("after 3 attempts"), "{why}");
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

/// The publish step's apply with a plan that makes attestations: they are
/// signed once the credentials are there, before the first file goes, and
/// each file goes with its own. (The plan is the step's own, but for the one
/// decision a local index cannot earn: only PyPI and TestPyPI take
/// attestations, so `make` is set here as the plan sets it for them.)
mod through_the_publish_step {
    use super::*;
    use crate::github::Lines;
    use cargo_pypi::publish::attestation::Making;
    use cargo_pypi::publish::attestation::Mode;
    use cargo_pypi::publish::target::TargetRequest;
    use cargo_pypi::steps::publish::{self, Env, Options, Plan, Report, Ui};
    use cargo_pypi::steps::Context;

    fn options(proxy: &FaultProxy, endpoint: &fake::Server, sigstore: Sigstore) -> Options {
        let github = github_env(endpoint);
        let mut env: Vec<(String, String)> = [
            "GITHUB_ACTIONS",
            "ACTIONS_ID_TOKEN_REQUEST_URL",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        ]
        .iter()
        .map(|k| (k.to_string(), github(k).unwrap()))
        .collect();
        env.push(("TWINE_USERNAME".into(), USER.into()));
        env.push(("TWINE_PASSWORD".into(), PASSWORD.into()));
        Options {
            target: TargetRequest {
                repository_url: Some(proxy.target().upload_url.to_string()),
                ..TargetRequest::default()
            },
            jobs: 1,
            yes: true,
            wait: Duration::from_secs(20),
            sigstore,
            env: Some(Env(env)),
            ..Options::default()
        }
    }

    /// The step's plan for `artifacts`, making their attestations.
    fn plan_making(context: &Context, opts: &Options) -> Plan {
        let mut plan = publish::plan(context, opts).unwrap();
        assert!(plan.make.is_none(), "a local index takes none");
        let upload_url = plan.target.upload_url.without_credentials().to_string();
        plan.attestations = Attestations::for_index(&upload_url);
        plan.make = Some(Making {
            provider: Provider::GitHubActions,
            subjects: subjects(&plan.artifacts),
        });
        plan
    }

    fn apply(plan: &Plan, opts: &Options, lines: &Lines) -> (Result<Report, String>, Vec<String>) {
        let runner = std::sync::Mutex::new(Vec::new());
        let ui = Ui {
            progress: &NoProgress,
            confirm: &|_| true,
            runner: &|line| runner.lock().unwrap().push(line.to_owned()),
        };
        let dir = tempfile::tempdir().unwrap();
        let context = Context::new(dir.path(), None, lines).unwrap();
        let report = publish::apply(&context, plan, opts, &ui).map_err(|e| e.to_string());
        (report, runner.into_inner().unwrap())
    }

    #[test]
    fn each_file_goes_with_the_attestation_made_for_it() {
        let sigstore = SigstoreStandIn::start();
        let jwt = github_id_token(REPOSITORY, WORKFLOW, None);
        let endpoint = github_endpoint_issuing(jwt.clone());
        let server = Pypiserver::start();
        let proxy = FaultProxy::start(server.port, Faults::default());
        let dir = tempfile::tempdir().unwrap();
        let artifacts = release(dir.path(), "1.0.0", &TAGS[..1], "a");
        let mut opts = options(&proxy, &endpoint, stand_in(&sigstore));
        opts.files = artifacts.iter().map(|a| a.path.clone()).collect();
        let lines = Lines::default();
        let context = Context::new(dir.path(), None, &lines).unwrap();
        let plan = plan_making(&context, &opts);
        let (report, runner) = apply(&plan, &opts, &lines);
        let report = report.unwrap();
        assert!(
            report.files.iter().all(|f| f.attestations == 1),
            "{report:?}"
        );
        assert!(
            lines.text().contains("Attesting demo_pkg-1.0.0"),
            "{}",
            lines.text()
        );
        // The ID token for Sigstore is masked for the job's later steps.
        assert!(
            runner.iter().any(|l| l == &format!("::add-mask::{jwt}")),
            "{runner:?}"
        );
        let publisher = Publisher::github(REPOSITORY, WORKFLOW);
        for post in proxy.posts() {
            let parts = multipart(&post);
            let value = |name: &str| {
                let part = parts.iter().find(|(n, _, _)| n == name).unwrap();
                String::from_utf8(part.2.clone()).unwrap()
            };
            let sent: Vec<serde_json::Value> =
                serde_json::from_str(&value("attestations")).unwrap();
            let sha256 = value("sha256_digest");
            let artifact = artifacts.iter().find(|a| a.sha256 == sha256).unwrap();
            let verdict = sigstore.verify(&artifact.path, &sent[0].to_string(), &publisher);
            assert_eq!(verdict.as_deref(), Ok(PUBLISH_V1));
        }
        assert_on_index(&server, &artifacts);

        // Run again: every file is there, so nothing is signed (each
        // signature is a public log entry) and none is said to carry one.
        let asked = sigstore.requests().len();
        let (again, _) = apply(&plan, &opts, &lines);
        let again = again.unwrap();
        assert!(
            again
                .files
                .iter()
                .all(|f| f.outcome == Outcome::AlreadyThere && f.attestations == 0),
            "{again:?}"
        );
        assert_eq!(sigstore.requests().len(), asked, "nothing signed again");
        // Even where signing is required and Sigstore is down.
        opts.attestations = Mode::Require;
        opts.sigstore = Sigstore {
            fulcio_url: "http://127.0.0.1:9".into(),
            rekor_url: "http://127.0.0.1:9".into(),
        };
        let (required, _) = apply(&plan, &opts, &lines);
        assert!(required.is_ok(), "{required:?}");
    }

    /// Sigstore down: the files go without, with a warning; with
    /// `--attestations=require` nothing goes.
    #[test]
    fn when_signing_fails_the_files_go_without_or_not_at_all() {
        let endpoint = github_endpoint();
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", listener.local_addr().unwrap())
        };
        let down = Sigstore {
            fulcio_url: closed.clone(),
            rekor_url: closed.clone(),
        };
        for mode in [Mode::Require, Mode::Auto] {
            let server = Pypiserver::start();
            let proxy = FaultProxy::start(server.port, Faults::default());
            let dir = tempfile::tempdir().unwrap();
            let artifacts = release(dir.path(), "1.0.0", &[], "a");
            let mut opts = options(&proxy, &endpoint, down.clone());
            opts.files = artifacts.iter().map(|a| a.path.clone()).collect();
            let lines = Lines::default();
            let context = Context::new(dir.path(), None, &lines).unwrap();
            // (Planned as for PyPI, where `require` is met by what is made.)
            let plan = plan_making(&context, &opts);
            opts.attestations = mode;
            let (report, _) = apply(&plan, &opts, &lines);
            match mode {
                Mode::Require => {
                    let why = report.unwrap_err();
                    assert!(
                        why.contains("--attestations=require") && why.contains(&closed),
                        "{why}"
                    );
                    assert!(why.contains("nothing was uploaded"), "{why}");
                    assert!(proxy.posts().is_empty(), "nothing is sent");
                }
                _ => {
                    let report = report.unwrap();
                    assert!(report.files.iter().all(|f| f.attestations == 0));
                    let text = lines.text();
                    assert!(
                        text.contains("warning: sending the files without the attestations"),
                        "{text}"
                    );
                    assert_on_index(&server, &artifacts);
                }
            }
        }
    }
}
