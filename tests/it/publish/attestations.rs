//! PEP 740 attestations beside the files, through the real binary: left out
//! with a warning where the index would refuse them (an API token, an index
//! that is not PyPI), `--attestations=require` refusing before anything is
//! sent, `--no-attestations`, and a malformed or stale attestation refused
//! with its file and reason. The index is a real pypiserver behind the
//! recording proxy, which shows what each upload carried. (Sending them needs
//! PyPI and trusted publishing: the form field is checked in `upload::form`,
//! the decision in the library's unit tests.)

use crate::support::index::*;
use crate::support::{OutputExt, TestContext};
use base64::Engine;
use std::path::{Path, PathBuf};
use std::process::Output;

const NAME: &str = "demo-pkg";

/// A wheel and an sdist of `NAME` 1.0.0 in `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    vec![
        wheel(dir, NAME, "1.0.0", "py3-none-any", "VALUE = 1\n", b""),
        sdist(dir, NAME, "1.0.0", "a"),
    ]
}

/// A well-formed attestation object for `file` (not signed: no index here verifies it).
fn attestation_for(file: &Path, sha256: &str) -> String {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let statement = serde_json::json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": file.file_name().unwrap().to_str().unwrap(), "digest": {"sha256": sha256}}],
        "predicateType": "https://docs.pypi.org/attestations/publish/v1",
        "predicate": {},
    });
    serde_json::json!({
        "version": 1,
        "verification_material": {
            "certificate": b64(&[0x30, 0x03, 0x02, 0x01, 0x01]),
            "transparency_entries": [{"logIndex": "1"}],
        },
        "envelope": {"statement": b64(statement.to_string().as_bytes()), "signature": b64(b"sig")},
    })
    .to_string()
}

/// Writes `FILE.publish.attestation` beside `file`; returns its path.
fn attest(file: &Path, text: &str) -> PathBuf {
    let path = PathBuf::from(format!("{}.publish.attestation", file.display()));
    std::fs::write(&path, text).unwrap();
    path
}

fn publish(ctx: &TestContext, url: &str, extra: &[&str], files: &[PathBuf]) -> Output {
    let mut args = vec!["publish", "--repository-url", url, "--wait", "20"];
    args.extend(extra);
    let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(files.iter().map(String::as_str));
    ctx.command(&args)
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", PASSWORD)
        .output()
        .expect("run cargo-pypi")
}

fn carried_attestations(proxy: &FaultProxy) -> usize {
    let posts = proxy.posts();
    let bodies = posts
        .iter()
        .map(|p| String::from_utf8_lossy(p.body.as_ref().unwrap()).into_owned());
    bodies
        .filter(|b| b.contains("name=\"attestations\""))
        .count()
}

#[test]
fn with_a_password_to_another_index_they_are_left_out_with_a_warning() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let ctx = TestContext::empty();
    let files = files(ctx.path());
    let given = attest(
        &files[0],
        &attestation_for(&files[0], &sha256_of(&files[0])),
    );
    // `dist/*` passes the attestation file too: it goes with its wheel.
    let mut all = files.clone();
    all.push(given);
    let out = publish(&ctx, &format!("{}/", proxy.base()), &[], &all);
    assert!(out.status.success(), "{}", out.stderr());
    let wheel = files[0].file_name().unwrap().to_str().unwrap();
    let err = out.stderr();
    assert!(
        err.contains(&format!("leaving out the attestations of {wheel}")),
        "{err}"
    );
    assert!(
        err.contains("only PyPI and TestPyPI take attestations"),
        "{err}"
    );
    assert_eq!(proxy.posts().len(), 2);
    assert_eq!(carried_attestations(&proxy), 0);
    assert_eq!(server.files().len(), 2);

    let quiet = TestContext::empty();
    let files = self::files(quiet.path());
    attest(
        &files[0],
        &attestation_for(&files[0], &sha256_of(&files[0])),
    );
    let other = Pypiserver::start();
    let again = FaultProxy::start(other.port, Faults::default());
    let out = publish(
        &quiet,
        &format!("{}/", again.base()),
        &["--no-attestations"],
        &files,
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert!(!out.stderr().contains("attestation"), "{}", out.stderr());
    assert_eq!(carried_attestations(&again), 0);
}

#[test]
fn require_refuses_before_anything_is_sent() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let ctx = TestContext::empty();
    let files = files(ctx.path());
    for file in &files {
        attest(file, &attestation_for(file, &sha256_of(file)));
    }
    let url = format!("{}/", proxy.base());
    let out = publish(&ctx, &url, &["--attestations=require"], &files);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    let err = out.stderr();
    assert!(
        err.contains("--attestations=require: only PyPI and TestPyPI take attestations"),
        "{err}"
    );
    assert!(err.contains("nothing was uploaded"), "{err}");
    assert!(proxy.seen().is_empty(), "not even the index was read");
    // PyPI itself, with an API token: refused too, before any request.
    let out = ctx
        .command(&["publish", "-r", "pypi", "--attestations", "require", "-y"])
        .args(&files)
        .env("PYPI_API_TOKEN", "pypi-AgEIcHlwaS5vcmcfake")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    let err = out.stderr();
    assert!(
        err.contains("takes attestations only with trusted publishing"),
        "{err}"
    );
    assert!(err.contains("environment variable PYPI_API_TOKEN"), "{err}");
    assert!(!err.contains("pypi-AgEIcHlwaS5vcmcfake"), "{err}");
    assert!(server.files().is_empty());
}

#[test]
fn a_malformed_or_stale_attestation_is_refused_with_file_and_reason() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let ctx = TestContext::empty();
    let files = files(ctx.path());
    let broken = attest(&files[0], r#"{"version": 1, "envelope": {}}"#);
    let stale = attest(&files[1], &attestation_for(&files[1], &"0".repeat(64)));
    let out = publish(&ctx, &format!("{}/", proxy.base()), &[], &files);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    let err = out.stderr();
    let name = |p: &PathBuf| p.file_name().unwrap().to_str().unwrap().to_string();
    assert!(err.contains(&name(&broken)), "{err}");
    assert!(
        err.contains("`verification_material` is missing or not an object"),
        "{err}"
    );
    assert!(err.contains(&name(&stale)), "{err}");
    assert!(err.contains("rebuilt after it was signed"), "{err}");
    assert!(proxy.seen().is_empty(), "nothing sent");
    assert!(server.files().is_empty());
}
