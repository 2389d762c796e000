//! The multipart form of PyPI's legacy upload API: the protocol fields, the
//! sha256 digest, every core metadata field the index records (from the one field
//! table, `dist::metadata::FIELDS`; multi-use fields repeated), PEP 740
//! attestations (`attestations`, a JSON array), and the file itself last,
//! streamed from disk.

use super::{UploadError, UploadErrorKind};
use crate::digest::Digests;
use crate::dist::metadata::FIELDS;
use crate::dist::{Artifact, Kind};
use crate::publish::attestation::Attestations;
use crate::publish::url::DisplaySafeUrl;
use reqwest::blocking::multipart::{Form, Part};
use std::io::Read;

/// `attestations` when they are for `upload_url`: a set made for another
/// index is refused (an attestation is for one index), before anything is sent.
pub(crate) fn attestations_for<'a>(
    attestations: &'a Attestations,
    upload_url: &DisplaySafeUrl,
) -> Result<&'a Attestations, UploadError> {
    let here = upload_url.without_credentials().to_string();
    if attestations.is_empty() || attestations.upload_url == here {
        return Ok(attestations);
    }
    Err(UploadErrorKind::Artifact.error(format!(
        "the attestations of {} were made for {}, and cannot go to {here} \
         (an attestation is for one index); nothing was uploaded",
        attestations.files().join(", "),
        attestations.upload_url
    )))
}

/// Adds `file`'s `attestations` field (a JSON array), when it has attestations.
pub(crate) fn attach(
    fields: &mut Vec<(&'static str, String)>,
    attestations: &Attestations,
    file: &str,
) {
    if let Some(field) = attestations.field(file) {
        fields.push(("attestations", field.to_string()));
    }
}

/// The text fields of an upload, in the order they are sent.
pub(crate) fn fields(
    artifact: &Artifact,
    digests: &Digests,
) -> Result<Vec<(&'static str, String)>, String> {
    let meta = artifact.metadata.as_ref().ok_or(
        "it has no core metadata (METADATA in a wheel, PKG-INFO in an sdist), which the index requires: rebuild it, and run `cargo pypi check-dist` on it",
    )?;
    let metadata_version = meta
        .get("Metadata-Version")
        .filter(|v| !v.is_empty())
        .ok_or("its metadata has no Metadata-Version, which the index requires: rebuild it with a current maturin")?;
    if artifact.name.is_empty() || artifact.version.is_empty() {
        return Err(
            "its metadata gives no Name or Version, which the index requires: rebuild it, and run `cargo pypi check-dist` on it".into(),
        );
    }
    let mut out: Vec<(&'static str, String)> = vec![
        (":action", "file_upload".into()),
        ("protocol_version", "1".into()),
        ("metadata_version", metadata_version),
        ("name", artifact.name.clone()),
        ("version", artifact.version.clone()),
        (
            "filetype",
            match artifact.kind {
                Kind::Wheel => "bdist_wheel",
                Kind::Sdist => "sdist",
            }
            .into(),
        ),
        ("pyversion", artifact.pyversion.clone()),
        ("sha256_digest", digests.sha256.clone()),
    ];
    for field in FIELDS {
        let Some(form) = field.form else { continue };
        let values = match field.multi {
            true => meta.get_all(field.name),
            false => meta.get(field.name).into_iter().collect(),
        };
        out.extend(values.into_iter().map(|value| (form, value)));
    }
    if let Some(description) = meta.description() {
        out.push(("description", description));
    }
    Ok(out)
}

/// The form: `fields`, then the file part `content` read from `file` (`size` bytes).
pub(crate) fn multipart(
    fields: &[(&'static str, String)],
    file_name: &str,
    file: impl Read + Send + 'static,
    size: u64,
) -> Form {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(*name, value.clone());
    }
    let part = Part::reader_with_length(file, size)
        .file_name(file_name.to_string())
        .mime_str("application/octet-stream")
        .expect("a valid MIME type");
    form.part("content", part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::CoreMetadata;
    use std::path::PathBuf;

    const META: &str = "Metadata-Version: 2.4
Name: demo-pkg
Version: 1.2.0
Summary: A demo
Keywords: a,b
Author-email: Jane <jane@example.org>
License-Expression: MIT
License-File: LICENSE
License-File: NOTICE
Classifier: Programming Language :: Rust
Classifier: Typing :: Typed
Requires-Dist: numpy>=1.24
Requires-Dist: rich ; extra == 'cli'
Provides-Extra: cli
Dynamic: license-file
Requires-Python: >=3.9
Project-URL: Source, https://example.org/demo
Description-Content-Type: text/markdown

# Demo

Hello.
";

    fn artifact(kind: Kind) -> Artifact {
        Artifact {
            path: PathBuf::from("demo_pkg-1.2.0.tar.gz"),
            kind,
            name: "demo-pkg".into(),
            version: "1.2.0".into(),
            size: 3,
            sha256: String::new(),
            pyversion: if kind == Kind::Sdist {
                "source"
            } else {
                "cp311"
            }
            .into(),
            metadata: Some(CoreMetadata::parse(META)),
        }
    }

    fn digests() -> Digests {
        Digests {
            sha256: "a".repeat(64),
            size: 3,
        }
    }

    fn values<'a>(fields: &'a [(&str, String)], name: &str) -> Vec<&'a str> {
        fields
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    #[test]
    fn every_field_the_index_records() {
        let fields = fields(&artifact(Kind::Sdist), &digests()).unwrap();
        let one = |name| values(&fields, name);
        assert_eq!(one(":action"), ["file_upload"]);
        assert_eq!(one("protocol_version"), ["1"]);
        assert_eq!(one("metadata_version"), ["2.4"]);
        assert_eq!(one("name"), ["demo-pkg"]);
        assert_eq!(one("version"), ["1.2.0"]);
        assert_eq!(one("filetype"), ["sdist"]);
        assert_eq!(one("pyversion"), ["source"]);
        assert_eq!(one("sha256_digest"), ["a".repeat(64)]);
        assert!(one("blake2_256_digest").is_empty());
        assert_eq!(one("summary"), ["A demo"]);
        assert_eq!(one("keywords"), ["a,b"]);
        assert_eq!(one("author_email"), ["Jane <jane@example.org>"]);
        assert_eq!(one("license_expression"), ["MIT"]);
        assert_eq!(one("license_file"), ["LICENSE", "NOTICE"]);
        assert_eq!(
            one("classifiers"),
            ["Programming Language :: Rust", "Typing :: Typed"]
        );
        assert_eq!(
            one("requires_dist"),
            ["numpy>=1.24", "rich ; extra == 'cli'"]
        );
        assert_eq!(one("provides_extra"), ["cli"]);
        assert_eq!(one("dynamic"), ["license-file"]);
        assert_eq!(one("requires_python"), [">=3.9"]);
        assert_eq!(one("project_urls"), ["Source, https://example.org/demo"]);
        assert_eq!(one("description_content_type"), ["text/markdown"]);
        assert_eq!(one("description"), ["# Demo\n\nHello.\n"]);
        assert!(one("license").is_empty());
    }

    #[test]
    fn wheels_send_their_python_tag() {
        let fields = fields(&artifact(Kind::Wheel), &digests()).unwrap();
        assert_eq!(values(&fields, "filetype"), ["bdist_wheel"]);
        assert_eq!(values(&fields, "pyversion"), ["cp311"]);
    }

    #[test]
    fn an_artifact_without_metadata_is_refused() {
        let mut a = artifact(Kind::Wheel);
        a.metadata = None;
        assert!(fields(&a, &digests())
            .unwrap_err()
            .contains("no core metadata"));
        let mut a = artifact(Kind::Wheel);
        a.metadata = Some(CoreMetadata::parse("Name: x\nVersion: 1\n"));
        assert!(fields(&a, &digests())
            .unwrap_err()
            .contains("Metadata-Version"));
    }

    #[test]
    fn the_file_comes_last_with_its_name_and_type() {
        let fields = vec![(":action", "file_upload".to_string())];
        let form = multipart(&fields, "demo-1.0.tar.gz", &b"xyz"[..], 3);
        let mut body = String::new();
        form.into_reader().read_to_string(&mut body).unwrap();
        let action = body.find("name=\":action\"").unwrap();
        let content = body
            .find("name=\"content\"; filename=\"demo-1.0.tar.gz\"\r\nContent-Type: application/octet-stream\r\n\r\nxyz\r\n")
            .unwrap();
        assert!(action < content);
    }
}
