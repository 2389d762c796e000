//! A real devpi-server on 127.0.0.1, started from the venv in
//! `$CARGO_PYPI_TEST_VENV` (scripts/test.sh installs `devpi-server`): a
//! fresh server folder (`devpi-init`), the user `alice` and her index
//! `alice/dev` made over devpi's REST API. Killed on drop.

use super::{free_port, venv, PASSWORD, USER};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The index devpi serves uploads and its simple index under.
pub const DEVPI_INDEX: &str = "dev";

pub struct Devpi {
    child: Option<Child>,
    pub port: u16,
    dir: TempDir,
}

impl Devpi {
    /// A running server with `alice/dev` (not volatile: a file, once there, stays).
    pub fn start() -> Devpi {
        let bin = |tool: &str| {
            let path = venv().join("bin").join(tool);
            assert!(
                path.exists(),
                "{} is missing: install devpi-server into the test venv (scripts/test.sh does)",
                path.display()
            );
            path
        };
        let dir = tempfile::tempdir().unwrap();
        let serverdir = dir.path().join("server");
        let out = Command::new(bin("devpi-init"))
            .arg("--serverdir")
            .arg(&serverdir)
            .arg("--no-root-pypi")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "devpi-init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut server = Devpi {
            child: None,
            port: 0,
            dir,
        };
        let mut failures = Vec::new();
        for _ in 0..3 {
            server.port = free_port();
            let log = std::fs::File::create(server.log_path()).unwrap();
            server.child = Some(
                Command::new(bin("devpi-server"))
                    .arg("--serverdir")
                    .arg(&serverdir)
                    .args(["--host", "127.0.0.1", "--port", &server.port.to_string()])
                    .stdin(Stdio::null())
                    .stdout(log.try_clone().unwrap())
                    .stderr(log)
                    .spawn()
                    .expect("start devpi-server"),
            );
            match server.wait_until_up() {
                Ok(()) => {
                    server.make_user_and_index();
                    return server;
                }
                Err(why) => {
                    failures.push(why);
                    server.stop();
                }
            }
        }
        panic!("devpi-server did not start: {failures:#?}");
    }

    fn wait_until_up(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = reqwest::blocking::Client::new();
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                return Err(format!("devpi-server exited ({status}): {}", self.log()));
            }
            let answer = client.get(format!("{}/+api", self.base())).send();
            // Its own answer, not another test's server on a reused port.
            if answer
                .is_ok_and(|a| a.status().is_success() && a.headers().contains_key("x-devpi-uuid"))
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "devpi-server did not answer within 60 s: {}",
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn make_user_and_index(&self) {
        let client = reqwest::blocking::Client::new();
        let user = client
            .put(format!("{}/{USER}", self.base()))
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"password": "{PASSWORD}", "email": "alice@example.org"}}"#
            ))
            .send()
            .unwrap();
        assert!(user.status().is_success(), "devpi user: {}", user.status());
        let index = client
            .put(format!("{}/{USER}/{DEVPI_INDEX}", self.base()))
            .basic_auth(USER, Some(PASSWORD))
            .header("content-type", "application/json")
            .body(r#"{"bases": [], "volatile": false}"#)
            .send()
            .unwrap();
        assert!(
            index.status().is_success(),
            "devpi index: {}",
            index.status()
        );
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What a user gives as `--repository-url`: `http://host:port/alice/dev/`.
    pub fn upload_url(&self) -> String {
        format!("{}/{USER}/{DEVPI_INDEX}/", self.base())
    }

    /// Its simple index: `…/alice/dev/+simple/`.
    pub fn simple_url(&self) -> String {
        format!("{}+simple/", self.upload_url())
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Devpi {
    fn drop(&mut self) {
        self.stop();
    }
}
