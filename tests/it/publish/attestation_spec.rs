//! The publish statement and the attestation checks against the reference
//! implementation of PEP 740: `pypi-attestations` (with sigstore-python)
//! from the test venv, which PyPI itself uses to read uploaded attestations.

use crate::support::index::*;
use crate::support::sigstore::with_input;
use base64::Engine;
use cargo_pypi::publish::attestation::{self, statement::publish_statement};
use serde_json::{json, Value};
use std::process::Command;

/// Runs `script` with the venv's Python, `input` on stdin; its stdout as JSON.
fn reference(script: &str, args: &[&str], input: &str) -> Value {
    let mut cmd = Command::new(venv().join("bin/python"));
    cmd.args(["-c", script]).args(args);
    let out = with_input(cmd, input.as_bytes());
    assert!(
        out.status.success(),
        "pypi-attestations is missing from the test venv (scripts/test.sh installs it)? {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const STATEMENT: &str = r#"
import json, sys
from pypi_attestations import AttestationType
from sigstore.dsse import DigestSet, StatementBuilder, Subject, _Statement
name, sha256 = sys.argv[1:3]
built = StatementBuilder().subjects(
    [Subject(name=name, digest=DigestSet(root={"sha256": sha256}))]
).predicate_type(AttestationType.PYPI_PUBLISH_V1).build()
ours = _Statement.model_validate_json(sys.stdin.read())
print(json.dumps({"reference": json.loads(built._contents), "ours_parsed": ours.predicate_type}))
"#;

#[test]
fn the_publish_statement_is_the_reference_implementations() {
    let name = "demo_pkg-1.0.0-cp311-cp311-manylinux_2_17_x86_64.whl";
    let sha = "5e".repeat(32);
    let ours = publish_statement(name, &sha);
    let answer = reference(STATEMENT, &[name, &sha], &ours.to_string());
    assert_eq!(answer["ours_parsed"], attestation::statement::PUBLISH_V1);
    let mut theirs = answer["reference"].clone();
    // docs.pypi.org/attestations/publish/v1: the predicate "MUST be either
    // empty ({}) or not supplied (null)"; sigstore-python writes null.
    assert!(matches!(theirs["predicate"], Value::Null), "{theirs}");
    theirs["predicate"] = json!({});
    assert_eq!(ours, theirs);
}

const MODEL: &str = r#"
import json, sys
from pypi_attestations import Attestation
verdicts = []
for line in sys.stdin.read().splitlines():
    try:
        Attestation.model_validate_json(line)
        verdicts.append(True)
    except Exception:
        verdicts.append(False)
print(json.dumps(verdicts))
"#;

/// What pypi-attestations' model (PEP 740's attestation object) takes is
/// taken, what it refuses is refused (this tool is stricter still about the
/// subject, which the model leaves to verification).
#[test]
fn attestation_objects_are_judged_as_the_reference_model_does() {
    let dir = tempfile::tempdir().unwrap();
    let artifact = read(&wheel(
        dir.path(),
        "demo-pkg",
        "1.0.0",
        "py3-none-any",
        "V = 1\n",
        b"",
    ));
    let file = artifact
        .path
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let statement = publish_statement(&file, &artifact.sha256).to_string();
    let mut certificate = vec![0x30, 0x82];
    certificate.extend([7u8; 70]);
    let good = json!({
        "version": 1,
        "verification_material": {
            "certificate": b64(&certificate),
            "transparency_entries": [{"logIndex": "7", "kindVersion": {"kind": "dsse", "version": "0.0.1"}}],
        },
        "envelope": {"statement": b64(statement.as_bytes()), "signature": b64(b"signature")},
    });
    let edit = |pointer: &str, value: Option<Value>| {
        let mut v = good.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let parent = v.pointer_mut(parent).unwrap().as_object_mut().unwrap();
        match value {
            Some(value) => parent.insert(key.to_string(), value),
            None => parent.remove(key),
        };
        v
    };
    // Base64 broken into lines, as some encoders write it.
    let wrapped = b64(&certificate)
        .as_bytes()
        .chunks(20)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let cases: Vec<(&str, Value)> = vec![
        ("well-formed", good.clone()),
        (
            "base64 in lines",
            edit("/verification_material/certificate", Some(json!(wrapped))),
        ),
        ("version 2", edit("/version", Some(json!(2)))),
        (
            "no entries",
            edit(
                "/verification_material/transparency_entries",
                Some(json!([])),
            ),
        ),
        (
            "no certificate",
            edit("/verification_material/certificate", None),
        ),
        ("no material", edit("/verification_material", None)),
        ("no signature", edit("/envelope/signature", None)),
        ("no envelope", edit("/envelope", None)),
    ];
    let lines: Vec<String> = cases.iter().map(|(_, v)| v.to_string()).collect();
    let theirs = reference(MODEL, &[], &lines.join("\n"));
    let path = format!("{}.publish.attestation", artifact.path.display());
    for ((case, value), theirs) in cases.iter().zip(theirs.as_array().unwrap()) {
        std::fs::write(&path, value.to_string()).unwrap();
        let ours = attestation::find(std::slice::from_ref(&artifact));
        assert_eq!(ours.is_ok(), theirs.as_bool().unwrap(), "{case}: {ours:?}");
    }
}
