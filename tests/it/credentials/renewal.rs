//! Trusted publishing that outlasts its token: a stand-in issuer (GitHub's
//! ID-token endpoint and PyPI's `/_/oidc/*` routes) mints tokens that live
//! 5 seconds, and a stand-in index refuses an expired or unknown token as PyPI
//! does, checking it once the whole request has arrived. Six files uploaded
//! one at a time, each answered after 1.5 s, outlive the first token.

use super::*;
use crate::support::http::Raw;
use crate::support::index::{self, StandIn};
use crate::support::{OutputExt, TestContext};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a token minted by the stand-in issuer lives.
const LIFETIME: Duration = Duration::from_secs(5);
/// How long the stand-in index takes to answer an upload.
const SLOW: Duration = Duration::from_millis(1500);

#[derive(Default)]
struct Seen {
    /// Each minted token and when it expires.
    minted: Vec<(String, Instant)>,
    /// Uploads that came with an expired or unknown token.
    refused: Vec<String>,
    /// Files accepted: name and sha256.
    files: Vec<(String, String)>,
}

fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A form field's value in a multipart body.
fn field<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    let start = body.find(&format!("name=\"{name}\""))?;
    let rest = &body[start..];
    let value = &rest[rest.find("\r\n\r\n")? + 4..];
    Some(&value[..value.find("\r\n")?])
}

fn upload_filename(body: &str) -> Option<&str> {
    let start = body.find("filename=\"")? + "filename=\"".len();
    let rest = &body[start..];
    Some(&rest[..rest.find('"')?])
}

fn bearer_token(request: &Raw) -> Option<String> {
    let header = request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))?;
    let encoded = header.1.strip_prefix("Basic ")?;
    let engine = base64::engine::general_purpose::STANDARD;
    let decoded = String::from_utf8(engine.decode(encoded).ok()?).ok()?;
    decoded.strip_prefix("__token__:").map(str::to_owned)
}

/// The stand-in; with `mints`, the mint endpoint refuses after that many.
fn stand_in(seen: Arc<Mutex<Seen>>, mints: Option<usize>) -> StandIn {
    let jwt = fake_jwt("fake-pypi");
    StandIn::scripted(move |request, _| {
        let path = request.target.split('?').next().unwrap_or_default();
        let body = String::from_utf8_lossy(&request.body).into_owned();
        let mut seen = seen.lock().unwrap();
        let reply = match (request.method.as_str(), path) {
            ("GET", "/_/oidc/audience") => (200, r#"{"audience":"fake-pypi"}"#.into()),
            ("GET", "/github/idtoken") => (200, format!(r#"{{"value":"{jwt}"}}"#)),
            ("POST", "/_/oidc/mint-token") if mints.is_some_and(|n| seen.minted.len() >= n) => {
                (503, r#"{"message":"the stand-in mints no more"}"#.into())
            }
            ("POST", "/_/oidc/mint-token") if body.contains(&jwt) => {
                let token = format!("pypi-standin-minted-{}", seen.minted.len() + 1);
                seen.minted.push((token.clone(), Instant::now() + LIFETIME));
                let expires = now_epoch() + LIFETIME.as_secs();
                let answer = format!(r#"{{"success":true,"token":"{token}","expires":{expires}}}"#);
                (200, answer)
            }
            ("POST", "/legacy/") => {
                let token = bearer_token(request).unwrap_or_default();
                let valid = seen
                    .minted
                    .iter()
                    .any(|(t, expires)| *t == token && Instant::now() < *expires);
                if !valid {
                    seen.refused.push(token);
                    let message = "Invalid or non-existent authentication information.";
                    return Some((403, message.into()));
                }
                let name = upload_filename(&body).unwrap_or_default().to_owned();
                let sha256 = field(&body, "sha256_digest").unwrap_or_default().to_owned();
                seen.files.push((name, sha256));
                drop(seen);
                std::thread::sleep(SLOW);
                return Some((200, "OK".into()));
            }
            ("GET", p) if p.starts_with("/simple/") && !seen.files.is_empty() => {
                let links: Vec<String> = (seen.files.iter())
                    .map(|(name, sha)| {
                        format!(r#"<a href="/files/{name}#sha256={sha}">{name}</a>"#)
                    })
                    .collect();
                (
                    200,
                    format!("<html><body>{}</body></html>", links.join("\n")),
                )
            }
            _ => (404, "not found".into()),
        };
        Some(reply)
    })
}

/// `publish` of six files, one at a time, on GitHub Actions against `server`.
fn publish_slowly(server: &StandIn) -> (std::process::Output, Duration) {
    let ctx = TestContext::fixture("bin-bindings");
    let dist = ctx.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let mut files = Vec::new();
    for arch in ["x86_64", "aarch64", "i686", "armv7l", "ppc64le"] {
        let tag = format!("py3-none-manylinux_2_17_{arch}");
        files.push(index::wheel(
            &dist,
            "long-pkg",
            "1.0.0",
            &tag,
            "",
            arch.as_bytes(),
        ));
    }
    files.push(index::sdist(&dist, "long-pkg", "1.0.0", ""));
    let url = format!("{}/legacy/", server.base());
    let mut args = vec!["publish", "--repository-url", &url, "--jobs", "1"];
    args.extend(["--wait", "20"]);
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let mut command = ctx.command(&args);
    command.env("GITHUB_ACTIONS", "true");
    command.env(
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        format!("{}/github/idtoken?api-version=2.0", server.base()),
    );
    command.env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN);
    let started = Instant::now();
    let out = command.output().expect("run cargo-pypi");
    (out, started.elapsed())
}

#[test]
fn trusted_publishing_mints_a_new_token_before_the_old_one_expires() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let server = stand_in(seen.clone(), None);
    let (out, took) = publish_slowly(&server);
    let seen = seen.lock().unwrap();
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(seen.files.len(), 6, "{}", out.all());
    assert!(
        took > LIFETIME,
        "the upload took {took:?}: too quick to need a second token"
    );
    assert!(
        seen.refused.is_empty(),
        "the index saw an expired or unknown token {} time(s)",
        seen.refused.len()
    );
    assert!(
        seen.minted.len() >= 2,
        "one token for {took:?} of uploads: {} minted",
        seen.minted.len()
    );
    for (token, _) in &seen.minted {
        let all = out.all();
        let shown: Vec<&str> = all.lines().filter(|l| l.contains(token)).collect();
        // Every token minted, renewed ones too, is masked for the job's
        // later steps; none is shown otherwise.
        assert_eq!(
            shown,
            [format!("::add-mask::{token}")],
            "a minted token was shown, or not masked"
        );
    }
}

#[test]
fn a_token_that_could_not_be_renewed_is_named_in_the_refusal() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let server = stand_in(seen.clone(), Some(1));
    let (out, _) = publish_slowly(&server);
    let seen = seen.lock().unwrap();
    assert!(!out.status.success(), "{}", out.all());
    assert!(!seen.refused.is_empty() && seen.minted.len() == 1);
    let stderr = out.stderr();
    assert!(
        stderr.contains("the index answered 403 Forbidden")
            && stderr
                .contains("trusted publishing (GitHub Actions), whose token could not be renewed")
            && stderr.contains("refused to mint an API token for trusted publishing: HTTP 503")
            && stderr.contains("the stand-in mints no more")
            && stderr.contains("the index may be busy")
            && !stderr.contains("no trusted publisher"),
        "{stderr}"
    );
    let all = out.all();
    let shown: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("standin-minted"))
        .collect();
    assert_eq!(
        shown,
        ["::add-mask::pypi-standin-minted-1"],
        "a token was shown"
    );
}
