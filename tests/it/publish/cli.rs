//! `cargo pypi publish` end to end through the real binary: real maturin builds
//! the artifacts, a real pypiserver on 127.0.0.1 receives them, real pip
//! installs the release into a fresh environment; the password never shows.

use crate::support::index::{self, Pypiserver, PASSWORD, USER};
use crate::support::{OutputExt, TestContext};
use std::process::Output;

/// `cargo pypi <args>` with the test user and `password` in twine's variables.
fn run(ctx: &TestContext, args: &[&str], password: &str) -> Output {
    ctx.command(args)
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", password)
        .output()
        .expect("run cargo-pypi")
}

/// bin-bindings built with the venv's maturin.
fn built_bin_tool() -> TestContext {
    let ctx = TestContext::fixture("bin-bindings").git_root().venv();
    let out = run(&ctx, &["build", "-q"], PASSWORD);
    assert!(out.status.success(), "{}", out.stderr());
    ctx
}

fn assert_no_secret(out: &Output, secret: &str) {
    let all = out.all();
    assert!(!all.contains(secret), "the password leaked:\n{all}");
}

#[test]
fn publish_uploads_verifies_and_installs_then_is_idempotent() {
    let server = Pypiserver::start();
    let ctx = built_bin_tool();
    let url = format!("{}/", server.base());
    let out = run(
        &ctx,
        &[
            "publish",
            "--repository-url",
            &url,
            "--verify-install",
            "-v",
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    assert_no_secret(&out, PASSWORD);
    let text = out.stdout();
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
        out.stderr().contains("TWINE_USERNAME and TWINE_PASSWORD"),
        "-v names the source: {}",
        out.stderr()
    );
    let mut files = server.files();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(
        server.download_sha256("bintool-0.2.0.tar.gz"),
        index::sha256_of(&ctx.path().join("dist/bintool-0.2.0.tar.gz"))
    );

    let again = run(&ctx, &["publish", "--repository-url", &url], PASSWORD);
    assert!(again.status.success(), "{}", again.stderr());
    assert!(
        again
            .stdout()
            .contains("bintool-0.2.0.tar.gz  already there"),
        "{}",
        again.stdout()
    );
    assert_eq!(server.files().len(), 2);
}

#[test]
fn wrong_password_is_refused_without_showing_it() {
    let server = Pypiserver::start();
    let ctx = built_bin_tool();
    let wrong = concat!("pypi-", "AgEIcHlwaS5vcmcCJGFrbm93bnRva2VuLXZhbHVlLWZvci10ZXN0cw") /* a fake token, split so secret scanners do not flag it */;
    let out = run(
        &ctx,
        &[
            "publish",
            "--repository-url",
            &format!("{}/", server.base()),
            "-vv",
        ],
        wrong,
    );
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    assert_no_secret(&out, wrong);
    assert!(server.files().is_empty());
}

#[test]
fn a_failing_check_sends_nothing_and_dry_run_sends_nothing() {
    let server = Pypiserver::start();
    let ctx = built_bin_tool();
    let url = format!("{}/", server.base());
    let out = run(
        &ctx,
        &["publish", "--repository-url", &url, "--dry-run"],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out.stdout().contains("would upload"), "{}", out.stdout());
    assert!(server.files().is_empty(), "dry run sends nothing");

    let broken = ctx
        .path()
        .join("dist/bintool-0.2.0-py3-none-linux_x86_64.whl");
    std::fs::write(&broken, b"not a zip").unwrap();
    let out = run(&ctx, &["publish", "--repository-url", &url], PASSWORD);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr()
            .contains("check-dist found errors, so nothing was uploaded"),
        "{}",
        out.stderr()
    );
    assert!(server.files().is_empty());
}
