//! [`decide`], [`find`] and [`without_attestation_files`]: which attestations
//! go where, and the refusals.

use super::statement::{publish_statement, PUBLISH_V1, SLSA_PROVENANCE_V1};
use super::*;
use crate::dist::Kind;
use crate::publish::url::DisplaySafeUrl;
use base64::Engine;
use serde_json::json;

const TRUSTED: &str = "trusted publishing (GitHub Actions)";
const TOKEN: &str = "environment variable PYPI_API_TOKEN";

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
        let decision = decide(Mode::Auto, &target, TRUSTED, &artifacts, &found).unwrap();
        assert_eq!(decision.warning, None);
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
    let token = decide(Mode::Auto, &Target::pypi(), TOKEN, &artifacts, &found).unwrap();
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
    let other = decide(Mode::Auto, &local(), TRUSTED, &artifacts, &found).unwrap();
    assert!(other.attestations.is_empty());
    assert!(other
        .warning
        .unwrap()
        .contains("only PyPI and TestPyPI take attestations"));
    let off = decide(Mode::Off, &local(), TOKEN, &artifacts, &found).unwrap();
    assert_eq!((off.attestations.is_empty(), off.warning), (true, None));
    let none = decide(Mode::Auto, &local(), TOKEN, &artifacts, &[vec![]]).unwrap();
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
    let why = decide(Mode::Require, &Target::pypi(), TRUSTED, &artifacts, &found)
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
