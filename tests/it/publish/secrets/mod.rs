//! No secret is ever printed: every failure path of `cargo pypi publish` run
//! through the real binary with a known token, at `-vv`, and the token (and its
//! Basic-auth form) searched for in stdout and stderr; [`every_source`] does
//! so for every credential source against a stand-in index ([`echo`]) that
//! echoes the password in every encoding, at every verbosity, and [`prompt`]
//! for a password typed at the prompt.

mod echo;
mod every_source;
mod prompt;

use crate::support::index::Pypiserver;
use crate::support::{OutputExt, TestContext};
use base64::Engine;
use std::process::Output;

/// A case: its name, the arguments, extra environment.
type Case<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>);

const TOKEN: &str = concat!("pypi-", "AgEIcHlwaS5vcmcCJGFrbm93bnRva2VuLXZhbHVlLWZvci10ZXN0cw") /* a fake token, split so secret scanners do not flag it */;

pub(super) fn run(ctx: &TestContext, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = ctx.command(args);
    cmd.envs(env.iter().copied());
    cmd.output().expect("run cargo-pypi")
}

/// bin-bindings built with the venv's maturin.
pub(super) fn built_bin_tool() -> TestContext {
    let ctx = TestContext::fixture("bin-bindings").git_root().venv();
    assert!(run(&ctx, &["build", "-q"], &[]).status.success());
    ctx
}

fn assert_clean(case: &str, out: &Output) {
    let all = out.all();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("__token__:{TOKEN}"));
    for needle in [TOKEN, &basic, &TOKEN[5..25]] {
        assert!(!all.contains(needle), "{case}: the token leaked:\n{all}");
    }
}

#[test]
fn every_failure_path_keeps_the_token_out_of_the_output() {
    let server = Pypiserver::start();
    let ctx = built_bin_tool();
    let local = format!("{}/", server.base());
    let with_creds = local.replacen("http://", &format!("http://__token__:{TOKEN}@"), 1);
    let cases: Vec<Case> = vec![
        (
            "wrong token from the environment",
            vec!["publish", "--repository-url", &local, "-vv"],
            vec![("TWINE_USERNAME", "__token__"), ("TWINE_PASSWORD", TOKEN)],
        ),
        (
            "token flag",
            vec![
                "publish",
                "--repository-url",
                &local,
                "--token",
                TOKEN,
                "-vv",
            ],
            vec![],
        ),
        (
            "credentials inside the URL",
            vec!["publish", "--repository-url", &with_creds, "-vv"],
            vec![],
        ),
        (
            "an index URL given as upload URL",
            vec![
                "publish",
                "--repository-url",
                "https://pypi.org/simple/",
                "-vv",
            ],
            vec![("PYPI_API_TOKEN", TOKEN)],
        ),
        (
            "nothing listening",
            vec!["publish", "--repository-url", "http://127.0.0.1:9/", "-vv"],
            vec![("UV_PUBLISH_TOKEN", TOKEN)],
        ),
        (
            "dry run",
            vec![
                "publish",
                "--repository-url",
                &local,
                "--dry-run",
                "-vv",
                "--format",
                "json",
            ],
            vec![("MATURIN_PYPI_TOKEN", TOKEN)],
        ),
    ];
    for (case, args, env) in &cases {
        let out = run(&ctx, args, env);
        assert_clean(case, &out);
        if *case != "dry run" {
            assert!(
                !out.status.success(),
                "{case}: should fail: {}",
                out.stdout()
            );
        }
    }

    // A .env readable by others is refused, and says so without the value.
    std::fs::write(ctx.path().join(".env"), format!("PYPI_API_TOKEN={TOKEN}\n")).unwrap();
    let out = run(&ctx, &["publish", "--yes", "-vv"], &[]);
    assert_clean(".env readable by others", &out);
    assert!(!out.status.success());
    assert!(out.stderr().contains("chmod 600"), "{}", out.stderr());
}

#[test]
fn in_github_actions_a_token_from_the_environment_is_not_echoed_to_mask_it() {
    // Listing is public, as on PyPI, so the dry run can read the index with any token.
    let server = Pypiserver::start_with("update");
    let ctx = built_bin_tool();
    let url = format!("{}/", server.base());
    let env = [("GITHUB_ACTIONS", "true"), ("UV_PUBLISH_TOKEN", TOKEN)];
    let out = run(
        &ctx,
        &[
            "publish",
            "--repository-url",
            &url,
            "--dry-run",
            "--format",
            "json",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert_clean("GitHub Actions, token from the environment", &out);
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is only the JSON report");
    assert_eq!(json["dry_run"], true);
}

#[test]
fn a_login_in_the_index_url_never_goes_to_the_upload_url() {
    use cargo_pypi::publish::target::{resolve, TargetRequest};
    let request = TargetRequest {
        repository_url: Some("http://127.0.0.1:18001/".into()),
        index_url: Some(format!("http://alice:{TOKEN}@127.0.0.1:18002/simple/")),
        ..TargetRequest::default()
    };
    let target = resolve(&request).unwrap();
    assert!(target.url_credentials.is_none(), "{target:?}");
    assert!(!format!("{target:?}").contains(TOKEN));
}
