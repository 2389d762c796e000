//! Every credential source times every failure path: the binary publishes to a
//! stand-in index ([`EchoIndex`]) that echoes the password in every form, and
//! stdout and stderr are searched for it at each verbosity.
//!
//! Passwords: one with `& < > ' " \ é`, a space and a slash (so every escape
//! applies), and the 5-character `index`, a word the tool itself uses: masking
//! it everywhere would turn "the index answered" into "the *** answered".

use super::echo::{forms, Body, EchoIndex, Script};
use super::{built_bin_tool, run};
use crate::support::{OutputExt, TestContext};
use base64::Engine;
use std::process::Output;

pub(super) const LONG: &str = r#"Zq&<>'"\ é/Lm-8421-tern"#;
pub(super) const SHORT: &str = "index";
pub(super) const USER: &str = "alice";

/// Where the password comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    TokenFlag,
    /// A password variable and its username variable, or a token variable.
    Env(&'static str, Option<&'static str>),
    Pypirc,
    Dotenv,
    UrlUserinfo,
}

const SOURCES: [Source; 8] = [
    Source::TokenFlag,
    Source::Env("TWINE_PASSWORD", Some("TWINE_USERNAME")),
    Source::Env("UV_PUBLISH_PASSWORD", Some("UV_PUBLISH_USERNAME")),
    Source::Env("MATURIN_PYPI_TOKEN", None),
    Source::Env("UV_PUBLISH_TOKEN", None),
    Source::Pypirc,
    Source::Dotenv,
    Source::UrlUserinfo,
];

/// The failure paths: retries on 500 and 503 (HTML, JSON and text bodies)
/// ending in a 403; an unexplained 400; a 401; a redirect whose `Location`
/// echoes too; a listing refused with a 403.
pub(super) fn scripts() -> Vec<(&'static str, Script)> {
    let uploads = |uploads: Vec<(u16, Body)>| Script {
        listing: None,
        uploads,
    };
    vec![
        (
            "500, 503, 500 then 403",
            uploads(vec![
                (500, Body::Html),
                (503, Body::Json),
                (500, Body::Text),
                (403, Body::Json),
            ]),
        ),
        ("400", uploads(vec![(400, Body::Html)])),
        ("401", uploads(vec![(401, Body::Text)])),
        ("redirect", uploads(vec![(307, Body::Text)])),
        (
            "listing 403",
            Script {
                listing: Some((403, Body::Html)),
                uploads: vec![(200, Body::Text)],
            },
        ),
    ]
}

const VERBOSITY: [&[&str]; 5] = [&[], &["-v"], &["-vv"], &["-q"], &["--format", "json"]];

#[test]
fn no_form_of_the_password_shows_for_any_source_on_any_failure_path() {
    let built = built_bin_tool();
    let mut cases = Vec::new();
    for password in [LONG, SHORT] {
        for source in SOURCES {
            cases.push((password, source));
        }
    }
    // Four at a time: each case runs every script at every verbosity.
    for chunk in cases.chunks(4) {
        std::thread::scope(|scope| {
            for &(password, source) in chunk {
                let built = &built;
                scope.spawn(move || one_source(built, password, source));
            }
        });
    }
    pypi_api_token_not_shaped_like_a_token(&built);
    super::prompt::typed_at_the_prompt(&copy_of(&built));
}

fn one_source(built: &TestContext, password: &str, source: Source) {
    let ctx = copy_of(built);
    for (path, script) in scripts() {
        for verbosity in VERBOSITY {
            let index = EchoIndex::start(script.clone());
            let mut args = vec!["publish".to_owned(), "--repository-url".to_owned()];
            args.push(match source {
                Source::UrlUserinfo => index.url().replacen(
                    "http://",
                    &format!(
                        "http://{USER}:{}@",
                        super::echo::percent(password, false, false)
                    ),
                    1,
                ),
                _ => index.url(),
            });
            args.extend(verbosity.iter().map(|a| a.to_string()));
            let mut env: Vec<(String, String)> = Vec::new();
            match source {
                Source::TokenFlag => args.extend(["--token".into(), password.into()]),
                Source::Env(var, user) => {
                    env.push((var.into(), password.into()));
                    if let Some(user) = user {
                        env.push((user.into(), USER.into()));
                    }
                }
                Source::Pypirc => write_private(
                    &ctx.home().join(".pypirc"),
                    &format!(
                        "[distutils]\nindex-servers = standin\n\n[standin]\nrepository = {}\nusername = {USER}\npassword = {password}\n",
                        index.url()
                    ),
                ),
                Source::Dotenv => write_private(
                    &ctx.path().join(".env"),
                    &format!(
                        "TWINE_USERNAME={USER}\nTWINE_PASSWORD=\"{}\"\n",
                        password.replace('\\', "\\\\").replace('"', "\\\"")
                    ),
                ),
                Source::UrlUserinfo => {}
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let env: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let out = run(&ctx, &args, &env);
            let case = format!("{source:?}, {path}, {verbosity:?}, password {password:?}");
            assert!(
                index.requests() >= 1,
                "{case}: nothing was sent:\n{}",
                out.all()
            );
            // The listing's words are never shown; an upload's from -v on.
            let words = script.listing.is_none() && verbosity.iter().any(|v| v.starts_with("-v"));
            assert_clean(&case, &out, password, verbosity, words);
            assert!(
                out.all().contains("the index answered"),
                "{case}: the tool's own words lost:\n{}",
                out.all()
            );
        }
    }
}

/// A copy of the built project (its dist/ included), with a HOME of its own.
pub(super) fn copy_of(built: &TestContext) -> TestContext {
    let ctx = TestContext::fixture("bin-bindings").git_root().venv();
    crate::support::copy_dir(&built.path().join("dist"), &ctx.path().join("dist"));
    ctx
}

fn write_private(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn assert_clean(case: &str, out: &Output, password: &str, verbosity: &[&str], words: bool) {
    let all = out.all();
    assert!(!out.status.success(), "{case}: should fail:\n{all}");
    // -q: the error alone; --format json: one JSON error object, nothing else.
    if verbosity == ["-q"] {
        assert!(out.stdout().is_empty(), "{case}: {all}");
        assert!(out.stderr().starts_with("error: "), "{case}: {all}");
        assert_eq!(out.stderr().matches("error: ").count(), 1, "{case}: {all}");
    }
    if verbosity.contains(&"json") {
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{case}: not JSON ({e}): {all}"));
        assert!(json["error"].is_string(), "{case}: {all}");
        assert!(out.stderr().is_empty(), "{case}: {all}");
    }
    assert_masked(case, &all, password, words);
}

/// Every echo in `all` is masked whole, and there is one exactly when the
/// index's `words` are shown; nothing but an echo is masked; no 8-character
/// slice nor any form of a long password shows.
pub(super) fn assert_masked(case: &str, all: &str, password: &str, words: bool) {
    let echoes: Vec<&str> = all.split("[pw:").skip(1).collect();
    for echo in &echoes {
        assert!(echo.starts_with("***]"), "{case}: an echo shows:\n{all}");
    }
    assert_eq!(
        !echoes.is_empty(),
        words,
        "{case}: the index's words show at -v and only there:\n{all}"
    );
    // Nothing else is masked: the tool's own words stay whole.
    for (i, _) in all.match_indices(cargo_pypi::publish::secret::MASK) {
        let before = &all[..i];
        assert!(
            ["[pw:", "//", "="].iter().any(|p| before.ends_with(p)),
            "{case}: something that is not the index's echo was masked:\n{all}"
        );
    }
    if password.chars().count() <= 8 {
        return;
    }
    // No slice of 8 characters, no form, no base64 of the long password.
    let chars: Vec<char> = password.chars().collect();
    for window in chars.windows(8) {
        let slice: String = window.iter().collect();
        assert!(!all.contains(&slice), "{case}: {slice:?} shows:\n{all}");
    }
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{password}"));
    for form in forms(password, &basic) {
        assert!(!all.contains(&form), "{case}: {form:?} shows:\n{all}");
    }
}

/// `PYPI_API_TOKEN` is read for PyPI only, which no test may stand in for: a
/// value not shaped like a PyPI token is refused before anything is sent,
/// naming the variable and never the value.
fn pypi_api_token_not_shaped_like_a_token(built: &TestContext) {
    for password in [LONG, SHORT] {
        for verbosity in VERBOSITY {
            let mut args = vec!["publish", "-r", "pypi", "--yes"];
            args.extend(verbosity);
            let out = run(built, &args, &[("PYPI_API_TOKEN", password)]);
            let case = format!("PYPI_API_TOKEN, {verbosity:?}, password {password:?}");
            assert!(
                out.all().contains("PYPI_API_TOKEN"),
                "{case}: {}",
                out.all()
            );
            assert_clean(&case, &out, password, verbosity, false);
        }
    }
}
