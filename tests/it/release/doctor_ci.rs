//! `doctor` inside CI: whether the job can get the ID tokens that trusted
//! publishing and attestations need (GitHub Actions' `id-token: write`,
//! GitLab CI's `id_tokens:`), each missing one named with its fix.

use super::*;
use crate::support::OutputExt;

/// `doctor`'s lines with `env` set.
fn doctor(r: &Release, env: &[(&str, &str)]) -> String {
    let mut cmd = r.command(&["doctor"]);
    cmd.envs(env.iter().copied());
    let out = cmd.output().unwrap();
    out.stdout()
}

#[test]
fn on_github_actions_the_token_serves_publishing_and_attestations() {
    let r = Release::new();
    let text = doctor(
        &r,
        &[
            ("GITHUB_ACTIONS", "true"),
            ("ACTIONS_ID_TOKEN_REQUEST_URL", "http://127.0.0.1:9/token"),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "t"),
        ],
    );
    assert!(
        text.contains("ok  trusted publishing")
            && text.contains("attestations signed through Sigstore"),
        "{text}"
    );
}

#[test]
fn on_gitlab_ci_each_id_token_missing_is_named_with_its_fix() {
    let r = Release::new();
    let text = doctor(&r, &[("GITLAB_CI", "true")]);
    assert!(text.contains("advice  trusted publishing"), "{text}");
    assert!(text.contains("`aud: pypi`"), "{text}");
    assert!(text.contains("advice  attestations"), "{text}");
    assert!(
        text.contains(
            "SIGSTORE_ID_TOKEN is not set: declare it under `id_tokens:` with `aud: sigstore`"
        ),
        "{text}"
    );
    let text = doctor(
        &r,
        &[
            ("GITLAB_CI", "true"),
            ("PYPI_ID_TOKEN", "a.b.c"),
            ("SIGSTORE_ID_TOKEN", "d.e.f"),
        ],
    );
    assert!(
        text.contains("ok  trusted publishing") && text.contains("ok  attestations"),
        "{text}"
    );
    // Outside CI, neither is checked.
    let text = doctor(&r, &[]);
    assert!(!text.contains("attestations"), "{text}");
}
