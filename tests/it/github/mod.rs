//! `cargo_pypi::github`: the GitHub release of a version (draft, assets,
//! publish), called through the library as the `release` command will,
//! against a stand-in for GitHub's REST API on 127.0.0.1 (`stand_in`), never
//! GitHub itself.

mod apply;
mod plan;
mod routes;
pub mod stand_in;

use cargo_pypi::github::{self, Plan, Planned, Request};
use cargo_pypi::report::Reporter;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A reporter that keeps every line: `Created draft release v1.2.3 (octo/demo)`.
#[derive(Default)]
pub struct Lines(Mutex<Vec<String>>);

impl Lines {
    pub fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    pub fn text(&self) -> String {
        self.all().join("\n")
    }
}

impl Reporter for Lines {
    fn status(&self, verb: &str, message: &str) {
        self.0.lock().unwrap().push(format!("{verb} {message}"));
    }
    fn warn(&self, message: &str) {
        self.0.lock().unwrap().push(format!("warning: {message}"));
    }
    fn verbose(&self, message: &str) {
        self.0.lock().unwrap().push(format!("verbose: {message}"));
    }
}

/// A wheel and an sdist of made-up bytes in `dir`.
pub fn artifacts(dir: &Path) -> Vec<PathBuf> {
    let wheel = dir.join("demo-1.2.3-cp39-abi3-manylinux_2_17_x86_64.whl");
    std::fs::write(
        &wheel,
        b"PK\x03\x04 wheel bytes, not a real zip".repeat(100),
    )
    .unwrap();
    let sdist = dir.join("demo-1.2.3.tar.gz");
    std::fs::write(&sdist, b"\x1f\x8b sdist bytes").unwrap();
    vec![wheel, sdist]
}

pub const NOTES: &str = "### Fixed\n\n- The thing that broke (#12).\n";

/// The plan for `v1.2.3` of the stand-in's repository with `assets`.
pub fn plan_for(base: &str, assets: &[PathBuf]) -> Plan {
    let vars = env(&[
        ("GITHUB_TOKEN", stand_in::TOKEN),
        ("GITHUB_REPOSITORY", stand_in::REPO),
        ("GITHUB_API_URL", base),
    ]);
    let request = Request {
        repository: None,
        remote_url: None,
        tag: "v1.2.3",
        notes: NOTES,
        prerelease: false,
        latest: true,
        assets,
        env: &vars,
    };
    match github::plan(&request).unwrap() {
        Planned::Release(plan) => *plan,
        Planned::Skip(skip) => panic!("skipped: {}", skip.reason),
    }
}

/// An environment of exactly `vars`.
pub fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}
