//! The upload form field by field, parallel uploads after the first, and a
//! wheel pip installs from the index.

use super::*;
use cargo_pypi::publish::attestation::Attestations;

#[test]
fn the_form_carries_the_digests_every_metadata_field_and_the_file() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..1], "a");
    upload(&proxy.target(), &credentials(), &artifacts).unwrap();
    let posts = proxy.posts();
    assert_eq!(posts.len(), 2);
    // The wheel goes first, the sdist last.
    for (post, artifact) in posts.iter().zip([&artifacts[1], &artifacts[0]]) {
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
        assert_eq!(
            post.header("authorization"),
            Some(format!("Basic {basic}").as_str())
        );
        assert_eq!(post.header("accept"), Some("application/json"));
        assert!(post
            .header("user-agent")
            .unwrap()
            .starts_with("cargo-pypi/"));
        let parts = multipart(post);
        let one = |name: &str| -> Vec<&str> {
            parts
                .iter()
                .filter(|(n, _, _)| n == name)
                .map(|(_, _, v)| std::str::from_utf8(v).unwrap())
                .collect()
        };
        let bytes = std::fs::read(&artifact.path).unwrap();
        let wheel = artifact.kind == Kind::Wheel;
        let expected: Vec<(&str, Vec<&str>)> = vec![
            (":action", vec!["file_upload"]),
            ("protocol_version", vec!["1"]),
            ("metadata_version", vec!["2.4"]),
            ("name", vec![NAME]),
            ("version", vec!["1.0.0"]),
            (
                "filetype",
                vec![if wheel { "bdist_wheel" } else { "sdist" }],
            ),
            ("pyversion", vec![if wheel { "cp311" } else { "source" }]),
            ("sha256_digest", vec![&artifact.sha256]),
            // The one digest sent: PyPI takes md5, sha256 or blake2b-256
            // and computes the others; hashing the file again would cost
            // as much CPU as all of maturin's upload.
            ("blake2_256_digest", vec![]),
            ("summary", vec!["A package for upload tests"]),
            ("keywords", vec!["upload,test"]),
            ("author_email", vec!["Jane Doe <jane@example.org>"]),
            ("maintainer", vec!["John Roe"]),
            ("license_expression", vec!["MIT OR Apache-2.0"]),
            ("license_file", vec!["LICENSE"]),
            (
                "classifiers",
                vec![
                    "Programming Language :: Rust",
                    "Programming Language :: Python :: 3",
                ],
            ),
            (
                "requires_dist",
                vec!["numpy>=1.24", "rich ; extra == 'cli'"],
            ),
            ("provides_extra", vec!["cli"]),
            ("requires_python", vec![">=3.9"]),
            (
                "project_urls",
                vec![
                    "Source, https://example.org/demo",
                    "Issues, https://example.org/demo/issues",
                ],
            ),
            (
                "description_content_type",
                vec!["text/markdown; charset=UTF-8; variant=GFM"],
            ),
            (
                "description",
                vec!["# demo-pkg\n\nUploaded by the tests.\n"],
            ),
        ];
        for (name, values) in &expected {
            assert_eq!(&one(name), values, "field {name}");
        }
        assert_eq!(
            Sha256::digest(&bytes).as_slice(),
            hex_bytes(&artifact.sha256)
        );
        let content: Vec<_> = parts.iter().filter(|(n, _, _)| n == "content").collect();
        assert_eq!(content.len(), 1);
        let (_, headers, data) = content[0];
        assert!(
            headers.contains(&format!("filename=\"{}\"", file_name(artifact))),
            "{headers}"
        );
        assert!(
            headers.contains("Content-Type: application/octet-stream"),
            "{headers}"
        );
        assert_eq!(data, &bytes);
        assert_eq!(parts.last().unwrap().0, "content", "the file comes last");
    }
}

/// PEP 740: each file's attestations go in its `attestations` field, a JSON
/// array, before the file; a file without any sends no such field. The
/// recording proxy in front of pypiserver (which ignores the field) sees it.
#[test]
fn attestations_go_in_their_files_form_field() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..1], "a");
    let target = proxy.target();
    let mut attestations = Attestations::for_index(&target.upload_url.to_string());
    let field = r#"[{"version":1,"verification_material":{"certificate":"MA==","transparency_entries":[{}]},"envelope":{"statement":"e30=","signature":"c2ln"}}]"#;
    attestations.insert(&file_name(&artifacts[1]), field.to_string());
    let opts = UploadOptions {
        attestations,
        ..options()
    };
    upload_all(&target, &credentials(), &artifacts, &opts, &NoProgress).unwrap();
    let posts = proxy.posts();
    assert_eq!(posts.len(), 2);
    for post in &posts {
        let parts = multipart(post);
        let content = parts.iter().find(|(n, _, _)| n == "content").unwrap();
        let wheel = content.1.contains(".whl\"");
        let sent: Vec<_> = parts
            .iter()
            .filter(|(n, _, _)| n == "attestations")
            .collect();
        match wheel {
            true => {
                assert_eq!(sent.len(), 1, "{:?}", content.1);
                assert_eq!(std::str::from_utf8(&sent[0].2).unwrap(), field);
                let at = parts.iter().position(|(n, _, _)| n == "attestations");
                assert!(at < parts.iter().position(|(n, _, _)| n == "content"));
            }
            false => assert!(sent.is_empty(), "the sdist has none"),
        }
    }
    assert_on_index(&server, &artifacts);
}

/// Attestations made for one index never go to another (TestPyPI's to PyPI):
/// refused before anything is sent.
#[test]
fn attestations_for_another_index_are_refused_before_anything_is_sent() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    let mut attestations = Attestations::for_index("https://test.pypi.org/legacy/");
    attestations.insert(&file_name(&artifacts[0]), "[]".into());
    let opts = UploadOptions {
        attestations,
        ..options()
    };
    let error = upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &opts,
        &NoProgress,
    )
    .unwrap_err();
    let text = failed(&error, UploadErrorKind::Artifact);
    assert!(
        text.contains("made for https://test.pypi.org/legacy/"),
        "{text}"
    );
    assert!(proxy.posts().is_empty());
}

fn hex_bytes(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The parts of a multipart body: name, part headers, value.
pub(super) fn multipart(post: &Seen) -> Vec<(String, String, Vec<u8>)> {
    let content_type = post.header("content-type").unwrap();
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let body = post.body.as_ref().expect("body kept");
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = &body[..];
    while let Some(start) = find(rest, &delimiter) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        rest = &rest[2..]; // CRLF
        let end = find(rest, &delimiter).unwrap();
        let part = &rest[..end - 2]; // CRLF before the delimiter
        let split = find(part, b"\r\n\r\n").unwrap();
        let headers = String::from_utf8_lossy(&part[..split]).into_owned();
        let name = headers
            .split("name=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        parts.push((name, headers, part[split + 4..].to_vec()));
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn after_the_first_file_uploads_run_in_parallel() {
    let server = Pypiserver::start();
    let delay = Duration::from_millis(400);
    let proxy = FaultProxy::start(
        server.port,
        Faults {
            delays: vec![delay; 100],
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let tags = [
        "cp39-cp39-manylinux_2_17_x86_64",
        "cp310-cp310-manylinux_2_17_x86_64",
        "cp311-cp311-manylinux_2_17_x86_64",
        "cp312-cp312-manylinux_2_17_x86_64",
        "cp313-cp313-manylinux_2_17_x86_64",
        "cp39-cp39-win_amd64",
        "cp310-cp310-win_amd64",
    ];
    let artifacts = release(dir.path(), "1.0.0", &tags, "a");
    let started = Instant::now();
    let result = upload(&proxy.target(), &credentials(), &artifacts).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(outcomes(&result), vec![Outcome::Uploaded; 8]);
    let posts = proxy.posts();
    let first = posts.iter().min_by_key(|p| p.started).unwrap();
    assert!(
        posts
            .iter()
            .filter(|p| p.started != first.started)
            .all(|p| p.started >= first.ended),
        "the first file goes alone"
    );
    let most = proxy.max_uploads_at_once();
    assert!((2..=4).contains(&most), "{most} uploads at once");
    // One by one, eight answers would take 3.2 s.
    assert!(elapsed < delay * 6, "{elapsed:?}");
    assert_on_index(&server, &artifacts);
}

#[test]
fn the_uploaded_wheel_installs_with_pip() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let wheel = wheel(
        dir.path(),
        NAME,
        "2.1.0",
        "py3-none-any",
        "VALUE = 4711\n",
        b"",
    );
    let artifacts = vec![read(&sdist(dir.path(), NAME, "2.1.0", "x")), read(&wheel)];
    upload(&server.target(), &credentials(), &artifacts).unwrap();
    let target = tempfile::tempdir().unwrap();
    let venv = venv();
    let out = Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-cache-dir",
            "--disable-pip-version-check",
        ])
        .args(["--only-binary", ":all:", "--target"])
        .arg(target.path())
        .arg("--index-url")
        .arg(format!(
            "http://{USER}:{PASSWORD}@127.0.0.1:{}/simple/",
            server.port
        ))
        .arg(format!("{NAME}==2.1.0"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pip install failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(venv.join("bin/python"))
        .args(["-c", "import demo_pkg; print(demo_pkg.VALUE)"])
        .env("PYTHONPATH", target.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "4711",
        "{out:?}"
    );
}
