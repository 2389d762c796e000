//! The in-toto statement of a PyPI publish attestation (PEP 740;
//! <https://docs.pypi.org/attestations/publish/v1>): what a signer signs for
//! one file, and what an attestation file's envelope must hold.

use serde_json::{json, Value};

/// `_type` of an in-toto v1 statement.
pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";
/// The predicate type of a PyPI publish attestation.
pub const PUBLISH_V1: &str = "https://docs.pypi.org/attestations/publish/v1";
/// The predicate type of SLSA provenance, the other one PyPI takes.
pub const SLSA_PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
/// The predicate types PyPI accepts, at most one attestation of each per file.
pub const ACCEPTED: [&str; 2] = [PUBLISH_V1, SLSA_PROVENANCE_V1];

/// The statement a publish attestation signs for `file_name` (as uploaded,
/// no folder) with content `sha256` (hex): one subject, an empty predicate.
pub fn publish_statement(file_name: &str, sha256: &str) -> Value {
    json!({
        "_type": STATEMENT_V1,
        "subject": [{"name": file_name, "digest": {"sha256": sha256}}],
        "predicateType": PUBLISH_V1,
        "predicate": {},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_publish_statement_follows_the_spec() {
        let sha = "a3".repeat(32);
        let statement = publish_statement("demo_pkg-1.0-py3-none-any.whl", &sha);
        // in-toto Statement v1, as PyPI's publish/v1 page and PEP 740 give it:
        // one subject (the file name, its sha256), the predicate empty.
        let expected = json!({
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [{
                "name": "demo_pkg-1.0-py3-none-any.whl",
                "digest": {"sha256": sha},
            }],
            "predicateType": "https://docs.pypi.org/attestations/publish/v1",
            "predicate": {},
        });
        assert_eq!(statement, expected);
        let object = statement.as_object().unwrap();
        assert_eq!(object.len(), 4, "no other keys: {statement}");
    }
}
