//! `cargo pypi check-dist`: one hand-made broken artifact per rule, valid
//! artifacts that must stay clean, real maturin artifacts, and twine parity.
//!
//! Optional tools (tests print a note and skip that part without them):
//! - `CARGO_PYPI_TWINE`: a twine executable; its directory's `python` renders RST too;
//! - `CARGO_PYPI_PYTHON`: a Python with readme_renderer;
//! - `CARGO_PYPI_MATURIN`: maturin, to build the fixtures (needs crates.io).
//!
//! The test venv (`CARGO_PYPI_TEST_VENV`) is used when those are unset.

mod corpus;
mod description;
mod files;
mod hostile;
mod memory;
mod metadata;
mod spec;
mod tools;
mod wheel;

use cargo_pypi::dist::{self, rules, CheckOptions, Diagnostic, Kind, Severity};
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tempfile::TempDir;
use zip::write::SimpleFileOptions;

use spec::*;

const WHEEL: &str = "demo_pkg-1.2.0-cp311-cp311-manylinux_2_17_x86_64.whl";
const SDIST: &str = "demo_pkg-1.2.0.tar.gz";
const META: &str = "Metadata-Version: 2.4
Name: demo-pkg
Version: 1.2.0
Summary: A demo package
Author-email: Jane Doe <jane@example.org>
License-Expression: MIT OR Apache-2.0
License-File: LICENSE
Classifier: Programming Language :: Rust
Classifier: Operating System :: POSIX :: Linux
Requires-Dist: numpy>=1.24
Requires-Dist: rich ; extra == 'cli'
Provides-Extra: cli
Requires-Python: >=3.9
Project-URL: Source, https://example.org/demo
Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM

# Demo

Hello *world*.
";
const WHEEL_FILE: &str = "Wheel-Version: 1.0
Generator: hand (1.0)
Root-Is-Purelib: false
Tag: cp311-cp311-manylinux_2_17_x86_64
";

/// Shell scripts standing in for Python: they ignore `-c ...` and answer
/// like the render script would.
fn fake_python(exit: i32) -> PathBuf {
    static DIR: OnceLock<TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| TempDir::new().unwrap());
    let path = dir.path().join(format!("python-{exit}"));
    if !path.exists() {
        let script = format!("#!/bin/sh\ncat >/dev/null\necho '<string>:3: (ERROR/3) Unexpected indentation.'\nexit {exit}\n");
        let tmp = dir
            .path()
            .join(format!("python-{exit}.tmp{}", std::process::id()));
        std::fs::write(&tmp, script).unwrap();
        std::fs::set_permissions(&tmp, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// Options whose reStructuredText always renders (no real Python needed).
fn opts() -> CheckOptions {
    CheckOptions {
        python: Some(fake_python(0)),
        ..CheckOptions::default()
    }
}

fn run(path: &Path, options: &CheckOptions) -> Vec<Diagnostic> {
    let (_, diagnostics) = dist::read_with(path, options).unwrap();
    for d in &diagnostics {
        check_wording(d);
    }
    diagnostics
}

/// Messages start lower-case and say what to do.
fn check_wording(d: &Diagnostic) {
    let first = d.message.chars().next().unwrap();
    assert!(!first.is_uppercase(), "message starts upper-case: {d}");
    assert!(
        d.message.contains(':') || d.message.contains(';'),
        "message gives no fix: {d}"
    );
    assert_eq!(
        rules::by_id(d.rule).map(|r| r.severity),
        Some(d.severity),
        "{d}"
    );
}

fn ids(diagnostics: &[Diagnostic]) -> BTreeSet<&'static str> {
    diagnostics.iter().map(|d| d.rule).collect()
}

#[track_caller]
fn assert_rules(diagnostics: &[Diagnostic], expected: &[&str]) {
    let want: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(ids(diagnostics), want, "{diagnostics:#?}");
}

fn check_wheel(spec: &WheelSpec) -> Vec<Diagnostic> {
    let dir = TempDir::new().unwrap();
    run(&spec.write(dir.path()), &opts())
}

fn check_sdist(spec: &SdistSpec) -> Vec<Diagnostic> {
    let dir = TempDir::new().unwrap();
    run(&spec.write(dir.path()), &opts())
}

fn check_meta_both(edit: impl Fn(&str) -> String, expected: &[&str]) {
    let mut w = wheel();
    w.metadata = edit(&w.metadata);
    assert_rules(&check_wheel(&w), expected);
    let mut s = sdist();
    s.pkg_info = Some(edit(s.pkg_info.as_deref().unwrap()));
    assert_rules(&check_sdist(&s), expected);
}

fn replace(from: &'static str, to: &'static str) -> impl Fn(&str) -> String {
    move |m| swap(m, from, to)
}

fn headers(lines: &'static str) -> impl Fn(&str) -> String {
    move |m| add_headers(m, lines)
}
