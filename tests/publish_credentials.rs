//! Credentials and targets for `cargo pypi publish`: every source in its order,
//! the `.env` refusals, `.pypirc` parsing, trusted publishing against a fake
//! OIDC/PyPI endpoint on 127.0.0.1, target resolution, redaction, and one test
//! that runs every failure path with a known token and looks for it in the output.
//!
//! Real files with real modes, real git repositories, a real HTTP server. The
//! fake endpoint stands in for GitHub's ID-token service and PyPI's
//! `/_/oidc/*` routes, which cannot run here.

mod common;

use base64::Engine;
use cargo_pypi::publish::credentials::oidc;
use cargo_pypi::publish::credentials::{self, CredentialError, CredentialRequest, Credentials};
use cargo_pypi::publish::pypirc::Pypirc;
use cargo_pypi::publish::secret::{redact_url, Redactor, Secret};
use cargo_pypi::publish::target::{self, Target, TargetError, TargetRequest};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The token every leak check looks for.
const KNOWN: &str = concat!("pypi-", "AgEIcHlwaS5vcmcCJGFrbm93bnRva2VuLXZhbHVlLWZvci10ZXN0cw") /* a fake token, split so secret scanners do not flag it */;

// ---------------------------------------------------------------- helpers

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Every form of `secret` that must never show up in output.
fn leaked_forms(secret: &str) -> Vec<String> {
    vec![
        secret.to_owned(),
        b64(&format!("__token__:{secret}")),
        b64(secret),
    ]
}

fn assert_no_leak(what: &str, text: &str, secret: &str) {
    for form in leaked_forms(secret) {
        assert!(
            !text.contains(&form),
            "{what} leaks a secret form `{form}`:\n{text}"
        );
    }
}

fn write(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A folder outside any git repository, with a `.pypirc` path that does not exist.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        Place {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A git repository whose `.gitignore` ignores `.env` and `.env.local`.
    fn git_ignoring_env() -> Place {
        let place = Place::new();
        common::git_init(place.root());
        write(
            &place.root().join(".gitignore"),
            ".git-test-home/\n.env\n.env.local\n",
            0o644,
        );
        place
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn pypirc(&self) -> PathBuf {
        self.root().join("home-pypirc")
    }

    fn find(&self, target: &Target, env: &[(&str, &str)]) -> Result<Credentials, CredentialError> {
        self.find_with(target, env, None)
    }

    fn find_with(
        &self,
        target: &Target,
        env: &[(&str, &str)],
        token: Option<&str>,
    ) -> Result<Credentials, CredentialError> {
        let map: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |name: &str| map.get(name).cloned();
        credentials::find(&CredentialRequest {
            target,
            token: token.map(Secret::new),
            repo_root: self.root().to_path_buf(),
            env: &lookup,
            prompt: None,
            pypirc: Some(self.pypirc()),
        })
    }

    fn resolve(&self, repository: Option<&str>, url: Option<&str>) -> Result<Target, TargetError> {
        target::resolve(&TargetRequest {
            repository: repository.map(str::to_owned),
            repository_url: url.map(str::to_owned),
            index_url: None,
            pyproject: Some(self.root().join("pyproject.toml")),
            pypirc: Some(self.pypirc()),
        })
    }
}

fn url_target(url: &str) -> Target {
    target::resolve(&TargetRequest {
        repository_url: Some(url.into()),
        pypirc: Some(PathBuf::from("/nonexistent/.pypirc")),
        ..TargetRequest::default()
    })
    .unwrap()
}

fn err_text<T: std::fmt::Debug, E: std::fmt::Display + std::fmt::Debug>(r: Result<T, E>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => format!("{e}"),
    }
}

// ------------------------------------------------------------ fake server

/// A fake of GitHub's ID-token endpoint and PyPI's `/_/oidc/*` routes: a small
/// HTTP/1.1 server on 127.0.0.1 that records every request.
mod fake {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Clone)]
    pub struct Request {
        pub method: String,
        /// Path and query.
        pub target: String,
        pub headers: Vec<(String, String)>,
        pub body: String,
    }

    impl Request {
        pub fn header(&self, name: &str) -> Option<&str> {
            let found = self
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name));
            found.map(|(_, v)| v.as_str())
        }

        pub fn path(&self) -> &str {
            self.target.split('?').next().unwrap()
        }

        /// The whole request as text, for servers that echo it back.
        pub fn dump(&self) -> String {
            let headers: Vec<String> = self
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            format!(
                "{} {}\n{}\n\n{}",
                self.method,
                self.target,
                headers.join("\n"),
                self.body
            )
        }
    }

    pub struct Server {
        pub base: String,
        pub seen: Arc<Mutex<Vec<Request>>>,
    }

    impl Server {
        pub fn requests(&self) -> Vec<Request> {
            self.seen.lock().unwrap().clone()
        }
    }

    type Handler = dyn Fn(&Request, &str) -> (u16, String) + Send + Sync;

    /// Serves until the test process ends; `handler` gets the request and the base URL.
    pub fn serve(
        handler: impl Fn(&Request, &str) -> (u16, String) + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (seen2, base2) = (seen.clone(), base.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(request) = read_request(&mut stream) else {
                    continue;
                };
                seen2.lock().unwrap().push(request.clone());
                let (status, body) = handler(&request, &base2);
                let reply = format!(
                    "HTTP/1.1 {status} FAKE\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        Server { base, seen }
    }

    fn read_request(stream: &mut std::net::TcpStream) -> Option<Request> {
        let mut reader = BufReader::new(stream.try_clone().ok()?);
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let mut parts = line.split_whitespace();
        let method = parts.next()?.to_owned();
        let target = parts.next()?.to_owned();
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).ok()?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (k, v) = header.split_once(':')?;
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
        let length = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        Some(Request {
            method,
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

const REQUEST_TOKEN: &str = "ghs-fake-request-token-0123456789";
const MINTED: &str = "pypi-minted-by-the-fake-index-0123456789";

/// A JWT-shaped string (unsigned) with the given `aud` claim.
fn fake_jwt(aud: &str) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(r#"{"alg":"none"}"#);
    let claims = engine.encode(format!(r#"{{"aud":"{aud}","sub":"repo:o/r"}}"#));
    format!("{header}.{claims}.c2lnbmF0dXJl")
}

/// How each fake route answers.
#[derive(Clone)]
struct Behaviour {
    audience: (u16, String),
    /// `None`: answer with `{"value": jwt}` when the bearer token is right.
    github: Option<(u16, String)>,
    jwt: String,
    /// `None`: mint when the posted token is `jwt`.
    mint: Option<(u16, String)>,
}

impl Behaviour {
    fn working() -> Behaviour {
        Behaviour {
            audience: (200, r#"{"audience":"fake-pypi"}"#.into()),
            github: None,
            jwt: fake_jwt("fake-pypi"),
            mint: None,
        }
    }
}

fn fake_pypi(behaviour: Behaviour) -> fake::Server {
    fake::serve(move |req, _| match (req.method.as_str(), req.path()) {
        ("GET", "/_/oidc/audience") => behaviour.audience.clone(),
        ("GET", "/github/idtoken") => {
            if let Some(reply) = &behaviour.github {
                return reply.clone();
            }
            let expected = format!("bearer {REQUEST_TOKEN}");
            let audience_ok = req.target.contains("api-version=2.0&audience=fake-pypi");
            if req.header("authorization") == Some(expected.as_str()) && audience_ok {
                (200, format!(r#"{{"value":"{}"}}"#, behaviour.jwt))
            } else {
                (401, r#"{"message":"bad request token or audience"}"#.into())
            }
        }
        ("POST", "/_/oidc/mint-token") => {
            if let Some(reply) = &behaviour.mint {
                return reply.clone();
            }
            let body: serde_json::Value = serde_json::from_str(&req.body).unwrap_or_default();
            if body["token"] == behaviour.jwt.as_str() {
                (200, format!(r#"{{"token":"{MINTED}","expires":900}}"#))
            } else {
                (422, r#"{"message":"Token request failed","errors":[{"code":"invalid-token","description":"malformed"}]}"#.into())
            }
        }
        _ => (404, r#"{"message":"not found"}"#.into()),
    })
}

fn github_env(server: &fake::Server) -> Vec<(&'static str, String)> {
    vec![
        ("GITHUB_ACTIONS", "true".into()),
        (
            "ACTIONS_ID_TOKEN_REQUEST_URL",
            format!("{}/github/idtoken?api-version=2.0", server.base),
        ),
        ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN.into()),
    ]
}

fn as_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A target whose index is the fake server.
fn fake_target(server: &fake::Server) -> Target {
    url_target(&format!("{}/legacy/", server.base))
}

// ------------------------------------------------------ sources and order

#[test]
fn token_flag_wins_over_every_other_source() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env"),
        "PYPI_API_TOKEN=pypi-fromdotenv\n",
        0o600,
    );
    write(
        &place.pypirc(),
        "[pypi]\npassword = pypi-frompypirc\n",
        0o600,
    );
    let env = [
        ("PYPI_API_TOKEN", "pypi-fromenv"),
        ("GITHUB_ACTIONS", "true"),
    ];
    let found = place.find_with(&Target::pypi(), &env, Some(KNOWN)).unwrap();
    assert_eq!(found.source, "--token");
    assert_eq!(found.username, "__token__");
    assert_eq!(found.password.expose(), KNOWN);
}

#[test]
fn url_credentials_come_right_after_the_flag() {
    let place = Place::new();
    let target = url_target("http://alice:p%40ss%2Fword@127.0.0.1:9/legacy/");
    let env = [("TWINE_PASSWORD", "from-env")];
    let found = place.find(&target, &env).unwrap();
    assert_eq!(
        found.source,
        "credentials in the repository URL (--repository-url)"
    );
    assert_eq!(found.username, "alice");
    assert_eq!(found.password.expose(), "p@ss/word");
    let flag = place.find_with(&target, &env, Some("flag")).unwrap();
    assert_eq!(flag.source, "--token");
}

#[test]
fn environment_order_for_pypi() {
    let place = Place::new();
    let mut env = vec![
        ("PYPI_API_TOKEN", "pypi-one"),
        ("PYPI_API_KEY", "pypi-two"),
        ("TWINE_USERNAME", "__token__"),
        ("TWINE_PASSWORD", "pypi-three"),
        ("MATURIN_PYPI_TOKEN", "pypi-four"),
        ("UV_PUBLISH_TOKEN", "pypi-five"),
        ("UV_PUBLISH_USERNAME", "__token__"),
        ("UV_PUBLISH_PASSWORD", "pypi-six"),
    ];
    let expected = [
        (
            "environment variable PYPI_API_TOKEN",
            "pypi-one",
            &["PYPI_API_TOKEN"][..],
        ),
        (
            "environment variable PYPI_API_KEY",
            "pypi-two",
            &["PYPI_API_KEY"],
        ),
        (
            "environment variables TWINE_USERNAME and TWINE_PASSWORD",
            "pypi-three",
            &["TWINE_USERNAME", "TWINE_PASSWORD"],
        ),
        (
            "environment variable MATURIN_PYPI_TOKEN",
            "pypi-four",
            &["MATURIN_PYPI_TOKEN"],
        ),
        (
            "environment variable UV_PUBLISH_TOKEN",
            "pypi-five",
            &["UV_PUBLISH_TOKEN"],
        ),
        (
            "environment variables UV_PUBLISH_USERNAME and UV_PUBLISH_PASSWORD",
            "pypi-six",
            &["UV_PUBLISH_USERNAME", "UV_PUBLISH_PASSWORD"],
        ),
    ];
    for (source, value, remove) in expected {
        let found = place.find(&Target::pypi(), &env).unwrap();
        assert_eq!(
            (found.source.as_str(), found.password.expose()),
            (source, value)
        );
        assert_eq!(found.username, "__token__");
        env.retain(|(k, _)| !remove.contains(k));
    }
    assert!(matches!(
        place.find(&Target::pypi(), &env),
        Err(CredentialError::NotFound(_))
    ));
}

#[test]
fn testpypi_reads_its_own_variable_and_never_pypis() {
    let place = Place::new();
    let both = [
        ("PYPI_API_TOKEN", "pypi-prod"),
        ("TESTPYPI_API_TOKEN", "pypi-test"),
    ];
    let found = place.find(&Target::testpypi(), &both).unwrap();
    assert_eq!(found.source, "environment variable TESTPYPI_API_TOKEN");
    assert_eq!(found.password.expose(), "pypi-test");
    let prod_only = [
        ("PYPI_API_TOKEN", "pypi-prod"),
        ("PYPI_API_KEY", "pypi-prod2"),
    ];
    let text = err_text(place.find(&Target::testpypi(), &prod_only));
    assert!(text.contains("TESTPYPI_API_TOKEN"), "{text}");
    assert!(
        text.contains("https://test.pypi.org/manage/account/token/"),
        "{text}"
    );
    let found = place.find(&Target::pypi(), &both).unwrap();
    assert_eq!(found.password.expose(), "pypi-prod");
}

#[test]
fn another_index_never_gets_pypi_tokens() {
    let place = Place::new();
    let target = url_target("https://pkgs.example.com/legacy/");
    let text = err_text(place.find(
        &target,
        &[("PYPI_API_TOKEN", KNOWN), ("PYPI_API_KEY", KNOWN)],
    ));
    assert!(!text.contains("PYPI_API_TOKEN"), "{text}");
    assert_no_leak("not-found message", &text, KNOWN);
    let found = place
        .find(
            &target,
            &[
                ("PYPI_API_TOKEN", KNOWN),
                ("TWINE_USERNAME", "bob"),
                ("TWINE_PASSWORD", "pw"),
            ],
        )
        .unwrap();
    assert_eq!(
        (found.username.as_str(), found.password.expose()),
        ("bob", "pw")
    );
}

#[test]
fn empty_variables_count_as_unset() {
    let place = Place::new();
    let found = place
        .find(
            &Target::pypi(),
            &[("PYPI_API_TOKEN", ""), ("PYPI_API_KEY", KNOWN)],
        )
        .unwrap();
    assert_eq!(found.source, "environment variable PYPI_API_KEY");
}

#[test]
fn password_variable_without_username_uses_pypirc_username_then_token() {
    let place = Place::new();
    let custom = url_target("https://pkgs.example.com/legacy/");
    let found = place.find(&custom, &[("TWINE_PASSWORD", "pw")]).unwrap();
    assert_eq!(found.username, "__token__");
    assert_eq!(found.source, "environment variable TWINE_PASSWORD");
    let mut named = custom.clone();
    named.username = Some("carol".into());
    assert_eq!(
        place
            .find(&named, &[("UV_PUBLISH_PASSWORD", "pw")])
            .unwrap()
            .username,
        "carol"
    );
}

#[test]
fn nothing_found_lists_every_place_in_order_with_the_fix() {
    let place = Place::new();
    let env = [("TWINE_USERNAME", "someone")];
    let text = err_text(place.find(&Target::pypi(), &env));
    let steps = [
        "1. --token: not given",
        "2. credentials in the repository URL: none",
        "3. environment variables PYPI_API_TOKEN, PYPI_API_KEY, TWINE_PASSWORD (with TWINE_USERNAME), MATURIN_PYPI_TOKEN, UV_PUBLISH_TOKEN, UV_PUBLISH_PASSWORD (with UV_PUBLISH_USERNAME): none set",
        "4. ",
        ".env.local: no such file",
        "5. ",
        ".env: no such file",
        "6. ",
        "home-pypirc: no such file",
        "7. trusted publishing: not on GitHub Actions",
        "8. interactive prompt: not offered",
        "note: TWINE_USERNAME is set but TWINE_PASSWORD is not",
        "fix: create an API token at https://pypi.org/manage/account/token/",
        "export PYPI_API_TOKEN=",
        "chmod 600 .env.local",
        "https://docs.pypi.org/trusted-publishers/",
    ];
    let mut at = 0;
    for step in steps {
        let found = text[at..]
            .find(step)
            .unwrap_or_else(|| panic!("`{step}` missing or out of order in:\n{text}"));
        at += found + step.len();
    }
}

#[test]
fn environment_wins_over_dotenv_and_dotenv_local_over_dotenv() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env.local"),
        "PYPI_API_TOKEN=pypi-local\n",
        0o600,
    );
    write(
        &place.root().join(".env"),
        "PYPI_API_TOKEN=pypi-plain\n",
        0o600,
    );
    let env = [("PYPI_API_KEY", "pypi-env")];
    assert_eq!(
        place.find(&Target::pypi(), &env).unwrap().source,
        "environment variable PYPI_API_KEY"
    );
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(found.source, ".env.local (PYPI_API_TOKEN)");
    assert_eq!(found.password.expose(), "pypi-local");
    std::fs::remove_file(place.root().join(".env.local")).unwrap();
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(
        (found.source.as_str(), found.password.expose()),
        (".env (PYPI_API_TOKEN)", "pypi-plain")
    );
}

#[test]
fn dotenv_file_is_searched_completely_before_the_next() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env.local"),
        "TWINE_PASSWORD=pypi-local\n",
        0o600,
    );
    write(
        &place.root().join(".env"),
        "PYPI_API_TOKEN=pypi-plain\n",
        0o600,
    );
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(found.source, ".env.local (TWINE_PASSWORD)");
}

#[test]
fn dotenv_syntax_export_quotes_and_comments() {
    let place = Place::git_ignoring_env();
    let text = format!(
        "# credentials\nexport PYPI_USERNAME=someone\n\nexport  PYPI_API_KEY = \"{KNOWN}\"  # from pypi.org\nOTHER='x'\n"
    );
    write(&place.root().join(".env"), &text, 0o600);
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(found.source, ".env (PYPI_API_KEY)");
    assert_eq!(found.password.expose(), KNOWN);
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_KEY='{KNOWN}'\r\n"),
        0o600,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().password.expose(),
        KNOWN
    );
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_KEY={KNOWN} # note\n"),
        0o600,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().password.expose(),
        KNOWN
    );
}

#[test]
fn dotenv_outside_git_needs_only_a_private_mode() {
    let place = Place::new();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o600,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().source,
        ".env (PYPI_API_TOKEN)"
    );
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o640,
    );
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Unsafe(_)), "{err:?}");
    assert!(
        text.contains("readable by other users (mode 640)"),
        "{text}"
    );
    assert!(text.contains("`chmod 600 .env`"), "{text}");
    assert!(!text.contains("git"), "{text}");
    assert_no_leak("refusal", &text, KNOWN);
}

#[test]
fn dotenv_tracked_by_git_is_refused_with_git_rm_cached() {
    let place = Place::new();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o600,
    );
    common::git_init(place.root()); // commits .env
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Unsafe(_)), "{err:?}");
    assert!(text.contains("tracked by git"), "{text}");
    assert!(text.contains("`git rm --cached .env`"), "{text}");
    assert!(
        text.contains("revoke the token at https://pypi.org/manage/account/token/"),
        "{text}"
    );
    assert!(!text.contains("chmod"), "{text}");
    assert_no_leak("refusal", &text, KNOWN);
    assert_no_leak("refusal (Debug)", &format!("{err:?}"), KNOWN);
}

#[test]
fn dotenv_not_ignored_is_refused_with_a_gitignore_line() {
    let place = Place::new();
    common::git_init(place.root());
    write(
        &place.root().join(".env.local"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o600,
    );
    let text = err_text(place.find(&Target::pypi(), &[]));
    assert!(text.contains("not ignored"), "{text}");
    assert!(text.contains("`echo .env.local >> .gitignore`"), "{text}");
    assert!(text.contains(".env.local"), "{text}");
    assert_no_leak("refusal", &text, KNOWN);
    // Once ignored, the same file is used.
    write(
        &place.root().join(".gitignore"),
        ".git-test-home/\n.env.local\n",
        0o644,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().source,
        ".env.local (PYPI_API_TOKEN)"
    );
}

#[test]
fn dotenv_with_every_problem_lists_every_fix() {
    let place = Place::new();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o644,
    );
    common::git_init(place.root());
    let text = err_text(place.find(&Target::pypi(), &[]));
    for fix in [
        "chmod 600 .env",
        "git rm --cached .env",
        "echo .env >> .gitignore",
    ] {
        assert!(text.contains(fix), "`{fix}` missing:\n{text}");
    }
    assert!(
        text.starts_with("refusing to use PYPI_API_TOKEN from "),
        "{text}"
    );
    assert_no_leak("refusal", &text, KNOWN);
}

#[test]
fn dotenv_without_credential_variables_is_left_alone() {
    let place = Place::new();
    write(
        &place.root().join(".env"),
        "DATABASE_URL=postgres://u:pw@db/x\n",
        0o644,
    );
    common::git_init(place.root());
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    assert!(matches!(err, CredentialError::NotFound(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains(".env: none of the variables above"),
        "{err}"
    );
    assert!(!err.to_string().contains("pw@"), "{err}");
}

#[test]
fn dotenv_malformed_credential_line_names_the_line_not_the_value() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env"),
        &format!("A=1\nPYPI_API_TOKEN=\"{KNOWN}\n"),
        0o600,
    );
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Config(_)), "{err:?}");
    assert!(
        text.contains(".env:2: PYPI_API_TOKEN has an unclosed quote"),
        "{text}"
    );
    assert_no_leak("parse error", &text, KNOWN);
}

// ------------------------------------------------------------------ .pypirc

const PYPIRC: &str = "\
# twine's file
[distutils]
index-servers =
    pypi
    testpypi
    corp

[pypi]
username = __token__
password = pypi-from-pypirc

[testpypi]
Username: __token__
PASSWORD = pypi-test-from-pypirc

[corp]
repository = https://corp.example/legacy/
username = alice
password = s3cr#t%x ; kept
";

#[test]
fn pypirc_password_for_each_named_server() {
    let place = Place::new();
    write(&place.pypirc(), PYPIRC, 0o600);
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(found.password.expose(), "pypi-from-pypirc");
    assert!(
        found.source.ends_with("home-pypirc [pypi]"),
        "{}",
        found.source
    );
    let found = place.find(&Target::testpypi(), &[]).unwrap();
    assert_eq!(found.password.expose(), "pypi-test-from-pypirc");
    assert!(found.source.ends_with("[testpypi]"), "{}", found.source);
    let corp = place.resolve(Some("corp"), None).unwrap();
    assert_eq!(corp.upload_url, "https://corp.example/legacy/");
    assert_eq!(corp.username.as_deref(), Some("alice"));
    let found = place.find(&corp, &[]).unwrap();
    assert_eq!(
        (found.username.as_str(), found.password.expose()),
        ("alice", "s3cr#t%x ; kept")
    );
}

#[test]
fn environment_and_dotenv_win_over_pypirc() {
    let place = Place::git_ignoring_env();
    write(&place.pypirc(), PYPIRC, 0o600);
    let found = place
        .find(&Target::pypi(), &[("PYPI_API_TOKEN", "pypi-env")])
        .unwrap();
    assert_eq!(found.source, "environment variable PYPI_API_TOKEN");
    write(
        &place.root().join(".env"),
        "PYPI_API_TOKEN=pypi-dotenv\n",
        0o600,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().source,
        ".env (PYPI_API_TOKEN)"
    );
}

#[test]
fn pypirc_readable_by_others_is_refused() {
    let place = Place::new();
    write(
        &place.pypirc(),
        &format!("[pypi]\npassword = {KNOWN}\n"),
        0o644,
    );
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Unsafe(_)), "{err:?}");
    assert!(
        text.contains("readable by other users (mode 644)"),
        "{text}"
    );
    assert!(
        text.contains("chmod 600 ") && text.contains("home-pypirc"),
        "{text}"
    );
    assert_no_leak("refusal", &text, KNOWN);
    // Without a password the mode does not matter: nothing secret is used.
    write(&place.pypirc(), "[pypi]\nusername = __token__\n", 0o644);
    assert!(matches!(
        place.find(&Target::pypi(), &[]),
        Err(CredentialError::NotFound(_))
    ));
}

#[test]
fn pypirc_password_only_goes_to_the_url_pypirc_names() {
    let place = Place::new();
    write(&place.pypirc(), PYPIRC, 0o600);
    write(
        &place.root().join("pyproject.toml"),
        "[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://elsewhere.example/legacy/\"\n",
        0o644,
    );
    let corp = place.resolve(Some("corp"), None).unwrap();
    assert_eq!(
        corp.upload_url, "https://elsewhere.example/legacy/",
        "config wins over .pypirc"
    );
    let text = err_text(place.find(&corp, &[]));
    assert!(
        text.contains("no section for corp with repository https://elsewhere.example/legacy/"),
        "{text}"
    );
}

#[test]
fn pypirc_section_is_found_by_url_for_a_repository_url() {
    let place = Place::new();
    write(&place.pypirc(), PYPIRC, 0o600);
    let found = place
        .find(&url_target("https://upload.pypi.org/legacy"), &[])
        .unwrap();
    assert_eq!(found.password.expose(), "pypi-from-pypirc");
    let corp = url_target("https://corp.example/legacy/");
    assert_eq!(place.find(&corp, &[]).unwrap().username, "alice");
}

#[test]
fn pypirc_parsing() {
    let path = Path::new("/x/.pypirc");
    let file = Pypirc::parse(path, PYPIRC).unwrap();
    assert_eq!(
        file.index_servers.as_deref().unwrap(),
        ["pypi", "testpypi", "corp"]
    );
    assert_eq!(file.names(), ["pypi", "testpypi", "corp"]);
    let testpypi = file.section("testpypi").unwrap().unwrap();
    assert_eq!(testpypi.username.as_deref(), Some("__token__"));
    assert_eq!(testpypi.line, 12);
    assert_eq!(
        file.repository_url("testpypi").unwrap(),
        "https://test.pypi.org/legacy/"
    );
    assert_eq!(
        file.repository_url("corp").unwrap(),
        "https://corp.example/legacy/"
    );
    assert!(file.section("nope").unwrap().is_none());
    let debug = format!("{file:?}");
    assert!(
        !debug.contains("pypi-from-pypirc") && !debug.contains("s3cr#t"),
        "{debug}"
    );

    // Sections outside index-servers still count; no [distutils] at all is fine.
    let loose = Pypirc::parse(
        path,
        "[pypi]\npassword=pypi-x\n[extra]\nrepository=https://e/\n",
    )
    .unwrap();
    assert!(loose.index_servers.is_none());
    assert_eq!(loose.names(), ["pypi", "extra"]);

    let missing = Pypirc::parse(path, "[distutils]\nindex-servers = pypi private\n").unwrap();
    assert!(missing.section("pypi").unwrap().is_none());
    let text = missing.section("private").unwrap_err().to_string();
    assert!(
        text.contains("lists `private` in [distutils] index-servers but has no [private] section"),
        "{text}"
    );

    let bad = [
        (
            format!("[pypi]\n{KNOWN}\n"),
            "/x/.pypirc:2: expected `[section]` or `key = value`",
        ),
        (
            format!("password = {KNOWN}\n[pypi]\n"),
            "/x/.pypirc:1: `key = value` before any `[section]`",
        ),
        (
            "[a]\n[b]\n[a]\n".into(),
            "/x/.pypirc:3: section [a] appears again (first at line 1)",
        ),
    ];
    for (text, expected) in bad {
        let message = Pypirc::parse(path, &text).unwrap_err().to_string();
        assert!(message.contains(expected), "{message}");
        assert_no_leak("pypirc error", &message, KNOWN);
    }
}

// ---------------------------------------------------- trusted publishing

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

// -------------------------------------------------------- target resolution

#[test]
fn builtin_targets() {
    let place = Place::new();
    let pypi = place.resolve(None, None).unwrap();
    assert_eq!(pypi, Target::pypi());
    assert_eq!(
        (
            pypi.upload_url.as_str(),
            pypi.index_url.as_str(),
            pypi.production
        ),
        (
            "https://upload.pypi.org/legacy/",
            "https://pypi.org/simple/",
            true
        )
    );
    let test = place.resolve(Some("testpypi"), None).unwrap();
    assert_eq!(
        (
            test.upload_url.as_str(),
            test.index_url.as_str(),
            test.production
        ),
        (
            "https://test.pypi.org/legacy/",
            "https://test.pypi.org/simple/",
            false
        )
    );
    assert_eq!(pypi.index_origin().as_deref(), Some("https://pypi.org"));
}

#[test]
fn repository_url_derives_the_index() {
    let cases = [
        (
            "https://pkgs.example.com/legacy/",
            "https://pkgs.example.com/legacy/",
            "https://pkgs.example.com/simple/",
        ),
        (
            "https://pkgs.example.com/sub/legacy",
            "https://pkgs.example.com/sub/legacy/",
            "https://pkgs.example.com/sub/simple/",
        ),
        (
            "http://localhost:8080",
            "http://localhost:8080/",
            "http://localhost:8080/simple/",
        ),
        (
            "http://10.0.0.5:8080/",
            "http://10.0.0.5:8080/",
            "http://10.0.0.5:8080/simple/",
        ),
        (
            "https://gitlab.example.com/api/v4/projects/7/packages/pypi",
            "https://gitlab.example.com/api/v4/projects/7/packages/pypi",
            "https://gitlab.example.com/api/v4/projects/7/packages/pypi/simple/",
        ),
        (
            "https://upload.pypi.org/legacy",
            "https://upload.pypi.org/legacy/",
            "https://pypi.org/simple/",
        ),
        (
            "https://test.pypi.org/legacy/",
            "https://test.pypi.org/legacy/",
            "https://test.pypi.org/simple/",
        ),
    ];
    for (given, upload, index) in cases {
        let target = url_target(given);
        assert_eq!(
            (target.upload_url.as_str(), target.index_url.as_str()),
            (upload, index),
            "{given}"
        );
        assert_eq!(target.name, upload);
        assert_eq!(target.source, "--repository-url");
        assert_eq!(
            target.production,
            given.contains("upload.pypi.org"),
            "{given}"
        );
    }
}

#[test]
fn explicit_index_url_is_accepted_and_checked() {
    let resolve = |index: &str| {
        target::resolve(&TargetRequest {
            repository_url: Some("https://devpi.example/alice/prod/".into()),
            index_url: Some(index.into()),
            pypirc: Some(PathBuf::from("/nonexistent")),
            ..TargetRequest::default()
        })
    };
    let target = resolve("https://devpi.example/alice/prod/+simple/").unwrap();
    assert_eq!(
        target.index_url,
        "https://devpi.example/alice/prod/+simple/"
    );
    let text = err_text(resolve("https://upload.pypi.org/legacy/"));
    assert!(
        text.contains("is an upload URL, not a simple index; use https://pypi.org/simple/"),
        "{text}"
    );
    let text = err_text(resolve("https://pkgs.example.com/legacy/"));
    assert!(
        text.contains("use https://devpi.example/alice/prod/simple/"),
        "{text}"
    );
}

#[test]
fn index_url_given_as_upload_url_gets_the_right_one() {
    let cases = [
        ("https://pypi.org/simple/", "is PyPI's simple index, not an upload URL; upload to https://upload.pypi.org/legacy/"),
        ("https://pypi.org/", "is PyPI's website, not an upload URL; upload to https://upload.pypi.org/legacy/"),
        ("https://pypi.org/project/foo/", "PyPI's website"),
        ("https://upload.pypi.org/", "not PyPI's upload API, not an upload URL; upload to https://upload.pypi.org/legacy/"),
        ("https://test.pypi.org/", "is TestPyPI's website, not an upload URL; upload to https://test.pypi.org/legacy/ (or pass --repository testpypi)"),
        ("https://test.pypi.org/simple/", "TestPyPI's simple index"),
        ("https://files.pythonhosted.org/packages/", "PyPI's file host"),
        (
            "https://pkgs.example.com/simple/",
            "is a simple index, not an upload URL; upload to https://pkgs.example.com/legacy/ on a Warehouse-like index, or to https://pkgs.example.com/ on pypiserver",
        ),
        ("http://localhost:8080/simple", "upload to http://localhost:8080/legacy/ on a Warehouse-like index, or to http://localhost:8080/ on pypiserver"),
        ("https://devpi.example/alice/prod/+simple/", "devpi simple index, not an upload URL; upload to https://devpi.example/alice/prod/"),
    ];
    for (given, expected) in cases {
        let err = target::resolve(&TargetRequest {
            repository_url: Some(given.into()),
            ..TargetRequest::default()
        })
        .unwrap_err();
        assert!(matches!(err, TargetError::WrongUrl(_)), "{given}: {err:?}");
        assert!(err.to_string().contains(expected), "{given}: {err}");
    }
}

#[test]
fn malformed_urls_and_conflicting_flags() {
    let place = Place::new();
    let text = err_text(place.resolve(None, Some("pkgs.example.com/legacy/")));
    assert!(
        text.contains(
            "is not a URL; write it with its scheme, e.g. `https://pkgs.example.com/legacy/`"
        ),
        "{text}"
    );
    let text = err_text(place.resolve(None, Some("ftp://pkgs.example.com/")));
    assert!(text.contains("is not an http:// or https:// URL"), "{text}");
    let text = err_text(place.resolve(Some("testpypi"), Some("https://pkgs.example.com/")));
    assert!(
        text.contains("both --repository testpypi and --repository-url were given"),
        "{text}"
    );
}

#[test]
fn credentials_in_urls_are_taken_out_and_never_shown() {
    let url = format!("https://__token__:{KNOWN}@pkgs.example.com/legacy/");
    let request = TargetRequest {
        repository_url: Some(url.clone()),
        ..TargetRequest::default()
    };
    assert_no_leak("TargetRequest Debug", &format!("{request:?}"), KNOWN);
    let target = target::resolve(&request).unwrap();
    assert_eq!(target.upload_url, "https://pkgs.example.com/legacy/");
    assert_eq!(target.name, "https://pkgs.example.com/legacy/");
    let creds = target.url_credentials.as_ref().unwrap();
    assert_eq!(
        (creds.username.as_str(), creds.password.expose()),
        ("__token__", KNOWN)
    );
    assert_no_leak("Target Debug", &format!("{target:?}"), KNOWN);
    // A username alone is a username, not credentials.
    let target = url_target("https://bob@pkgs.example.com/legacy/");
    assert_eq!(target.username.as_deref(), Some("bob"));
    assert!(target.url_credentials.is_none());
    assert_eq!(redact_url(&url), "https://***@pkgs.example.com/legacy/");
}

#[test]
fn pyproject_repositories() {
    let place = Place::new();
    let pyproject = place.root().join("pyproject.toml");
    write(
        &place.pypirc(),
        "[corp]\nrepository = https://from-pypirc.example/legacy/\n",
        0o600,
    );
    write(
        &pyproject,
        "[project]\nname = \"x\"\n\n[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://corp.example/legacy/\"\n\n[tool.cargo-pypi.repositories.mirror]\nupload-url = \"http://localhost:8080/\"\nindex-url = \"http://localhost:8080/+simple/\"\n",
        0o644,
    );
    let corp = place.resolve(Some("corp"), None).unwrap();
    assert_eq!(
        corp.upload_url, "https://corp.example/legacy/",
        "config wins over .pypirc"
    );
    assert_eq!(corp.index_url, "https://corp.example/simple/");
    assert_eq!(corp.name, "corp");
    assert!(
        corp.source
            .ends_with("pyproject.toml [tool.cargo-pypi.repositories.corp]"),
        "{}",
        corp.source
    );
    let mirror = place.resolve(Some("mirror"), None).unwrap();
    assert_eq!(mirror.index_url, "http://localhost:8080/+simple/");

    let bad = [
        (
            "[tool.cargo-pypi.repositories.pypi]\nupload-url = \"https://x.example/\"\n",
            "redefines the built-in `pypi`",
        ),
        (
            "[tool.cargo-pypi.repositories.corp]\nurl = \"https://x.example/\"\n",
            "unknown key `url`",
        ),
        (
            "[tool.cargo-pypi.repositories.corp]\nindex-url = \"https://x.example/simple/\"\n",
            "has no `upload-url`",
        ),
        (
            "[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://pypi.org/simple/\"\n",
            "PyPI's simple index",
        ),
    ];
    for (text, expected) in bad {
        write(&pyproject, text, 0o644);
        let name = if text.contains(".pypi]") {
            "pypi"
        } else {
            "corp"
        };
        let message = err_text(place.resolve(Some(name), None));
        assert!(message.contains(expected), "{message}");
    }
    write(
        &pyproject,
        &format!("[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://u:{KNOWN}@corp.example/legacy/\"\n"),
        0o644,
    );
    let message = err_text(place.resolve(Some("corp"), None));
    assert!(
        message.contains("holds a password") && message.contains("revoke it"),
        "{message}"
    );
    assert_no_leak("pyproject refusal", &message, KNOWN);
}

#[test]
fn pypirc_repositories_and_unknown_names() {
    let place = Place::new();
    write(&place.pypirc(), PYPIRC, 0o600);
    let corp = place.resolve(Some("corp"), None).unwrap();
    assert_eq!(corp.index_url, "https://corp.example/simple/");
    assert!(
        corp.source.ends_with("home-pypirc [corp]"),
        "{}",
        corp.source
    );
    assert!(!corp.production);
    let pypi = place.resolve(Some("pypi"), None).unwrap();
    assert_eq!(
        (pypi.upload_url.as_str(), pypi.index_url.as_str()),
        (
            cargo_pypi::publish::url::PYPI_UPLOAD,
            cargo_pypi::publish::url::PYPI_INDEX
        )
    );
    assert!(pypi.production);

    let err = place.resolve(Some("nowhere"), None).unwrap_err();
    assert!(matches!(err, TargetError::UnknownRepository(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("no repository named `nowhere` (known: pypi, testpypi, corp)"),
        "{text}"
    );
    assert!(
        text.contains("[tool.cargo-pypi.repositories.nowhere]"),
        "{text}"
    );

    write(
        &place.pypirc(),
        "[distutils]\nindex-servers = pypi private\n",
        0o600,
    );
    let text = err_text(place.resolve(Some("private"), None));
    assert!(text.contains("has no [private] section"), "{text}");
    write(&place.pypirc(), "[private]\nusername = x\n", 0o600);
    let text = err_text(place.resolve(Some("private"), None));
    assert!(text.contains("[private] has no `repository`"), "{text}");
}

// ---------------------------------------------------------------- redaction

#[test]
fn secrets_and_redactor() {
    let secret = Secret::new(KNOWN);
    assert_eq!(format!("{secret}"), "***");
    assert_eq!(format!("{secret:?}"), "Secret(***)");
    let mut redactor = Redactor::new();
    redactor.add(&secret);
    redactor.add_with_username("alice", &Secret::new("hunter 2"));
    let text = format!(
        "token {KNOWN}; header Authorization: {}; raw {}; alice {}; form hunter%202; url https://u:p@h/",
        secret.basic_auth("__token__"),
        b64(KNOWN),
        Secret::new("hunter 2").basic_auth("alice"),
    );
    let clean = redactor.redact(&text);
    assert_no_leak("redacted text", &clean, KNOWN);
    assert!(!clean.contains("hunter"), "{clean}");
    assert!(!clean.contains(&b64("alice:hunter 2")), "{clean}");
    assert!(
        clean.contains("Authorization: Basic ***") && clean.contains("https://***@h/"),
        "{clean}"
    );
    assert!(!format!("{redactor:?}").contains(KNOWN));
    assert_eq!(redactor.redact("nothing secret"), "nothing secret");
}

#[test]
fn redact_url_cases() {
    let cases = [
        ("https://user:pass@host/x", "https://***@host/x"),
        ("https://host/x", "https://host/x"),
        ("http://tok@h:8080/", "http://***@h:8080/"),
        (
            "failed: https://a:b@c/legacy/ (HTTP 403)",
            "failed: https://***@c/legacy/ (HTTP 403)",
        ),
        ("https://u:pa/ss@host/x", "https://***@host/x"),
        ("https://host/p?mail=a@b", "https://host/p?mail=a@b"),
        ("git+https://u:p@host/r.git", "git+https://***@host/r.git"),
        ("plain text", "plain text"),
    ];
    for (given, expected) in cases {
        assert_eq!(redact_url(given), expected, "{given}");
    }
}

// ----------------------------------------------- every failure path, no leak

/// Runs every failure path that can see the known token and checks that no
/// error's `Display` or `Debug`, nor anything else returned, holds it (or its
/// base64 in a Basic header).
#[test]
fn no_failure_path_leaks_the_known_token() {
    let mut failures: Vec<(String, String, String)> = Vec::new();
    let mut record = |name: &str, result: Result<Credentials, CredentialError>| match result {
        Ok(found) => panic!("{name}: expected a failure, got {found:?}"),
        Err(e) => failures.push((name.to_owned(), e.to_string(), format!("{e:?}"))),
    };
    let quoted = format!("\"{KNOWN}\"");
    let spaced = format!("{KNOWN} extra");

    // .env refusals.
    let place = Place::new();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o644,
    );
    record(".env 644", place.find(&Target::pypi(), &[]));
    common::git_init(place.root());
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o600,
    );
    record(".env tracked", place.find(&Target::pypi(), &[]));
    let place = Place::new();
    common::git_init(place.root());
    write(
        &place.root().join(".env.local"),
        &format!("TWINE_PASSWORD={KNOWN}\n"),
        0o600,
    );
    record(".env.local not ignored", place.find(&Target::pypi(), &[]));
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_KEY='{KNOWN}\n"),
        0o600,
    );
    record(".env unclosed quote", place.find(&Target::pypi(), &[]));
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_KEY={KNOWN}\"\n"),
        0o600,
    );
    record(
        ".env token with a stray quote",
        place.find(&Target::pypi(), &[]),
    );

    // .pypirc.
    let place = Place::new();
    write(
        &place.pypirc(),
        &format!("[pypi]\npassword = {KNOWN}\n"),
        0o644,
    );
    record(".pypirc 644", place.find(&Target::pypi(), &[]));
    write(&place.pypirc(), &format!("[pypi]\n{KNOWN}\n"), 0o600);
    record(".pypirc garbage line", place.find(&Target::pypi(), &[]));
    write(
        &place.pypirc(),
        &format!("[pypi]\npassword = {spaced}\n"),
        0o600,
    );
    record(".pypirc malformed token", place.find(&Target::pypi(), &[]));

    // Flags and environment with a malformed token; not found with an unusable one.
    let place = Place::new();
    record(
        "--token with quotes",
        place.find_with(&Target::pypi(), &[], Some(&quoted)),
    );
    record(
        "env with spaces",
        place.find(&Target::pypi(), &[("PYPI_API_TOKEN", &spaced)]),
    );
    record(
        "env placeholder",
        place.find(
            &Target::testpypi(),
            &[("MATURIN_PYPI_TOKEN", &format!("x{KNOWN}"))],
        ),
    );
    let custom = url_target("https://pkgs.example.com/legacy/");
    record(
        "pypi token for another index",
        place.find(
            &custom,
            &[("PYPI_API_TOKEN", KNOWN), ("TWINE_USERNAME", KNOWN)],
        ),
    );

    // Trusted publishing: servers that echo the request back in their errors.
    let echo = |route: &'static str| {
        fake::serve(move |req, _| {
            let body = serde_json::json!({ "message": req.dump() }).to_string();
            match req.path() {
                "/_/oidc/audience" if route != "audience" => {
                    (200, r#"{"audience":"fake-pypi"}"#.into())
                }
                "/github/idtoken" if route != "github" => {
                    (200, format!(r#"{{"value":"{KNOWN}"}}"#))
                }
                _ => (400, body),
            }
        })
    };
    for route in ["audience", "github", "mint"] {
        let server = echo(route);
        let env = [
            ("GITHUB_ACTIONS", "true".to_owned()),
            (
                "ACTIONS_ID_TOKEN_REQUEST_URL",
                format!("{}/github/idtoken?api-version=2.0", server.base),
            ),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", KNOWN.to_owned()),
        ];
        record(
            &format!("oidc {route} echo"),
            place.find(&fake_target(&server), &as_refs(&env)),
        );
        assert!(
            server.requests().iter().any(|r| r.dump().contains(KNOWN)) || route == "audience",
            "the {route} case must have sent the token for the check to mean anything"
        );
    }
    let server = echo("mint");
    record(
        "gitlab mint echo",
        place.find(&fake_target(&server), &[("PYPI_ID_TOKEN", KNOWN)]),
    );
    assert!(server.requests().iter().any(|r| r.body.contains(KNOWN)));
    let server = fake_pypi(Behaviour::working());
    let jwt_known = format!("{}.{KNOWN}", fake_jwt("other"));
    record(
        "gitlab wrong audience",
        place.find(&fake_target(&server), &[("PYPI_ID_TOKEN", &jwt_known)]),
    );

    for (name, display, debug) in &failures {
        assert_no_leak(&format!("{name} (Display)"), display, KNOWN);
        assert_no_leak(&format!("{name} (Debug)"), debug, KNOWN);
    }

    // Target errors with the token in a URL.
    let target_failures = [
        format!("https://__token__:{KNOWN}@pypi.org/simple/"),
        format!("https://__token__:{KNOWN}@pkgs.example.com:99999/legacy/"),
        format!("ftp://__token__:{KNOWN}@pkgs.example.com/"),
        format!("__token__:{KNOWN}@pkgs.example.com/legacy/"),
        format!("user:{KNOWN}@pkgs.example.com/legacy/"),
        format!("https://user:{KNOWN}@[pkgs.example.com/legacy/"),
        format!("https://__token__:{KNOWN}@pkgs.example.com/simple/"),
    ];
    for url in &target_failures {
        let request = TargetRequest {
            repository_url: Some(url.clone()),
            ..TargetRequest::default()
        };
        let err = target::resolve(&request).unwrap_err();
        assert_no_leak(&format!("{url} (Display)"), &err.to_string(), KNOWN);
        assert_no_leak(&format!("{url} (Debug)"), &format!("{err:?}"), KNOWN);
    }
    // A TOML error quoting a line that holds a password.
    let place = Place::new();
    let broken =
        format!("[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://u:{KNOWN}@h/\" x\n");
    write(&place.root().join("pyproject.toml"), &broken, 0o644);
    let err = place.resolve(Some("corp"), None).unwrap_err();
    assert!(err.to_string().contains("invalid TOML"), "{err}");
    assert_no_leak("TOML error (Display)", &err.to_string(), KNOWN);
    assert_no_leak("TOML error (Debug)", &format!("{err:?}"), KNOWN);

    let with_index = TargetRequest {
        repository_url: Some("https://pkgs.example.com/".into()),
        index_url: Some(format!("https://__token__:{KNOWN}@upload.pypi.org/legacy/")),
        ..TargetRequest::default()
    };
    let err = target::resolve(&with_index).unwrap_err();
    assert_no_leak("index URL (Display)", &err.to_string(), KNOWN);
    assert_no_leak("index URL (Debug)", &format!("{err:?}"), KNOWN);
    assert_no_leak("request (Debug)", &format!("{with_index:?}"), KNOWN);

    // Successes print nothing secret either.
    let place = Place::new();
    let found = place
        .find(&Target::pypi(), &[("PYPI_API_TOKEN", KNOWN)])
        .unwrap();
    assert_no_leak("Credentials (Debug)", &format!("{found:?}"), KNOWN);
    assert_no_leak("source", &found.source, KNOWN);
    assert!(failures.len() >= 17, "{} failure paths ran", failures.len());
}

// ------------------------------------------------------------- the prompt
// The terminal prompt itself lives in the binary: tests/publish_cli.rs runs it
// in a pseudo-terminal. Here, the library's side: the caller's prompt comes
// last, is asked only by `find`, and `locate` names it without asking.

#[test]
fn the_callers_prompt_comes_last_and_locate_does_not_ask() {
    let place = Place::new();
    let asked = std::cell::Cell::new(0);
    let ask = |target: &Target| {
        asked.set(asked.get() + 1);
        assert_eq!(target.name, "pypi");
        Ok(Credentials {
            username: "__token__".into(),
            password: Secret::new(KNOWN),
            source: credentials::PROMPT_SOURCE.into(),
        })
    };
    let target = Target::pypi();
    let request = |env: &'static dyn Fn(&str) -> Option<String>| CredentialRequest {
        target: &target,
        token: None,
        repo_root: place.root().to_path_buf(),
        env,
        prompt: Some(&ask),
        pypirc: Some(place.pypirc()),
    };
    let located = credentials::locate(&request(&|_| None)).unwrap();
    assert_eq!(located.source(), "interactive prompt");
    assert_eq!(asked.get(), 0, "locate asked");
    let found = credentials::find(&request(&|_| None)).unwrap();
    assert_eq!(found.password.expose(), KNOWN);
    assert_eq!(found.source, "interactive prompt");
    assert_eq!(asked.get(), 1);
    // Any other source wins over the prompt.
    let env = &|k: &str| (k == "PYPI_API_TOKEN").then(|| KNOWN.to_owned());
    let found = credentials::find(&request(env)).unwrap();
    assert_eq!(found.source, "environment variable PYPI_API_TOKEN");
    assert_eq!(asked.get(), 1);
}
