//! Harness for upload tests against a real index: a pypiserver run from the
//! venv in `$CARGO_PYPI_TEST_VENV` (with `pypiserver` and `passlib`), a
//! fault-injecting proxy to put in front of it, and small real wheels and
//! sdists that `dist::read` accepts.

mod artifacts;
mod devpi;
mod proxy;
mod standin;

pub use artifacts::*;
pub use devpi::*;
pub use proxy::*;
pub use standin::*;

use cargo_pypi::publish::credentials::Credentials;
use cargo_pypi::publish::secret::Secret;
use cargo_pypi::publish::target::Target;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub const USER: &str = "alice";
pub const PASSWORD: &str = "pw-for-tests-4711-zebra";

// ------------------------------------------------------------------ the venv

/// The venv with pypiserver and passlib; the tests cannot run without it.
pub fn venv() -> PathBuf {
    let Some(dir) = std::env::var_os("CARGO_PYPI_TEST_VENV") else {
        panic!(
            "CARGO_PYPI_TEST_VENV is not set: the upload tests need a Python venv with pypiserver and passlib \
             (python3 -m venv DIR && DIR/bin/pip install pypiserver passlib; scripts/test.sh makes one), \
             then CARGO_PYPI_TEST_VENV=DIR"
        )
    };
    let dir = PathBuf::from(dir);
    for tool in ["pypi-server", "python"] {
        assert!(
            dir.join("bin").join(tool).exists(),
            "{} has no bin/{tool}: install pypiserver and passlib into it (DIR/bin/pip install pypiserver passlib)",
            dir.display()
        );
    }
    dir
}

pub fn credentials() -> Credentials {
    credentials_with(PASSWORD)
}

pub fn credentials_with(password: &str) -> Credentials {
    Credentials {
        username: USER.into(),
        password: Secret::new(password),
        source: "the test harness".into(),
        renewal: None,
    }
}

/// A target whose upload URL is `base` and index `base/simple/`.
pub fn target_at(base: &str) -> Target {
    Target {
        name: base.into(),
        upload_url: format!("{base}/").parse().unwrap(),
        index_url: format!("{base}/simple/").parse().unwrap(),
        production: false,
        username: None,
        source: "the test harness".into(),
        url_credentials: None,
        foreign: Vec::new(),
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

// ---------------------------------------------------------------- pypiserver

/// A pypiserver on 127.0.0.1, killed on drop.
pub struct Pypiserver {
    child: Option<Child>,
    pub port: u16,
    dir: TempDir,
    authenticate: String,
    hash_algo: String,
}

impl Pypiserver {
    /// Uploads, downloads and listings all need the password.
    pub fn start() -> Pypiserver {
        Pypiserver::start_with("update,download,list")
    }

    /// `authenticate`: pypiserver's `-a` (which actions need the password).
    pub fn start_with(authenticate: &str) -> Pypiserver {
        Pypiserver::start_listing(authenticate, "sha256")
    }

    /// A server whose listing gives each file's `hash_algo` digest (`md5`,
    /// `sha256`…) or, with `off`, none (PEP 503 allows both).
    pub fn start_listing(authenticate: &str, hash_algo: &str) -> Pypiserver {
        let venv = venv();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("packages")).unwrap();
        let htpasswd = dir.path().join("htpasswd");
        let script = "import sys\nfrom passlib.apache import HtpasswdFile\nh = HtpasswdFile(sys.argv[1], new=True)\nh.set_password(sys.argv[2], sys.argv[3])\nh.save()\n";
        let out = Command::new(venv.join("bin/python"))
            .args(["-c", script])
            .arg(&htpasswd)
            .args([USER, PASSWORD])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cannot write the htpasswd file with passlib (is passlib in {}?): {}",
            venv.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        // Its home page shows this folder: the health check knows it is
        // talking to this server, not another test's on a reused port.
        std::fs::write(
            dir.path().join("welcome.html"),
            format!("<p>{}</p>", dir.path().display()),
        )
        .unwrap();
        let mut server = Pypiserver {
            child: None,
            port: 0,
            dir,
            authenticate: authenticate.into(),
            hash_algo: hash_algo.into(),
        };
        let mut failures = Vec::new();
        for _ in 0..3 {
            server.port = free_port();
            match server.run() {
                Ok(()) => return server,
                Err(why) => failures.push(why),
            }
        }
        panic!("pypi-server did not start: {failures:#?}");
    }

    fn run(&mut self) -> Result<(), String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap();
        let child = Command::new(venv().join("bin/pypi-server"))
            .arg("run")
            .args(["-p", &self.port.to_string(), "-i", "127.0.0.1"])
            .args(["-a", &self.authenticate])
            .arg("-P")
            .arg(self.dir.path().join("htpasswd"))
            .arg("--welcome")
            .arg(self.dir.path().join("welcome.html"))
            .args(["--disable-fallback", "--server", "wsgiref", "--hash-algo"])
            .arg(&self.hash_algo)
            .arg(self.packages_dir())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start pypi-server");
        self.child = Some(child);
        let up = self.wait_until_up();
        if up.is_err() {
            self.stop();
        }
        up
    }

    fn wait_until_up(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let token = format!("<p>{}</p>", self.dir.path().display());
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                return Err(format!("pypi-server exited ({status}): {}", self.log()));
            }
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
                let request = format!("GET / HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n", self.port);
                let mut answer = String::new();
                if s.write_all(request.as_bytes()).is_ok()
                    && s.read_to_string(&mut answer).is_ok()
                    && answer.starts_with("HTTP/1.0 200")
                    && answer.contains(&token)
                {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "pypi-server did not answer within 30 s: {}",
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Kills the server (its files stay).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A closure that kills the server (by its process id) and returns once
    /// its port refuses connections.
    pub fn killer(&self) -> impl Fn() + Send + 'static {
        let pid = self.child.as_ref().expect("running").id();
        let port = self.port;
        move || {
            let status = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()
                .unwrap();
            assert!(status.success(), "kill {pid} failed");
            let deadline = Instant::now() + Duration::from_secs(10);
            while TcpStream::connect(("127.0.0.1", port)).is_ok() {
                assert!(
                    Instant::now() < deadline,
                    "pypi-server still answers after kill"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    /// Starts it again on the same port with the same files.
    pub fn restart(&mut self) {
        self.stop();
        if let Err(why) = self.run() {
            panic!(
                "pypi-server did not start again on port {}: {why}",
                self.port
            );
        }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn target(&self) -> Target {
        target_at(&self.base())
    }

    pub fn packages_dir(&self) -> PathBuf {
        self.dir.path().join("packages")
    }

    /// File names in the packages folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.packages_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Downloads a file as pip would (from the link on the project page) and hashes it.
    pub fn download_sha256(&self, file: &str) -> String {
        let client = reqwest::blocking::Client::new();
        let response = client
            .get(format!("{}/packages/{file}", self.base()))
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .unwrap();
        assert!(
            response.status().is_success(),
            "download of {file}: {}",
            response.status()
        );
        hex(&Sha256::digest(response.bytes().unwrap()))
    }
}

impl Drop for Pypiserver {
    fn drop(&mut self) {
        self.stop();
    }
}
