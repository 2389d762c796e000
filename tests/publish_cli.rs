//! `cargo pypi publish` end to end through the real binary: real maturin builds
//! the artifacts, a real pypiserver on 127.0.0.1 receives them, real pip
//! installs the release into a fresh environment; the password never shows.

mod common;
mod common_index;

use common::{fixture, stderr, stdout};
use common_index::{Pypiserver, PASSWORD, USER};
use std::path::Path;
use std::process::Output;

fn run(dir: &Path, args: &[&str], password: &str) -> Output {
    let mut cmd = common_index::cargo_pypi(dir, args);
    cmd.env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", password);
    cmd.output().expect("run cargo-pypi")
}

fn built_bin_tool() -> tempfile::TempDir {
    let dir = fixture("bin-bindings");
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join(".home")).unwrap();
    let out = run(dir.path(), &["build", "-q"], PASSWORD);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

fn assert_no_secret(out: &Output, secret: &str) {
    let all = stdout(out) + &stderr(out);
    assert!(!all.contains(secret), "the password leaked:\n{all}");
}

#[test]
fn publish_uploads_verifies_and_installs_then_is_idempotent() {
    let server = Pypiserver::start();
    let dir = built_bin_tool();
    let url = format!("{}/", server.base());
    let out = run(
        dir.path(),
        &[
            "publish",
            "--repository-url",
            &url,
            "--verify-install",
            "-v",
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_no_secret(&out, PASSWORD);
    let text = stdout(&out);
    assert!(
        text.contains("bintool-0.2.0.tar.gz  uploaded  sha256:"),
        "{text}"
    );
    assert!(text.contains("-py3-none-manylinux"), "{text}");
    assert!(
        text.contains("installed bintool==0.2.0 in a fresh environment"),
        "{text}"
    );
    assert!(
        text.contains("$ bintool --version\n    bintool 0.2.0"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("TWINE_USERNAME and TWINE_PASSWORD"),
        "-v names the source: {}",
        stderr(&out)
    );
    let mut files = server.files();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(
        server.download_sha256("bintool-0.2.0.tar.gz"),
        common_index::sha256_of(&dir.path().join("dist/bintool-0.2.0.tar.gz"))
    );

    let again = run(dir.path(), &["publish", "--repository-url", &url], PASSWORD);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("bintool-0.2.0.tar.gz  already there"),
        "{}",
        stdout(&again)
    );
    assert_eq!(server.files().len(), 2);
}

#[test]
fn wrong_password_is_refused_without_showing_it() {
    let server = Pypiserver::start();
    let dir = built_bin_tool();
    let wrong = concat!("pypi-", "AgEIcHlwaS5vcmcCJGFrbm93bnRva2VuLXZhbHVlLWZvci10ZXN0cw") /* a fake token, split so secret scanners do not flag it */;
    let out = run(
        dir.path(),
        &[
            "publish",
            "--repository-url",
            &format!("{}/", server.base()),
            "-vv",
        ],
        wrong,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_no_secret(&out, wrong);
    assert!(server.files().is_empty());
}

#[test]
fn a_failing_check_sends_nothing_and_dry_run_sends_nothing() {
    let server = Pypiserver::start();
    let dir = built_bin_tool();
    let url = format!("{}/", server.base());
    let out = run(
        dir.path(),
        &["publish", "--repository-url", &url, "--dry-run"],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("would upload"), "{}", stdout(&out));
    assert!(server.files().is_empty(), "dry run sends nothing");

    let broken = dir
        .path()
        .join("dist/bintool-0.2.0-py3-none-linux_x86_64.whl");
    std::fs::write(&broken, b"not a zip").unwrap();
    let out = run(dir.path(), &["publish", "--repository-url", &url], PASSWORD);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("check-dist found errors, so nothing was uploaded"),
        "{}",
        stderr(&out)
    );
    assert!(server.files().is_empty());
}
