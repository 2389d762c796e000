//! An attestation file checked before it is sent: the JSON shape of PEP 740's
//! attestation object (`version` 1, `verification_material` with
//! `certificate` and at least one `transparency_entries`, `envelope` with
//! `statement` and `signature`, base64), and its statement: in-toto v1, one
//! subject that is this file (name and sha256), a predicate type PyPI takes.
//! What PyPI would answer with "400 Invalid attestations supplied during
//! upload" is refused here, before anything is sent. (The signature and the
//! certificate are for the index to verify.)

use super::statement::{ACCEPTED, STATEMENT_V1};
use base64::Engine;
use serde_json::Value;

/// The predicate type of `text`, an attestation for `file_name` with content
/// `sha256`; else what is wrong with it, in words.
pub(crate) fn check(text: &str, file_name: &str, sha256: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
    if value.get("version").and_then(Value::as_u64) != Some(1) {
        return Err("`version` is not 1 (PEP 740's attestation object)".into());
    }
    let material = object(&value, "verification_material")?;
    let certificate = base64_field(material, "verification_material", "certificate")?;
    if certificate.first() != Some(&0x30) {
        return Err("`verification_material.certificate` is not a DER certificate".into());
    }
    let entries = material
        .get("transparency_entries")
        .and_then(Value::as_array);
    match entries {
        Some(entries) if !entries.is_empty() && entries.iter().all(Value::is_object) => {}
        _ => {
            return Err(
                "`verification_material.transparency_entries` is not a list of at least one entry"
                    .into(),
            )
        }
    }
    let envelope = object(&value, "envelope")?;
    base64_field(envelope, "envelope", "signature")?;
    let statement = base64_field(envelope, "envelope", "statement")?;
    let statement: Value = serde_json::from_slice(&statement)
        .map_err(|e| format!("`envelope.statement` is not JSON ({e})"))?;
    subject_of(&statement, file_name, sha256)
}

fn object<'a>(value: &'a Value, key: &str) -> Result<&'a Value, String> {
    value
        .get(key)
        .filter(|v| v.is_object())
        .ok_or_else(|| format!("`{key}` is missing or not an object"))
}

/// The bytes of a base64 string field; an empty one is refused too.
fn base64_field(value: &Value, parent: &str, key: &str) -> Result<Vec<u8>, String> {
    let text = value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{parent}.{key}` is missing or not a string"))?;
    // Line breaks and spaces are allowed, as the reference reader (pydantic's
    // base64) allows them.
    let text: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("`{parent}.{key}` is not base64 ({e})"))?;
    match bytes.is_empty() {
        true => Err(format!("`{parent}.{key}` is empty")),
        false => Ok(bytes),
    }
}

/// The statement's predicate type, when its one subject is this file.
fn subject_of(statement: &Value, file_name: &str, sha256: &str) -> Result<String, String> {
    if statement.get("_type").and_then(Value::as_str) != Some(STATEMENT_V1) {
        return Err(format!(
            "its statement is not an in-toto statement ({STATEMENT_V1})"
        ));
    }
    let subjects = statement.get("subject").and_then(Value::as_array);
    let [subject] = subjects.map(Vec::as_slice).unwrap_or_default() else {
        return Err("its statement does not have exactly one subject".into());
    };
    let name = subject.get("name").and_then(Value::as_str).unwrap_or("");
    if name != file_name {
        return Err(format!("it was made for {name:?}, not for this file"));
    }
    let digest = subject
        .pointer("/digest/sha256")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !digest.eq_ignore_ascii_case(sha256) {
        return Err(format!(
            "it was made for other content (sha256 {digest}, the file's is {sha256}): the file was rebuilt after it was signed"
        ));
    }
    let predicate = statement.get("predicateType").and_then(Value::as_str);
    match predicate {
        Some(p) if ACCEPTED.contains(&p) => Ok(p.to_string()),
        other => Err(format!(
            "its predicate type {} is none PyPI takes ({})",
            other.map_or("(none)".into(), |p| format!("{p:?}")),
            ACCEPTED.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::attestation::statement::{publish_statement, PUBLISH_V1};
    use serde_json::json;

    const FILE: &str = "demo_pkg-1.0-py3-none-any.whl";

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn sha() -> String {
        "c0".repeat(32)
    }

    /// A well-formed attestation object (the certificate only DER-shaped).
    fn good() -> Value {
        let statement = publish_statement(FILE, &sha()).to_string();
        json!({
            "version": 1,
            "verification_material": {
                "certificate": b64(&[0x30, 0x82, 0x01, 0x00]),
                "transparency_entries": [{"logIndex": "1"}],
            },
            "envelope": {
                "statement": b64(statement.as_bytes()),
                "signature": b64(b"sig"),
            },
        })
    }

    fn refused(value: &Value) -> String {
        check(&value.to_string(), FILE, &sha()).unwrap_err()
    }

    #[test]
    fn a_pep_740_attestation_object_passes_with_its_predicate_type() {
        assert_eq!(
            check(&good().to_string(), FILE, &sha()).unwrap(),
            PUBLISH_V1
        );
        let mut extra = good();
        extra["producer"] = json!("keys beyond the listed ones are allowed");
        assert!(check(&extra.to_string(), FILE, &sha()).is_ok());
    }

    #[test]
    fn every_required_part_is_checked() {
        assert!(check("{", FILE, &sha()).unwrap_err().contains("not JSON"));
        let cases: Vec<(&str, Value, &str)> = vec![
            ("/version", json!(2), "`version` is not 1"),
            (
                "/verification_material",
                json!([]),
                "`verification_material` is missing",
            ),
            (
                "/verification_material/certificate",
                json!(7),
                "certificate` is missing or not a string",
            ),
            (
                "/verification_material/certificate",
                json!("%%%"),
                "certificate` is not base64",
            ),
            (
                "/verification_material/certificate",
                json!(b64(b"PEM?")),
                "not a DER certificate",
            ),
            (
                "/verification_material/transparency_entries",
                json!([]),
                "at least one entry",
            ),
            ("/envelope", json!(null), "`envelope` is missing"),
            (
                "/envelope/signature",
                json!(""),
                "`envelope.signature` is empty",
            ),
            (
                "/envelope/statement",
                json!(b64(b"not json")),
                "`envelope.statement` is not JSON",
            ),
        ];
        for (pointer, value, expected) in cases {
            let mut bad = good();
            *bad.pointer_mut(pointer).unwrap() = value;
            let why = refused(&bad);
            assert!(why.contains(expected), "{pointer}: {why}");
        }
    }

    #[test]
    fn the_statement_must_be_this_files() {
        let with = |statement: Value| {
            let mut bad = good();
            bad["envelope"]["statement"] = json!(b64(statement.to_string().as_bytes()));
            refused(&bad)
        };
        let base = publish_statement(FILE, &sha());
        let mut other_name = base.clone();
        other_name["subject"][0]["name"] = json!("demo_pkg-1.0.tar.gz");
        assert!(with(other_name).contains("made for \"demo_pkg-1.0.tar.gz\""));
        let other_content = publish_statement(FILE, &"ee".repeat(32));
        assert!(with(other_content).contains("rebuilt after it was signed"));
        let mut two = base.clone();
        two["subject"] = json!([base["subject"][0], base["subject"][0]]);
        assert!(with(two).contains("exactly one subject"));
        let mut kind = base.clone();
        kind["_type"] = json!("https://in-toto.io/Statement/v0.1");
        assert!(with(kind).contains("not an in-toto statement"));
        let mut predicate = base.clone();
        predicate["predicateType"] = json!("https://example.org/mine");
        assert!(with(predicate).contains("none PyPI takes"));
    }
}
