//! [`decide`], [`find`] and [`without_attestation_files`]: which attestations
//! go where, and the refusals.

use super::statement::{publish_statement, PUBLISH_V1, SLSA_PROVENANCE_V1};
use super::*;
use crate::dist::Kind;
use crate::publish::credentials::oidc::Provider;
use crate::publish::url::DisplaySafeUrl;
use base64::Engine;
use serde_json::json;

const TRUSTED: &str = "trusted publishing (GitHub Actions)";
const TOKEN: &str = "environment variable PYPI_API_TOKEN";

/// This job can sign, as GitHub Actions.
const GITHUB: Result<Provider, String> = Ok(Provider::GitHubActions);

/// This job cannot sign (not on CI).
fn no_signing() -> Result<Provider, String> {
    Err("not on a CI provider that issues ID tokens".into())
}

fn artifact(dir: &Path, name: &str) -> Artifact {
    let path = dir.join(name);
    std::fs::write(&path, name).unwrap();
    Artifact {
        path,
        kind: Kind::Wheel,
        name: "demo-pkg".into(),
        version: "1.0".into(),
        size: name.len() as u64,
        sha256: crate::digest::sha256(name.as_bytes()).unwrap().1,
        pyversion: "py3".into(),
        metadata: None,
    }
}

fn attestation(artifact: &Artifact, predicate: &str) -> String {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut statement = publish_statement(&file_name(&artifact.path), &artifact.sha256);
    statement["predicateType"] = json!(predicate);
    json!({
        "version": 1,
        "verification_material": {
            "certificate": b64(&[0x30, 0x03, 0x02, 0x01, 0x01]),
            "transparency_entries": [{"logIndex": "7"}],
        },
        "envelope": {
            "statement": b64(statement.to_string().as_bytes()),
            "signature": b64(b"signature"),
        },
    })
    .to_string()
}

fn write_beside(artifact: &Artifact, kind: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(format!("{}.{kind}.attestation", artifact.path.display()));
    std::fs::write(&path, text).unwrap();
    path
}

fn local() -> Target {
    let mut target = Target::pypi();
    target.name = "local".into();
    target.upload_url = DisplaySafeUrl::parse("http://127.0.0.1:8080/legacy/").unwrap();
    target
}

#[test]
fn found_beside_each_file_and_sent_to_pypi_with_trusted_publishing() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = artifact(dir.path(), "demo_pkg-1.0-py3-none-any.whl");
    let sdist = artifact(dir.path(), "demo_pkg-1.0.tar.gz");
    let publish = attestation(&wheel, PUBLISH_V1);
    write_beside(&wheel, "publish", &publish);
    write_beside(&wheel, "slsa", &attestation(&wheel, SLSA_PROVENANCE_V1));
    // Not the wheel's: another file's name continues past the wheel's.
    std::fs::write(
        dir.path()
            .join("demo_pkg-1.0-py3-none-any.whl.x.y.attestation"),
        "{",
    )
    .unwrap();
    let artifacts = [wheel, sdist];
    let found = find(&artifacts).unwrap();
    assert_eq!(found[0].len(), 2);
    assert!(found[1].is_empty());
    for target in [Target::pypi(), Target::testpypi()] {
        let decision = decide(Mode::Auto, &target, TRUSTED, &artifacts, &found, &GITHUB).unwrap();
        assert_eq!(decision.warning, None);
        // The wheel has its publish attestation: only the sdist's is made.
        let made = decision.make.unwrap();
        let made: Vec<&str> = made.subjects.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(made, ["demo_pkg-1.0.tar.gz"]);
        let sent = &decision.attestations;
        assert_eq!(sent.files(), ["demo_pkg-1.0-py3-none-any.whl"]);
        assert_eq!(sent.upload_url, target.upload_url.to_string());
        let field: serde_json::Value =
            serde_json::from_str(sent.field("demo_pkg-1.0-py3-none-any.whl").unwrap()).unwrap();
        let field = field.as_array().unwrap();
        assert_eq!(field.len(), 2, "one per predicate type");
        assert_eq!(
            field[0],
            serde_json::from_str::<serde_json::Value>(&publish).unwrap()
        );
        assert_eq!(sent.field("demo_pkg-1.0.tar.gz"), None);
    }
}

#[test]
fn left_out_with_a_warning_for_tokens_and_other_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = artifact(dir.path(), "demo_pkg-1.0-py3-none-any.whl");
    write_beside(&wheel, "publish", &attestation(&wheel, PUBLISH_V1));
    let artifacts = [wheel];
    let found = find(&artifacts).unwrap();
    let token = decide(
        Mode::Auto,
        &Target::pypi(),
        TOKEN,
        &artifacts,
        &found,
        &no_signing(),
    )
    .unwrap();
    assert!(token.attestations.is_empty());
    let warning = token.warning.unwrap();
    assert!(
        warning.contains("leaving out the attestations of demo_pkg-1.0-py3-none-any.whl"),
        "{warning}"
    );
    assert!(
        warning.contains("only with trusted publishing"),
        "{warning}"
    );
    assert!(warning.contains(TOKEN), "{warning}");
    let other = decide(
        Mode::Auto,
        &local(),
        TRUSTED,
        &artifacts,
        &found,
        &no_signing(),
    )
    .unwrap();
    assert!(other.attestations.is_empty());
    assert!(other
        .warning
        .unwrap()
        .contains("only PyPI and TestPyPI take attestations"));
    let off = decide(
        Mode::Off,
        &local(),
        TOKEN,
        &artifacts,
        &found,
        &no_signing(),
    )
    .unwrap();
    assert_eq!((off.attestations.is_empty(), off.warning), (true, None));
    let none = decide(
        Mode::Auto,
        &local(),
        TOKEN,
        &artifacts,
        &[vec![]],
        &no_signing(),
    )
    .unwrap();
    assert_eq!(none.warning, None, "nothing found, nothing to say");
}

#[test]
fn require_refuses_what_would_be_left_out_or_missing() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = artifact(dir.path(), "demo_pkg-1.0-py3-none-any.whl");
    let sdist = artifact(dir.path(), "demo_pkg-1.0.tar.gz");
    write_beside(&wheel, "publish", &attestation(&wheel, PUBLISH_V1));
    let artifacts = [wheel, sdist];
    let found = find(&artifacts).unwrap();
    let why = decide(
        Mode::Require,
        &Target::pypi(),
        TRUSTED,
        &artifacts,
        &found,
        &no_signing(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        why.contains("no attestation beside demo_pkg-1.0.tar.gz"),
        "{why}"
    );
    assert!(why.contains("nothing was uploaded"), "{why}");
    let why = decide(
        Mode::Require,
        &Target::pypi(),
        TOKEN,
        &artifacts[..1],
        &found[..1],
        &no_signing(),
    )
    .unwrap_err()
    .to_string();
    assert!(why.contains("only with trusted publishing"), "{why}");
    let ok = decide(
        Mode::Require,
        &Target::pypi(),
        TRUSTED,
        &artifacts[..1],
        &found[..1],
        &no_signing(),
    );
    assert_eq!(ok.unwrap().attestations.files().len(), 1);
}

#[test]
fn a_malformed_or_duplicate_attestation_is_refused_with_file_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = artifact(dir.path(), "demo_pkg-1.0-py3-none-any.whl");
    let sdist = artifact(dir.path(), "demo_pkg-1.0.tar.gz");
    let bad = write_beside(&wheel, "publish", "{\"version\": 2}");
    write_beside(&sdist, "publish", &attestation(&sdist, PUBLISH_V1));
    let twin = write_beside(&sdist, "mine", &attestation(&sdist, PUBLISH_V1));
    let why = find(&[wheel, sdist]).unwrap_err().to_string();
    assert!(
        why.contains(&format!(
            "cannot send the attestation {}: `version` is not 1",
            bad.display()
        )),
        "{why}"
    );
    assert!(why.contains(&twin.display().to_string()), "{why}");
    assert!(why.contains("same predicate type"), "{why}");
    assert!(why.contains("--no-attestations"), "{why}");
}

#[test]
fn attestation_files_given_go_with_their_file() {
    let files: Vec<PathBuf> = [
        "d/a-1.0.tar.gz",
        "d/a-1.0.tar.gz.publish.attestation",
        "d/a-1.0-py3-none-any.whl",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(
        without_attestation_files(&files).unwrap(),
        [
            PathBuf::from("d/a-1.0.tar.gz"),
            PathBuf::from("d/a-1.0-py3-none-any.whl")
        ]
    );
    let stray = [
        PathBuf::from("d/a-1.0.tar.gz"),
        PathBuf::from("e/a-1.0.tar.gz.publish.attestation"),
    ];
    let why = without_attestation_files(&stray).unwrap_err().to_string();
    assert!(
        why.starts_with("e/a-1.0.tar.gz.publish.attestation given, but not the file"),
        "{why}"
    );
}

#[test]
fn made_for_each_file_without_one_where_the_index_takes_them_and_the_job_can_sign() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = artifact(dir.path(), "demo_pkg-1.0-py3-none-any.whl");
    let sdist = artifact(dir.path(), "demo_pkg-1.0.tar.gz");
    // An SLSA provenance beside the wheel is sent, and a publish one is made too.
    let slsa = attestation(&wheel, SLSA_PROVENANCE_V1);
    write_beside(&wheel, "slsa", &slsa);
    let artifacts = [wheel, sdist];
    let found = find(&artifacts).unwrap();
    let decision = decide(
        Mode::Require,
        &Target::pypi(),
        TRUSTED,
        &artifacts,
        &found,
        &GITHUB,
    )
    .unwrap();
    let making = decision.make.unwrap();
    assert_eq!(making.provider, Provider::GitHubActions);
    let subjects: Vec<(&str, &str)> = making
        .subjects
        .iter()
        .map(|s| (s.name.as_str(), s.sha256.as_str()))
        .collect();
    let expected: Vec<(String, &str)> = artifacts
        .iter()
        .map(|a| (file_name(&a.path), a.sha256.as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = expected.iter().map(|(n, h)| (n.as_str(), *h)).collect();
    assert_eq!(subjects, expected);
    assert_eq!(decision.warning, None);
    let mut sent = decision.attestations;
    sent.add(
        "demo_pkg-1.0-py3-none-any.whl",
        &attestation(&artifacts[0], PUBLISH_V1),
    );
    let field: serde_json::Value =
        serde_json::from_str(sent.field("demo_pkg-1.0-py3-none-any.whl").unwrap()).unwrap();
    assert_eq!(
        field.as_array().unwrap().len(),
        2,
        "the found one and the one made"
    );

    // Nothing is made for an API token, another index, or with --no-attestations.
    for (mode, target, source) in [
        (Mode::Auto, Target::pypi(), TOKEN),
        (Mode::Auto, local(), TRUSTED),
        (Mode::Off, Target::testpypi(), TRUSTED),
    ] {
        let decision = decide(mode, &target, source, &artifacts, &found, &GITHUB).unwrap();
        assert!(decision.make.is_none(), "{mode:?} {} {source}", target.name);
    }
}

#[test]
fn a_job_that_cannot_sign_is_warned_or_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = artifact(dir.path(), "demo_pkg-1.0-py3-none-any.whl");
    let artifacts = [wheel];
    let found = find(&artifacts).unwrap();
    let env = |name: &str| (name == "PYPI_ID_TOKEN").then(|| "a.b.c".to_string());
    let gitlab = crate::publish::credentials::oidc::detect(&env).and_then(|p| {
        crate::publish::credentials::oidc::id_token::sigstore_available(p, &env).map(|()| p)
    });
    let why = gitlab.clone().unwrap_err();
    assert!(why.contains("SIGSTORE_ID_TOKEN is not set"), "{why}");
    let target = Target::pypi();
    let auto = decide(Mode::Auto, &target, TRUSTED, &artifacts, &found, &gitlab).unwrap();
    assert!(auto.make.is_none());
    let warning = auto.warning.unwrap();
    assert!(
        warning.contains("no attestation can be made for demo_pkg-1.0-py3-none-any.whl"),
        "{warning}"
    );
    assert!(warning.contains("aud: sigstore"), "{warning}");
    let refused = decide(Mode::Require, &target, TRUSTED, &artifacts, &found, &gitlab)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("none can be made: SIGSTORE_ID_TOKEN"),
        "{refused}"
    );
    // With the variable set, GitLab CI signs.
    let env = |name: &str| {
        ["PYPI_ID_TOKEN", "SIGSTORE_ID_TOKEN"]
            .contains(&name)
            .then(|| "a.b.c".to_string())
    };
    let provider = crate::publish::credentials::oidc::detect(&env).unwrap();
    assert_eq!(
        crate::publish::credentials::oidc::id_token::sigstore_available(provider, &env),
        Ok(())
    );
}

#[test]
fn a_file_given_twice_is_attested_once() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = artifact(dir.path(), "demo_pkg-1.0-py3-none-any.whl");
    let artifacts = [wheel.clone(), wheel];
    let found = find(&artifacts).unwrap();
    let decision = decide(
        Mode::Auto,
        &Target::pypi(),
        TRUSTED,
        &artifacts,
        &found,
        &GITHUB,
    )
    .unwrap();
    assert_eq!(decision.make.unwrap().subjects.len(), 1);
}
