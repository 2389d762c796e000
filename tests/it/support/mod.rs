//! Shared test helpers: [`TestContext`] (a fixture copy and the real binary run
//! in a hermetic environment), the process-wide environment ([`env`]), real git
//! repositories, golden files, transcripts for insta snapshots, and the
//! harness for a real package index ([`index`]) and a stand-in Sigstore
//! instance ([`sigstore`]).

mod context;
pub mod env;
mod git;
mod golden;
pub mod http;
pub mod index;
pub mod memory;
pub mod sigstore;
mod transcript;

pub use context::{venv_bin, OutputExt, TestContext, BIN};
pub use git::{git, git_command, git_init};
pub use golden::assert_golden;
pub(crate) use transcript::assert_transcript;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixed date for changelog headings: 2026-11-21.
pub const EPOCH: &str = "1795219200";

/// The real-artifact corpus downloaded by `scripts/corpus.sh`:
/// `$CARGO_PYPI_CORPUS`, else `target/corpus`.
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("CARGO_PYPI_CORPUS")
        .filter(|v| !v.is_empty())
        .map_or_else(|| root().join("target/corpus"), PathBuf::from)
}

/// The repository root (where Cargo.toml, fixtures/ and README.md are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/<name>` in the repository (never written to: copy it first).
pub fn fixture_dir(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` (relative path -> bytes), skipping `.git`.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    collect(dir, dir, &mut out);
    out
}

fn collect(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".git" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            collect(base, &entry.path(), out);
        } else {
            let rel = entry.path().strip_prefix(base).unwrap().to_path_buf();
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
}

/// The name libtest gives the test `name` in `module` (a `module_path!()`):
/// the module path without this crate's name, e.g. `git::signing::NAME`.
pub fn test_name(module: &str, name: &str) -> String {
    match module.split_once("::") {
        Some((_crate, path)) => format!("{path}::{name}"),
        None => name.to_owned(),
    }
}

/// This test binary, asked to run exactly the test `name` of `module` (a
/// `module_path!()`), ignored or not, in a process of its own: for tests that
/// need an environment or a measurement other tests must not share.
pub fn child_test(module: &str, name: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.arg(test_name(module, name)).args([
        "--exact",
        "--include-ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    cmd
}

/// Runs a [`child_test`] and asserts that it ran one test and that it passed
/// (a renamed test would otherwise run nothing and pass); returns its output.
pub fn run_child_test(mut child: Command) -> String {
    let out = child.output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child test failed:\n{report}");
    assert!(
        report.contains("1 passed"),
        "the child ran no test:\n{report}"
    );
    report.into_owned()
}
