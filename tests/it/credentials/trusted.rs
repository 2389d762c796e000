//! Trusted publishing against the fake OIDC/PyPI endpoint: GitHub Actions and
//! GitLab CI, and every failure explained without the tokens involved.

use super::*;

#[test]
fn trusted_publishing_on_github_actions() {
    let server = fake_pypi(Behaviour::working());
    let place = Place::new();
    let env = github_env(&server);
    let found = place.find(&fake_target(&server), &as_refs(&env)).unwrap();
    assert_eq!(found.source, "trusted publishing (GitHub Actions)");
    assert_eq!(
        (found.username.as_str(), found.password.expose()),
        ("__token__", MINTED)
    );
    let seen = server.requests();
    let order: Vec<(&str, &str)> = seen.iter().map(|r| (r.method.as_str(), r.path())).collect();
    assert_eq!(
        order,
        [
            ("GET", "/_/oidc/audience"),
            ("GET", "/github/idtoken"),
            ("POST", "/_/oidc/mint-token")
        ]
    );
    assert_eq!(
        seen[1].target,
        "/github/idtoken?api-version=2.0&audience=fake-pypi"
    );
    assert_eq!(
        seen[1].header("authorization"),
        Some(format!("bearer {REQUEST_TOKEN}").as_str())
    );
    let posted: serde_json::Value = serde_json::from_str(&seen[2].body).unwrap();
    assert_eq!(posted["token"], fake_jwt("fake-pypi").as_str());

    let mask = oidc::github_mask_line(&found.password, &|k| {
        (k == "GITHUB_ACTIONS").then(|| "true".into())
    });
    assert_eq!(
        mask.as_deref(),
        Some(format!("::add-mask::{MINTED}").as_str())
    );
    assert_eq!(oidc::github_mask_line(&found.password, &|_| None), None);
    let odd = Secret::new("a%b\nc");
    let mask = oidc::github_mask_line(&odd, &|_| Some("true".into())).unwrap();
    assert_eq!(mask, "::add-mask::a%25b%0Ac");
}

#[test]
fn earlier_sources_win_over_trusted_publishing_without_any_request() {
    let server = fake_pypi(Behaviour::working());
    let place = Place::new();
    let github = github_env(&server);
    let mut env = as_refs(&github);
    env.push(("TWINE_PASSWORD", "pw"));
    let found = place.find(&fake_target(&server), &env).unwrap();
    assert_eq!(found.source, "environment variable TWINE_PASSWORD");
    assert!(server.requests().is_empty());
}

#[test]
fn trusted_publishing_audience_failures() {
    let place = Place::new();
    let mut behaviour = Behaviour::working();
    behaviour.audience = (404, r#"{"message":"not found"}"#.into());
    let server = fake_pypi(behaviour);
    let env = github_env(&server);
    let err = place
        .find(&fake_target(&server), &as_refs(&env))
        .unwrap_err();
    assert!(matches!(err, CredentialError::Oidc(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("does not offer trusted publishing"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1, "stops after the audience");

    let mut behaviour = Behaviour::working();
    behaviour.audience = (
        503,
        r#"{"message":"read-only mode for maintenance"}"#.into(),
    );
    let server = fake_pypi(behaviour);
    let env = github_env(&server);
    let text = err_text(place.find(&fake_target(&server), &as_refs(&env)));
    assert!(
        text.contains("could not get the trusted-publishing audience"),
        "{text}"
    );
    assert!(text.contains("HTTP 503"), "{text}");
    assert!(text.contains("read-only mode for maintenance"), "{text}");
    assert!(!text.contains(REQUEST_TOKEN), "{text}");
}

#[test]
fn trusted_publishing_mint_failure_carries_pypis_message_and_causes() {
    let place = Place::new();
    let mut behaviour = Behaviour::working();
    behaviour.mint = Some((
        422,
        r#"{"message":"Token request failed","errors":[{"code":"invalid-publisher","description":"valid token, but no corresponding publisher (All lookup strategies exhausted)"}]}"#.into(),
    ));
    let server = fake_pypi(behaviour);
    let env = github_env(&server);
    let err = place
        .find(&fake_target(&server), &as_refs(&env))
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Oidc(_)), "{err:?}");
    for part in [
        "127.0.0.1 refused to mint an API token for trusted publishing: HTTP 422",
        "Token request failed",
        "invalid-publisher: valid token, but no corresponding publisher",
        "no trusted publisher",
        "workflow file",
        "environment",
        "https://docs.pypi.org/trusted-publishers/troubleshooting/",
    ] {
        assert!(text.contains(part), "`{part}` missing:\n{text}");
    }
    assert!(
        !text.contains(REQUEST_TOKEN) && !text.contains(&fake_jwt("fake-pypi")),
        "{text}"
    );
}

#[test]
fn trusted_publishing_github_refusing_the_id_token() {
    let place = Place::new();
    let mut behaviour = Behaviour::working();
    behaviour.github = Some((403, r#"{"message":"forbidden"}"#.into()));
    let server = fake_pypi(behaviour);
    let env = github_env(&server);
    let text = err_text(place.find(&fake_target(&server), &as_refs(&env)));
    assert!(
        text.contains("refused to issue an ID token: HTTP 403"),
        "{text}"
    );
    assert!(text.contains("permissions: id-token: write"), "{text}");
    assert!(
        !text.contains(REQUEST_TOKEN) && !text.contains("/github/idtoken"),
        "{text}"
    );
}

#[test]
fn github_actions_without_id_token_permission_is_explained() {
    let place = Place::new();
    let text = err_text(place.find(&Target::pypi(), &[("GITHUB_ACTIONS", "true")]));
    assert!(
        text.contains("trusted publishing: on GitHub Actions"),
        "{text}"
    );
    assert!(text.contains("permissions: id-token: write"), "{text}");
}

#[test]
fn trusted_publishing_on_gitlab_with_pypi_id_token() {
    let server = fake_pypi(Behaviour::working());
    let place = Place::new();
    let jwt = fake_jwt("fake-pypi");
    let found = place
        .find(
            &fake_target(&server),
            &[("PYPI_ID_TOKEN", &jwt), ("GITLAB_CI", "true")],
        )
        .unwrap();
    assert_eq!(found.source, "trusted publishing (GitLab CI)");
    assert_eq!(found.password.expose(), MINTED);
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(paths, ["/_/oidc/audience", "/_/oidc/mint-token"]);

    // An ID token for another audience is not sent.
    let server = fake_pypi(Behaviour::working());
    let other = fake_jwt("pypi");
    let text = err_text(place.find(&fake_target(&server), &[("PYPI_ID_TOKEN", &other)]));
    assert!(
        text.contains("PYPI_ID_TOKEN is for audience `pypi`, but 127.0.0.1 expects `fake-pypi`"),
        "{text}"
    );
    assert!(text.contains("aud: fake-pypi"), "{text}");
    assert_eq!(server.requests().len(), 1, "no mint request");
    assert!(!text.contains(&other), "{text}");
}

#[test]
fn an_id_token_for_pypi_is_never_requested_for_another_host() {
    let mut behaviour = Behaviour::working();
    behaviour.audience = (200, r#"{"audience":"pypi"}"#.into());
    let server = fake_pypi(behaviour);
    let place = Place::new();
    let env = github_env(&server);
    let text = err_text(place.find(&fake_target(&server), &as_refs(&env)));
    assert!(
        text.contains("audience `pypi`, which belongs to pypi.org; refusing"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 1, "GitHub was not asked");
}

#[test]
fn trusted_publishing_refuses_plain_http_to_a_remote_host() {
    let place = Place::new();
    let target = url_target("http://192.0.2.1/legacy/");
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("ACTIONS_ID_TOKEN_REQUEST_URL", "http://192.0.2.1/x?a=1"),
        ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN),
    ];
    let text = err_text(place.find(&target, &env));
    assert!(
        text.contains("over plain http; use the index's https:// URL"),
        "{text}"
    );
}

/// `publish --dry-run` where trusted publishing would be used: the plan names
/// the source, and nothing is exchanged, minted or posted; the dry run only
/// reads the index's listing. The same run without `--dry-run` reaches the
/// mint endpoint, so the fake does see an exchange when one happens.
#[test]
fn publish_dry_run_mints_no_token_and_posts_nothing() {
    use crate::support::{index, OutputExt, TestContext};
    let server = fake_pypi(Behaviour::working());
    let ctx = TestContext::fixture("bin-bindings");
    let dist = ctx.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let wheel = index::wheel(&dist, "dry-pkg", "1.0.0", "py3-none-any", "", b"");
    let sdist = index::sdist(&dist, "dry-pkg", "1.0.0", "");
    let url = format!("{}/legacy/", server.base);
    let publish = |extra: &[&str]| {
        let mut args = vec!["publish", wheel.to_str().unwrap(), sdist.to_str().unwrap()];
        args.extend(["--repository-url", &url, "-v"]);
        args.extend(extra);
        let mut command = ctx.command(&args);
        for (key, value) in github_env(&server) {
            command.env(key, value);
        }
        command.output().expect("run cargo-pypi")
    };

    let out = publish(&["--dry-run"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    assert!(
        out.stderr()
            .contains("credentials from trusted publishing (GitHub Actions)"),
        "{}",
        out.stderr()
    );
    let seen = server.requests();
    let calls: Vec<String> = seen
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert!(!seen.is_empty(), "the dry run reads the listing");
    assert!(
        seen.iter()
            .all(|r| r.method == "GET" && r.path().starts_with("/simple/")),
        "a dry run sent more than listing reads: {calls:?}"
    );

    let out = publish(&[]);
    let calls: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert!(
        calls.iter().any(|p| p == "/_/oidc/mint-token"),
        "without --dry-run the token is minted: {calls:?}\n{}",
        out.stderr()
    );
    // The one place the minted token is written: the mask line for the runner.
    let all = out.all();
    let shown: Vec<&str> = all.lines().filter(|l| l.contains(MINTED)).collect();
    assert_eq!(
        shown,
        [format!("::add-mask::{MINTED}")],
        "the minted token was shown"
    );
}
