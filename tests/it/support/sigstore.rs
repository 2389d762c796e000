//! A stand-in Sigstore instance for attestation tests: `sigstore/standin.py`
//! (a certificate authority answering as Fulcio v2 and a transparency log
//! answering as Rekor v1, on 127.0.0.1, fresh keys each run) run with the
//! test venv's Python; the verification of PEP 740 attestations by the real
//! `pypi-attestations` against its root (`sigstore/verify.py`); sigstore-python
//! as the reference signer (`sigstore/sign.py`); and GitHub-Actions-shaped ID
//! tokens (unsigned: the stand-in does not check signatures).

use super::index::venv;
use base64::Engine;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tempfile::TempDir;

/// The predicate type of a PyPI publish attestation.
pub const PUBLISH_V1: &str = "https://docs.pypi.org/attestations/publish/v1";

/// The folder of the Python side (stand-in, verifier, reference signer).
fn scripts() -> PathBuf {
    super::root().join("tests/it/support/sigstore")
}

/// The Python with pypi-attestations (`$CARGO_PYPI_PYTHON`, else the test
/// venv's), writing no `__pycache__` into the source tree.
fn python() -> Command {
    let python = std::env::var_os("CARGO_PYPI_PYTHON")
        .filter(|p| !p.is_empty())
        .map_or_else(|| venv().join("bin/python"), PathBuf::from);
    let mut cmd = Command::new(python);
    cmd.env("PYTHONDONTWRITEBYTECODE", "1");
    cmd
}

/// A running stand-in (killed on drop) and the folder with its trust files.
pub struct SigstoreStandIn {
    /// `http://127.0.0.1:PORT`: both the Fulcio and the Rekor URL.
    pub base_url: String,
    pub dir: TempDir,
    child: Child,
}

/// The Trusted Publisher an attestation is checked against.
#[derive(Clone, Debug)]
pub struct Publisher {
    /// `github` or `gitlab`.
    pub kind: &'static str,
    /// `owner/repo` (GitHub) or `namespace/project` (GitLab).
    pub repository: String,
    /// The workflow's file name (GitHub, e.g. `release.yml`) or the CI
    /// file's path (GitLab, e.g. `.gitlab-ci.yml`).
    pub workflow: String,
    pub environment: Option<String>,
}

impl Publisher {
    pub fn github(repository: &str, workflow: &str) -> Publisher {
        Publisher::new("github", repository, workflow)
    }

    pub fn gitlab(repository: &str, ci_file: &str) -> Publisher {
        Publisher::new("gitlab", repository, ci_file)
    }

    fn new(kind: &'static str, repository: &str, workflow: &str) -> Publisher {
        Publisher {
            kind,
            repository: repository.into(),
            workflow: workflow.into(),
            environment: None,
        }
    }
}

impl SigstoreStandIn {
    pub fn start() -> SigstoreStandIn {
        let dir = tempfile::tempdir().unwrap();
        let stderr = std::fs::File::create(dir.path().join("standin.log")).unwrap();
        let mut child = python()
            .arg(scripts().join("standin.py"))
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start the Sigstore stand-in with the test venv's Python");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let standin = SigstoreStandIn {
            base_url: line.trim().to_owned(),
            dir,
            child,
        };
        assert!(
            standin.base_url.starts_with("http://127.0.0.1:"),
            "the Sigstore stand-in did not start: {}",
            standin.log()
        );
        standin
    }

    /// Its TrustedRoot (CA, CT log key, Rekor key).
    pub fn trusted_root(&self) -> PathBuf {
        self.dir.path().join("trusted_root.json")
    }

    /// Its ClientTrustConfig (the root and a signing config naming its URLs).
    pub fn trust_config(&self) -> PathBuf {
        self.dir.path().join("trust_config.json")
    }

    /// What it printed on stderr (one line per request, and any trace).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("standin.log")).unwrap_or_default()
    }

    /// Every request so far: `{"method", "path", "body"}` (body as JSON).
    pub fn requests(&self) -> Vec<Value> {
        let answer = reqwest::blocking::get(format!("{}/requests", self.base_url))
            .and_then(|r| r.json::<Vec<Value>>());
        answer.unwrap_or_else(|e| panic!("GET /requests: {e}\n{}", self.log()))
    }

    /// Verifies `attestation_json` for `dist` against this stand-in's root.
    pub fn verify(
        &self,
        dist: &Path,
        attestation_json: &str,
        publisher: &Publisher,
    ) -> Result<String, String> {
        verify_with_root(&self.trusted_root(), dist, attestation_json, publisher)
    }

    /// The attestation (PEP 740 JSON) sigstore-python and pypi-attestations
    /// make for `dist` with the ID token `jwt`, signed through this stand-in.
    pub fn sign_reference(&self, dist: &Path, jwt: &str) -> String {
        self.sign_reference_all(&[dist], jwt).remove(0)
    }

    /// [`Self::sign_reference`] for each of `dists` in turn (one process,
    /// one certificate, one log entry each).
    pub fn sign_reference_all(&self, dists: &[&Path], jwt: &str) -> Vec<String> {
        let mut cmd = python();
        cmd.arg(scripts().join("sign.py"))
            .arg(self.trust_config())
            .args(dists);
        let out = with_input(cmd, jwt.as_bytes());
        assert!(
            out.status.success(),
            "sigstore-python could not sign through the stand-in: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let attestations: Vec<String> = text.lines().map(str::to_owned).collect();
        assert_eq!(attestations.len(), dists.len(), "sign.py printed:\n{text}");
        attestations
    }
}

impl Drop for SigstoreStandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `cmd` with `input` on its stdin; its output.
pub fn with_input(mut cmd: Command, input: &[u8]) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the test venv's Python");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `verify.py`: the real `Attestation.verify` with `root` in place of
/// the public-good instance's. `Ok(predicate type)` or `Err(reason)`.
pub fn verify_with_root(
    root: &Path,
    dist: &Path,
    attestation_json: &str,
    publisher: &Publisher,
) -> Result<String, String> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), attestation_json).unwrap();
    let mut cmd = python();
    cmd.arg(scripts().join("verify.py"))
        .args([root, dist, file.path()])
        .arg(publisher.kind)
        .args([&publisher.repository, &publisher.workflow]);
    if let Some(environment) = &publisher.environment {
        cmd.arg(environment);
    }
    let out = cmd
        .output()
        .expect("run verify.py with the test venv's Python");
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    match out.status.code() {
        Some(0) => Ok(stdout),
        Some(1) => Err(stdout),
        _ => panic!(
            "verify.py failed ({}): {stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// The claims of a GitHub Actions ID token with audience `sigstore`, for
/// `workflow` (a file name) in `repository` (`owner/repo`) on `main`,
/// valid for five minutes from now.
pub fn github_claims(repository: &str, workflow: &str, environment: Option<&str>) -> Value {
    let owner = repository.split('/').next().unwrap();
    let git_ref = "refs/heads/main";
    let workflow_ref = format!("{repository}/.github/workflows/{workflow}@{git_ref}");
    let sha = "4f0cbf1e2cdc53bd1d84a0fbf6e42a4b9e5d6a7f";
    let subject = match environment {
        Some(name) => format!("repo:{repository}:environment:{name}"),
        None => format!("repo:{repository}:ref:{git_ref}"),
    };
    let mut claims = json!({
        "iss": "https://token.actions.githubusercontent.com",
        "aud": "sigstore",
        "sub": subject,
        "jti": "8e1f5c1a-9d7e-4b8a-a3c6-2b5f0d4e6c71",
        "ref": git_ref,
        "ref_type": "branch",
        "ref_protected": "true",
        "sha": sha,
        "repository": repository,
        "repository_id": "812345678",
        "repository_owner": owner,
        "repository_owner_id": "91234567",
        "repository_visibility": "public",
        "run_id": "11223344556",
        "run_number": "42",
        "run_attempt": "1",
        "actor": owner,
        "actor_id": "91234567",
        "event_name": "push",
        "workflow": "Release",
        "workflow_ref": workflow_ref,
        "workflow_sha": sha,
        "job_workflow_ref": workflow_ref,
        "job_workflow_sha": sha,
        "runner_environment": "github-hosted",
    });
    valid_for_five_minutes(&mut claims, environment);
    claims
}

/// Adds `iat`, `nbf` (now), `exp` (in five minutes) and the job's environment.
fn valid_for_five_minutes(claims: &mut Value, environment: Option<&str>) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    claims["iat"] = json!(now);
    claims["nbf"] = json!(now);
    claims["exp"] = json!(now + 300);
    if let Some(name) = environment {
        claims["environment"] = json!(name);
    }
}

/// The claims of a GitLab CI ID token (gitlab.com) with audience
/// `sigstore`, for the CI file `ci_file` of `project` (`namespace/project`)
/// on `main`, valid for five minutes from now.
pub fn gitlab_claims(project: &str, ci_file: &str, environment: Option<&str>) -> Value {
    let namespace = project.rsplit_once('/').map_or(project, |(ns, _)| ns);
    let sha = "9a3c1f0e7b2d4c6a8e0f1b3d5c7e9a1b2c4d6e8f";
    let mut claims = json!({
        "iss": "https://gitlab.com",
        "aud": "sigstore",
        "sub": format!("project_path:{project}:ref_type:branch:ref:main"),
        "namespace_id": "71234567",
        "namespace_path": namespace,
        "project_id": "51234567",
        "project_path": project,
        "project_visibility": "public",
        "user_id": "1234567",
        "user_login": namespace,
        "pipeline_id": "1312345678",
        "pipeline_source": "push",
        "job_id": "7712345678",
        "ref": "main",
        "ref_type": "branch",
        "ref_path": "refs/heads/main",
        "ref_protected": "true",
        "sha": sha,
        "ci_config_ref_uri": format!("gitlab.com/{project}//{ci_file}@refs/heads/main"),
        "ci_config_sha": sha,
        "runner_id": 12270857,
        "runner_environment": "gitlab-hosted",
    });
    valid_for_five_minutes(&mut claims, environment);
    claims
}

/// A JWT (header `RS256`, signature bytes that sign nothing) with `claims`.
pub fn jwt(claims: &Value) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(r#"{"alg":"RS256","typ":"JWT","kid":"stand-in"}"#);
    let payload = engine.encode(claims.to_string());
    format!("{header}.{payload}.bm90LWEtc2lnbmF0dXJl")
}

/// [`jwt`] of [`github_claims`].
pub fn github_id_token(repository: &str, workflow: &str, environment: Option<&str>) -> String {
    jwt(&github_claims(repository, workflow, environment))
}
