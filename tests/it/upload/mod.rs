//! `publish::upload` against a real index: pypiserver from
//! `$CARGO_PYPI_TEST_VENV` (with pypiserver and passlib), behind a
//! fault-injecting proxy where a test needs failures, slowness or a count of
//! what was sent. Artifacts are small real wheels and sdists made here.

mod attested;
mod faults;
mod form;
mod hang;
mod indexes;
mod listing;
mod memory;

use crate::support::index::*;
use cargo_pypi::dist::{Artifact, CoreMetadata, Kind};
use cargo_pypi::publish::upload::{
    upload_all, wait_until_listed_as, NoProgress, Outcome, Progress, UploadError, UploadErrorKind,
    UploadOptions,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const NAME: &str = "demo-pkg";
const TAGS: [&str; 3] = [
    "cp311-cp311-manylinux_2_17_x86_64",
    "cp312-cp312-win_amd64",
    "cp311-cp311-macosx_11_0_arm64",
];

fn options() -> UploadOptions {
    UploadOptions {
        jobs: 4,
        attempts: 3,
        timeout: Duration::from_secs(20),
        dry_run: false,
        ..UploadOptions::default()
    }
}

/// `upload_all` with the tests' [`options`] and no progress callbacks.
fn upload(
    target: &cargo_pypi::publish::target::Target,
    credentials: &cargo_pypi::publish::credentials::Credentials,
    artifacts: &[Artifact],
) -> Result<Vec<(PathBuf, Outcome)>, UploadError> {
    upload_all(target, credentials, artifacts, &options(), &NoProgress)
}

/// Asserts that `error` is of `kind`; returns its message for further checks.
fn failed(error: &UploadError, kind: UploadErrorKind) -> String {
    assert_eq!(error.kind, kind, "{error:?}");
    error.to_string()
}

/// An sdist and one wheel per tag of `NAME` `version`; `flavour` varies the bytes.
fn release(dir: &Path, version: &str, tags: &[&str], flavour: &str) -> Vec<Artifact> {
    let mut paths = vec![sdist(dir, NAME, version, flavour)];
    for tag in tags {
        let module = format!("VALUE = 42  # {flavour}\n");
        paths.push(wheel(dir, NAME, version, tag, &module, flavour.as_bytes()));
    }
    paths.iter().map(|p| read(p)).collect()
}

fn file_name(a: &Artifact) -> String {
    a.path.file_name().unwrap().to_string_lossy().into_owned()
}

fn names(artifacts: &[Artifact]) -> Vec<String> {
    let mut names: Vec<String> = artifacts.iter().map(file_name).collect();
    names.sort();
    names
}

/// Called with the file name on each `finished`.
type Hook = Box<dyn FnMut(&str) + Send>;

/// Every progress call, as text, with an optional hook on `finished`.
#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<String>>,
    on_finished: Mutex<Option<Hook>>,
}

impl Recorder {
    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    fn count(&self, prefix: &str) -> usize {
        self.calls()
            .iter()
            .filter(|c| c.starts_with(prefix))
            .count()
    }
}

impl Progress for Recorder {
    fn started(&self, file: &str, size: u64) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("started {file} {size}"));
    }
    fn sent(&self, file: &str, bytes: u64) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("sent {file} {bytes}"));
    }
    fn retrying(&self, file: &str, attempt: u32, reason: &str) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("retrying {file} {attempt} {reason}"));
    }
    fn finished(&self, file: &str, outcome: &Outcome) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("finished {file} {outcome:?}"));
        if let Some(hook) = self.on_finished.lock().unwrap().as_mut() {
            hook(file);
        }
    }
}

/// The index's listing of `NAME`, read with its own HTML parser and credentials.
fn listed(server: &Pypiserver) -> Vec<(String, Option<String>)> {
    let client = reqwest::blocking::Client::new();
    let page = client
        .get(format!("{}/simple/{NAME}/", server.base()))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let mut files: Vec<(String, Option<String>)> = cargo_pypi::publish::index::parse_html(&page)
        .into_iter()
        .map(|f| (f.filename, f.sha256))
        .collect();
    files.sort();
    files
}

/// The index lists exactly `artifacts`, each once with its sha256, and serves
/// each with those bytes.
fn assert_on_index(server: &Pypiserver, artifacts: &[Artifact]) {
    let mut expected: Vec<(String, Option<String>)> = artifacts
        .iter()
        .map(|a| (file_name(a), Some(sha256_of(&a.path))))
        .collect();
    expected.sort();
    assert_eq!(listed(server), expected);
    assert_eq!(server.files(), names(artifacts));
    for a in artifacts {
        assert_eq!(
            server.download_sha256(&file_name(a)),
            sha256_of(&a.path),
            "{}",
            file_name(a)
        );
    }
}

fn outcomes(result: &[(PathBuf, Outcome)]) -> Vec<Outcome> {
    result.iter().map(|(_, o)| o.clone()).collect()
}

fn assert_no_secret(error: &UploadError) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(PASSWORD), "the password leaked: {text}");
        assert!(
            !text.contains("WRONG-pass-9876"),
            "the password leaked: {text}"
        );
    }
}
