//! Credentials and targets for `cargo pypi publish`: every source in its order,
//! the `.env` refusals, `.pypirc` parsing, trusted publishing against a fake
//! OIDC/PyPI endpoint on 127.0.0.1, target resolution, redaction, and one test
//! that runs every failure path with a known token and looks for it in the output.
//!
//! Real files with real modes, real git repositories, a real HTTP server. The
//! fake endpoint stands in for GitHub's ID-token service and PyPI's
//! `/_/oidc/*` routes, which cannot run here.

mod dotenv;
mod env_targets;
pub mod fake;
mod prompt;
mod pypirc;
mod redaction;
mod refusals;
mod renewal;
mod sources;
mod targets;
mod trusted;

use crate::support;
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
        support::git_init(place.root());
        write(
            &place.root().join(".gitignore"),
            ".env\n.env.local\n",
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
        self.resolve_env(repository, url, &[])
    }

    /// `resolve` with `env` as the process environment's target variables.
    fn resolve_env(
        &self,
        repository: Option<&str>,
        url: Option<&str>,
        env: &[(&str, &str)],
    ) -> Result<Target, TargetError> {
        target::resolve(&TargetRequest {
            repository: repository.map(str::to_owned),
            repository_url: url.map(str::to_owned),
            index_url: None,
            pyproject: Some(self.root().join("pyproject.toml")),
            pypirc: Some(self.pypirc()),
            env: pairs(env),
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

/// `(name, value)` pairs as a target request's environment.
fn pairs(env: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
    Some(
        env.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
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
