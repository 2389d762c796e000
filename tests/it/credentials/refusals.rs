//! A refused trusted-publishing exchange explained from the claims of the ID
//! token (crafted here, unsigned), through the stand-in mint endpoint
//! answering as PyPI does (422, `{"message": "Token request failed",
//! "errors": [{"code": …, "description": …}]}`); the token is never shown.

use super::*;

const INVALID_PUBLISHER: &str = r#"{"message":"Token request failed","errors":[{"code":"invalid-publisher","description":"valid token, but no corresponding publisher (Publisher with matching claims was not found)"}]}"#;

/// A JWT-shaped string (unsigned) with `claims` (a JSON object's members).
fn jwt_with(claims: &str) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(r#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = engine.encode(format!(r#"{{"aud":"fake-pypi",{claims}}}"#));
    format!("{header}.{claims}.c2lnbmF0dXJlLW9mLXRoZS1zdGFuZC1pbg")
}

/// The error of an exchange whose ID token is `jwt` and whose mint answers `mint`.
fn refused(jwt: &str, mint: &str) -> String {
    let mut behaviour = Behaviour::working();
    behaviour.jwt = jwt.to_owned();
    behaviour.mint = Some((422, mint.to_owned()));
    let server = fake_pypi(behaviour);
    let env = github_env(&server);
    let text = err_text(Place::new().find(&fake_target(&server), &as_refs(&env)));
    let payload = jwt.split('.').nth(1).unwrap();
    assert!(
        !text.contains(jwt)
            && (payload.len() < 8 || !text.contains(payload))
            && !text.contains(REQUEST_TOKEN),
        "the token was shown:\n{text}"
    );
    text
}

fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "`{part}` missing:\n{text}");
    }
}

#[test]
fn a_reusable_workflow_is_named_from_the_token() {
    let jwt = jwt_with(
        r#""repository":"octo/tool","ref":"refs/tags/v1.0.0","environment":"pypi",
        "workflow_ref":"octo/tool/.github/workflows/release.yml@refs/tags/v1.0.0",
        "job_workflow_ref":"octo/shared/.github/workflows/publish.yml@refs/heads/main""#,
    );
    let text = refused(&jwt, INVALID_PUBLISHER);
    assert_has(
        &text,
        &[
            "invalid-publisher: valid token, but no corresponding publisher",
            "the ID token says: repository `octo/tool`, workflow \
             `octo/shared/.github/workflows/publish.yml`, ref `refs/tags/v1.0.0`, environment `pypi`",
            "the job runs in a reusable workflow: `job_workflow_ref` is \
             `octo/shared/.github/workflows/publish.yml` but the workflow that was triggered \
             (`workflow_ref`) is `octo/tool/.github/workflows/release.yml`",
            "upload from a job of `release.yml` itself",
            "must name exactly `pypi` (or none)",
            "https://docs.pypi.org/trusted-publishers/troubleshooting/",
        ],
    );
}

#[test]
fn a_job_without_an_environment_is_told_so() {
    let workflow = "octo/tool/.github/workflows/release.yml@refs/heads/main";
    let jwt = jwt_with(&format!(
        r#""repository":"octo/tool","workflow_ref":"{workflow}","job_workflow_ref":"{workflow}""#
    ));
    let text = refused(&jwt, INVALID_PUBLISHER);
    assert_has(
        &text,
        &[
            "no environment",
            "the job names no environment: a publisher that names one never matches it",
        ],
    );
    assert!(!text.contains("reusable workflow"), "{text}");
}

#[test]
fn a_pending_publisher_for_an_existing_project_is_explained() {
    let jwt = jwt_with(r#""repository":"octo/tool","environment":"release""#);
    let mint = r#"{"message":"Token request failed","errors":[{"code":"invalid-pending-publisher","description":"valid token, but project already exists"}]}"#;
    let text = refused(&jwt, mint);
    assert_has(
        &text,
        &[
            "invalid-pending-publisher: valid token, but project already exists",
            "a pending publisher (made for a project not yet on 127.0.0.1) must name the \
             project exactly as the files do",
            "environment `release`",
        ],
    );
}

#[test]
fn an_unreadable_token_still_gets_the_general_causes() {
    let text = refused("not-a-jwt-but-secret-0123456789.x.y", INVALID_PUBLISHER);
    assert_has(&text, &["no trusted publisher", "workflow file"]);
    assert!(!text.contains("the ID token says"), "{text}");
}
