//! `cargo pypi check-dist`: one hand-made broken artifact per rule, valid
//! artifacts that must stay clean, real maturin artifacts, and twine parity.
//!
//! Optional tools (tests print a note and skip that part without them):
//! - `CARGO_PYPI_TWINE`: a twine executable; its directory's `python` renders RST too;
//! - `CARGO_PYPI_PYTHON`: a Python with readme_renderer;
//! - `CARGO_PYPI_MATURIN`: maturin, to build the fixtures (needs crates.io).
//!
//! The venv at /work/target-shared/dist-venv is used when those are unset.

#![cfg(unix)]

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

// ---------------------------------------------------------------- helpers

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

fn b64(digest: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

type Files = Vec<(String, Vec<u8>)>;

/// A wheel described by its parts; `bytes` builds a consistent archive.
#[derive(Clone)]
struct WheelSpec {
    file: String,
    dist_info: String,
    metadata: String,
    wheel: Option<String>,
    payload: Files,
    licenses: Files,
    record: Option<String>,
    unlisted: Files,
    comment: Option<String>,
}

fn wheel() -> WheelSpec {
    WheelSpec {
        file: WHEEL.into(),
        dist_info: "demo_pkg-1.2.0.dist-info".into(),
        metadata: META.into(),
        wheel: Some(WHEEL_FILE.into()),
        payload: vec![
            (
                "demo_pkg/__init__.py".into(),
                b"from .demo_pkg import *\n".to_vec(),
            ),
            (
                "demo_pkg/demo_pkg.so".into(),
                vec![0x7f, b'E', b'L', b'F', 0, 1, 2, 3],
            ),
        ],
        licenses: vec![("LICENSE".into(), b"MIT or Apache-2.0\n".to_vec())],
        record: None,
        unlisted: Vec::new(),
        comment: None,
    }
}

/// Replaces the first `from` in `text`, which must be there.
fn swap(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in {text:?}");
    text.replacen(from, to, 1)
}

/// Adds header lines after the headers of `text`.
fn add_headers(text: &str, lines: &str) -> String {
    match text.split_once("\n\n") {
        Some((head, body)) => format!("{head}\n{lines}\n\n{body}"),
        None => format!("{}\n{lines}\n", text.trim_end()),
    }
}

impl WheelSpec {
    fn meta(mut self, from: &str, to: &str) -> Self {
        self.metadata = swap(&self.metadata, from, to);
        self
    }

    fn headers(mut self, lines: &str) -> Self {
        self.metadata = add_headers(&self.metadata, lines);
        self
    }

    fn named(mut self, file: &str) -> Self {
        self.file = file.into();
        self
    }

    fn entries(&self) -> Files {
        let mut out = self.payload.clone();
        for (name, data) in &self.licenses {
            out.push((format!("{}/licenses/{name}", self.dist_info), data.clone()));
        }
        out.push((
            format!("{}/METADATA", self.dist_info),
            self.metadata.clone().into_bytes(),
        ));
        if let Some(wheel) = &self.wheel {
            out.push((
                format!("{}/WHEEL", self.dist_info),
                wheel.clone().into_bytes(),
            ));
        }
        out
    }

    fn record_text(&self) -> String {
        let mut out = String::new();
        for (name, data) in self.entries() {
            out += &format!(
                "{name},sha256={},{}\n",
                b64(&Sha256::digest(&data)),
                data.len()
            );
        }
        out + &format!("{}/RECORD,,\n", self.dist_info)
    }

    fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let record = self.record.clone().unwrap_or_else(|| self.record_text());
        let record_entry = (format!("{}/RECORD", self.dist_info), record.into_bytes());
        for (name, data) in self
            .entries()
            .iter()
            .chain([&record_entry])
            .chain(&self.unlisted)
        {
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(data).unwrap();
        }
        if let Some(comment) = &self.comment {
            zip.set_comment(comment.clone()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.file);
        std::fs::write(&path, self.bytes()).unwrap();
        path
    }
}

/// A tar entry written byte for byte, bypassing the tar crate's path checks.
#[derive(Clone)]
struct RawEntry {
    name: String,
    kind: tar::EntryType,
    link: Option<String>,
}

#[derive(Clone)]
struct SdistSpec {
    file: String,
    top: String,
    pkg_info: Option<String>,
    files: Files,
    raw: Vec<RawEntry>,
}

fn sdist() -> SdistSpec {
    SdistSpec {
        file: SDIST.into(),
        top: "demo_pkg-1.2.0".into(),
        pkg_info: Some(META.into()),
        files: vec![
            (
                "pyproject.toml".into(),
                b"[project]\nname = \"demo-pkg\"\n".to_vec(),
            ),
            (
                "Cargo.toml".into(),
                b"[package]\nname = \"demo-pkg\"\n".to_vec(),
            ),
            ("LICENSE".into(), b"MIT or Apache-2.0\n".to_vec()),
            ("src/lib.rs".into(), b"\n".to_vec()),
        ],
        raw: Vec::new(),
    }
}

impl SdistSpec {
    fn meta(mut self, from: &str, to: &str) -> Self {
        self.pkg_info = Some(swap(self.pkg_info.as_deref().unwrap(), from, to));
        self
    }

    fn raw(mut self, name: &str, kind: tar::EntryType, link: Option<&str>) -> Self {
        self.raw.push(RawEntry {
            name: name.into(),
            kind,
            link: link.map(str::to_string),
        });
        self
    }

    fn bytes(&self) -> Vec<u8> {
        let mut tar = tar::Builder::new(GzEncoder::new(Vec::new(), flate2::Compression::default()));
        let mut files: Files = self
            .files
            .iter()
            .map(|(p, d)| (format!("{}/{p}", self.top), d.clone()))
            .collect();
        if let Some(p) = &self.pkg_info {
            files.insert(
                0,
                (format!("{}/PKG-INFO", self.top), p.clone().into_bytes()),
            );
        }
        for (path, data) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            tar.append_data(&mut header, path, data.as_slice()).unwrap();
        }
        for raw in &self.raw {
            let mut header = tar::Header::new_old();
            header.as_old_mut().name[..raw.name.len()].copy_from_slice(raw.name.as_bytes());
            header.set_entry_type(raw.kind);
            if let Some(link) = &raw.link {
                header.set_link_name_literal(link).unwrap();
            }
            header.set_size(0);
            header.set_cksum();
            tar.append(&header, std::io::empty()).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap()
    }

    fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.file);
        std::fs::write(&path, self.bytes()).unwrap();
        path
    }
}

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

// ---------------------------------------------------------------- valid

#[test]
fn valid_wheel_and_sdist_are_clean() {
    assert_rules(&check_wheel(&wheel()), &[]);
    assert_rules(&check_sdist(&sdist()), &[]);
}

#[test]
fn check_reports_identity_size_and_hash_of_each_file() {
    let dir = TempDir::new().unwrap();
    let paths = vec![wheel().write(dir.path()), sdist().write(dir.path())];
    let (artifacts, diagnostics) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&diagnostics, &[]);
    let bytes = std::fs::read(&paths[0]).unwrap();
    let w = &artifacts[0];
    assert_eq!(
        (w.kind, w.name.as_str(), w.version.as_str()),
        (Kind::Wheel, "demo-pkg", "1.2.0")
    );
    assert_eq!(w.size, bytes.len() as u64);
    assert_eq!(w.sha256, format!("{:x}", Sha256::digest(&bytes)));
    assert_eq!(w.pyversion, "cp311");
    assert_eq!(artifacts[1].kind, Kind::Sdist);
    assert_eq!(artifacts[1].pyversion, "source");
    assert_eq!(
        artifacts[1]
            .metadata
            .as_ref()
            .and_then(|m| m.get("Summary"))
            .as_deref(),
        Some("A demo package")
    );
}

#[test]
fn a_missing_path_is_an_error_not_a_diagnostic() {
    let err = dist::check(&[PathBuf::from("/nonexistent/x-1.0.tar.gz")], &opts()).unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/x-1.0.tar.gz"),
        "{err}"
    );
}

#[test]
fn diagnostics_are_sorted_by_file_then_errors_first() {
    let dir = TempDir::new().unwrap();
    // The platform warning is found before the metadata error; the sdist sorts last.
    let a = with_platform("linux_armv7l")
        .meta("Version: 1.2.0\n", "Version: 1.2.0\nX-Odd: 1\n")
        .write(dir.path());
    let b = sdist().meta(BODY, "\n").write(dir.path());
    let (_, d) = dist::check(&[b, a], &opts()).unwrap();
    let order: Vec<&str> = d.iter().map(|d| d.rule).collect();
    assert_eq!(
        order,
        [
            "metadata-unknown-field",
            "wheel-platform-tag-legacy",
            "description-missing"
        ]
    );
    assert!(d[0].file.ends_with(".whl") && d[2].file.ends_with(".tar.gz"));
}

// ---------------------------------------------------------------- files

#[test]
fn file_unreadable() {
    let dir = TempDir::new().unwrap();
    for name in [WHEEL, SDIST] {
        let path = dir.path().join(name);
        std::fs::write(&path, b"this is not an archive at all").unwrap();
        assert_rules(&run(&path, &opts()), &["file-unreadable"]);
    }
    let mut truncated = sdist().bytes();
    truncated.truncate(truncated.len() / 2);
    let path = dir.path().join(SDIST);
    std::fs::write(&path, truncated).unwrap();
    assert_rules(&run(&path, &opts()), &["file-unreadable"]);
}

#[test]
fn file_format() {
    let dir = TempDir::new().unwrap();
    for name in [
        "demo_pkg-1.2.0.zip",
        "demo_pkg-1.2.0-py3.11.egg",
        "demo_pkg-1.2.0.tar.bz2",
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, wheel().bytes()).unwrap();
        assert_rules(&run(&path, &opts()), &["file-format"]);
    }
}

#[test]
fn file_too_large() {
    let dir = TempDir::new().unwrap();
    let path = wheel().write(dir.path());
    let small = CheckOptions {
        max_size: 100,
        ..opts()
    };
    let d = run(&path, &small);
    assert_rules(&d, &["file-too-large"]);
    assert!(d[0].message.contains("100 bytes"), "{}", d[0]);
}

// ---------------------------------------------------------------- wheel names

#[test]
fn wheel_filename() {
    for file in [
        "demo_pkg-1.2.0-cp311-manylinux_2_17_x86_64.whl",
        "demo_pkg-1.2.0-x1-cp311-cp311-manylinux_2_17_x86_64.whl",
    ] {
        assert_rules(&check_wheel(&wheel().named(file)), &["wheel-filename"]);
    }
}

#[test]
fn wheel_filename_with_build_tag_is_fine() {
    let w = wheel().named("demo_pkg-1.2.0-1-cp311-cp311-manylinux_2_17_x86_64.whl");
    assert_rules(&check_wheel(&w), &[]);
}

#[test]
fn wheel_filename_name() {
    let mut w = wheel().named("Demo_Pkg-1.2.0-cp311-cp311-manylinux_2_17_x86_64.whl");
    w.dist_info = "Demo_Pkg-1.2.0.dist-info".into();
    let d = check_wheel(&w);
    assert_rules(&d, &["wheel-filename-name"]);
    assert!(d[0].message.contains("\"demo_pkg\""), "{}", d[0]);
}

#[test]
fn wheel_filename_version() {
    let mut w = wheel().named("demo_pkg-1.3.0-cp311-cp311-manylinux_2_17_x86_64.whl");
    w.dist_info = "demo_pkg-1.3.0.dist-info".into();
    assert_rules(&check_wheel(&w), &["wheel-filename-version"]);
}

#[test]
fn wheel_filename_version_form() {
    let mut w = wheel()
        .named("demo_pkg-1.2.0alpha1-cp311-cp311-manylinux_2_17_x86_64.whl")
        .meta("Version: 1.2.0", "Version: 1.2.0a1");
    w.dist_info = "demo_pkg-1.2.0a1.dist-info".into();
    assert_rules(&check_wheel(&w), &["wheel-filename-version-form"]);
}

fn with_platform(plat: &str) -> WheelSpec {
    let mut w = wheel().named(&format!("demo_pkg-1.2.0-cp311-cp311-{plat}.whl"));
    w.wheel = Some(swap(WHEEL_FILE, "manylinux_2_17_x86_64", plat));
    w
}

#[test]
fn wheel_platform_tag() {
    for plat in [
        "linux_x86_64",
        "linux_aarch64",
        "freebsd_14_0_amd64",
        "macosx_11_3_arm64",
    ] {
        let d = check_wheel(&with_platform(plat));
        assert_rules(&d, &["wheel-platform-tag"]);
        if plat.starts_with("linux_") {
            assert!(
                d[0].message.contains("auditwheel repair") && d[0].message.contains("manylinux"),
                "{}",
                d[0]
            );
        }
    }
    for plat in [
        "musllinux_1_2_aarch64",
        "macosx_10_12_x86_64",
        "macosx_11_0_arm64",
        "win_amd64",
        "manylinux_2_17_x86_64.manylinux2014_x86_64",
        "ios_13_0_arm64_iphoneos",
        "android_21_arm64_v8a",
    ] {
        let mut w = with_platform(plat);
        let tags: Vec<String> = plat
            .split('.')
            .map(|p| format!("Tag: cp311-cp311-{p}"))
            .collect();
        w.wheel = Some(format!(
            "Wheel-Version: 1.0\nRoot-Is-Purelib: false\n{}\n",
            tags.join("\n")
        ));
        assert_rules(&check_wheel(&w), &[]);
    }
}

#[test]
fn wheel_platform_tag_legacy() {
    assert_rules(
        &check_wheel(&with_platform("linux_armv7l")),
        &["wheel-platform-tag-legacy"],
    );
}

// ---------------------------------------------------------------- wheel contents

/// Replaces `from` by `to` (same length) everywhere in `bytes`.
fn patch_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut n = 0;
    for i in 0..bytes.len().saturating_sub(from.len() - 1) {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + to.len()].copy_from_slice(to);
            n += 1;
        }
    }
    n
}

fn write_bytes(bytes: &[u8]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(WHEEL);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn framing_message(bytes: &[u8]) -> (Vec<Diagnostic>, String) {
    let (_dir, path) = write_bytes(bytes);
    let d = run(&path, &opts());
    let text = d
        .iter()
        .filter(|d| d.rule == "wheel-zip-framing")
        .map(|d| d.message.clone())
        .collect();
    (d, text)
}

#[test]
fn wheel_zip_framing_trailing_data_and_comment() {
    let mut bytes = wheel().bytes();
    bytes.extend_from_slice(b"trailing");
    let (d, text) = framing_message(&bytes);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("trailing"),
        "{d:#?}"
    );

    let mut w = wheel();
    w.comment = Some("hello".into());
    let (d, text) = framing_message(&w.bytes());
    assert_rules(&d, &["wheel-zip-framing"]);
    assert!(text.contains("comment"), "{text}");
}

#[test]
fn wheel_zip_framing_duplicate_names() {
    let mut w = wheel();
    w.payload.push(("demo_pkg/b.py".into(), b"x\n".to_vec()));
    w.payload.push(("demo_pkg/c.py".into(), b"x\n".to_vec()));
    w.record = Some(w.record_text());
    let mut bytes = w.bytes();
    assert_eq!(patch_all(&mut bytes, b"demo_pkg/c.py", b"demo_pkg/b.py"), 3);
    let (d, text) = framing_message(&bytes);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("duplicate"),
        "{d:#?}"
    );
}

#[test]
fn wheel_zip_framing_data_descriptor_and_prefix() {
    let bytes = wheel().bytes();
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let mut flagged = bytes.clone();
    flagged[central + 8] |= 0x08;
    let (d, text) = framing_message(&flagged);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("data descriptor"),
        "{d:#?}"
    );

    let mut prefixed = b"#!/bin/sh\n".to_vec();
    prefixed.extend_from_slice(&bytes);
    let (d, text) = framing_message(&prefixed);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("10 bytes of data before"),
        "{d:#?}"
    );
}

#[test]
fn wheel_dist_info() {
    let mut none = wheel();
    none.dist_info = "demo_pkg-1.2.0.info".into();
    assert_rules(&check_wheel(&none), &["wheel-dist-info"]);

    let mut other = wheel();
    other.dist_info = "other-1.2.0.dist-info".into();
    assert_rules(&check_wheel(&other), &["wheel-dist-info"]);

    let mut two = wheel();
    two.payload.push((
        "other-1.0.dist-info/METADATA".into(),
        b"Name: other\n".to_vec(),
    ));
    two.record = Some(two.record_text());
    assert_rules(&check_wheel(&two), &["wheel-dist-info"]);
}

#[test]
fn wheel_file_missing() {
    let mut w = wheel();
    w.wheel = None;
    let d = check_wheel(&w);
    assert_rules(&d, &["wheel-file-missing"]);
    assert!(
        d[0].message.contains("demo_pkg-1.2.0.dist-info/WHEEL"),
        "{}",
        d[0]
    );
}

#[test]
fn wheel_wheel_file() {
    for (from, to) in [
        ("Wheel-Version: 1.0", "Wheel-Version: 2.0"),
        ("Root-Is-Purelib: false\n", ""),
    ] {
        let mut w = wheel();
        w.wheel = Some(swap(WHEEL_FILE, from, to));
        assert_rules(&check_wheel(&w), &["wheel-wheel-file"]);
    }
}

#[test]
fn wheel_tags_mismatch() {
    let mut w = wheel();
    w.wheel = Some(swap(
        WHEEL_FILE,
        "cp311-cp311-manylinux_2_17_x86_64",
        "py3-none-any",
    ));
    assert_rules(&check_wheel(&w), &["wheel-tags-mismatch"]);
}

fn with_record(edit: impl Fn(&str) -> String) -> WheelSpec {
    let mut w = wheel();
    w.record = Some(edit(&w.record_text()));
    w
}

#[test]
fn wheel_record_malformed() {
    let w = with_record(|r| {
        swap(
            r,
            "demo_pkg/__init__.py,sha256=",
            "demo_pkg/__init__.py;sha256=",
        )
    });
    let d = check_wheel(&w);
    assert!(ids(&d).contains("wheel-record-malformed"), "{d:#?}");
    assert_rules(&d, &["wheel-record-malformed", "wheel-record-unlisted"]);
}

#[test]
fn wheel_record_hash() {
    let init = b"from .demo_pkg import *\n";
    let right = b64(&Sha256::digest(init));
    let wrong = b64(&Sha256::digest(b"something else"));
    let cases = [
        swap(&wheel().record_text(), &right, &wrong),
        swap(
            &wheel().record_text(),
            &format!("{right},{}", init.len()),
            &format!("{right},999"),
        ),
        swap(&wheel().record_text(), &format!("sha256={right}"), ""),
        swap(
            &wheel().record_text(),
            &format!("sha256={right}"),
            "md5=abc",
        ),
    ];
    for record in cases {
        let mut w = wheel();
        w.record = Some(record);
        assert_rules(&check_wheel(&w), &["wheel-record-hash"]);
    }
}

#[test]
fn wheel_record_algorithm() {
    let right = b64(&Sha256::digest(b"from .demo_pkg import *\n"));
    let w = with_record(|r| swap(r, &format!("sha256={right}"), "sha512=AAAA"));
    assert_rules(&check_wheel(&w), &["wheel-record-algorithm"]);
}

#[test]
fn wheel_record_unlisted() {
    let mut w = wheel();
    w.unlisted
        .push(("demo_pkg/sneaky.py".into(), b"import os\n".to_vec()));
    let d = check_wheel(&w);
    assert_rules(&d, &["wheel-record-unlisted"]);
    assert!(d[0].message.contains("demo_pkg/sneaky.py"), "{}", d[0]);
    let no_self = with_record(|r| swap(r, "demo_pkg-1.2.0.dist-info/RECORD,,\n", ""));
    assert_rules(&check_wheel(&no_self), &["wheel-record-unlisted"]);
}

#[test]
fn wheel_record_signature_files_need_no_listing() {
    let mut w = wheel();
    w.unlisted
        .push(("demo_pkg-1.2.0.dist-info/RECORD.jws".into(), b"{}".to_vec()));
    assert_rules(&check_wheel(&w), &[]);
}

#[test]
fn wheel_record_missing_file() {
    let w = with_record(|r| format!("{r}demo_pkg/ghost.py,sha256=AAAA,1\n"));
    assert_rules(&check_wheel(&w), &["wheel-record-missing-file"]);
}

// ---------------------------------------------------------------- sdists

#[test]
fn sdist_filename() {
    let mut upper = sdist();
    upper.file = "Demo-Pkg-1.2.0.tar.gz".into();
    upper.top = "Demo-Pkg-1.2.0".into();
    let d = check_sdist(&upper);
    assert_rules(&d, &["sdist-filename"]);
    assert!(
        d[0].message.contains("\"demo_pkg-1.2.0.tar.gz\""),
        "{}",
        d[0]
    );

    let mut unnormalized = sdist();
    unnormalized.file = "demo_pkg-1.2.0.0.tar.gz".into();
    unnormalized.top = "demo_pkg-1.2.0.0".into();
    assert_rules(&check_sdist(&unnormalized), &["sdist-filename"]);
}

#[test]
fn sdist_layout() {
    let d = check_sdist(&sdist().raw("setup.py", tar::EntryType::Regular, None));
    assert_rules(&d, &["sdist-layout"]);
    let other_dir = sdist().raw("other-1.0/setup.py", tar::EntryType::Regular, None);
    assert_rules(&check_sdist(&other_dir), &["sdist-layout"]);
}

#[test]
fn sdist_top_level_name() {
    let mut s = sdist();
    s.top = "demo-pkg-1.2.0".into();
    assert_rules(&check_sdist(&s), &["sdist-top-level-name"]);
}

#[test]
fn sdist_pkg_info_missing() {
    let mut s = sdist();
    s.pkg_info = None;
    assert_rules(&check_sdist(&s), &["sdist-pkg-info-missing"]);
    let nested = s.raw("demo_pkg-1.2.0/sub/PKG-INFO", tar::EntryType::Regular, None);
    assert_rules(&check_sdist(&nested), &["sdist-pkg-info-missing"]);
}

#[test]
fn sdist_unsafe_path() {
    use tar::EntryType::*;
    let cases = [
        ("demo_pkg-1.2.0/../../evil.py", Regular, None),
        ("demo_pkg-1.2.0/link", Symlink, Some("../../etc/passwd")),
        ("demo_pkg-1.2.0/abs", Symlink, Some("/etc/passwd")),
        ("demo_pkg-1.2.0/hard", Link, Some("etc/passwd")),
        ("demo_pkg-1.2.0/dev", Char, None),
    ];
    for (name, kind, link) in cases {
        let d = check_sdist(&sdist().raw(name, kind, link));
        assert_rules(&d, &["sdist-unsafe-path"]);
    }
    let fine = sdist().raw("demo_pkg-1.2.0/src/readme", Symlink, Some("../LICENSE"));
    assert_rules(&check_sdist(&fine), &[]);
    let absolute = sdist().raw("/demo_pkg-1.2.0/x", Regular, None);
    assert!(ids(&check_sdist(&absolute)).contains("sdist-unsafe-path"));
}

// ---------------------------------------------------------------- metadata

fn replace(from: &'static str, to: &'static str) -> impl Fn(&str) -> String {
    move |m| swap(m, from, to)
}

fn headers(lines: &'static str) -> impl Fn(&str) -> String {
    move |m| add_headers(m, lines)
}

#[test]
fn metadata_malformed() {
    check_meta_both(headers("this line is no header"), &["metadata-malformed"]);
    let mut latin1 = META.as_bytes().to_vec();
    latin1.extend_from_slice(b"caf\xe9\n");
    let mut s = sdist();
    s.pkg_info = None;
    s.files.push(("PKG-INFO".into(), latin1));
    let d = check_sdist(&s);
    assert_rules(&d, &["metadata-malformed"]);
    assert!(
        d[0].message
            .contains("demo_pkg-1.2.0/PKG-INFO is not UTF-8"),
        "{}",
        d[0]
    );
}

#[test]
fn metadata_version() {
    check_meta_both(
        replace("Metadata-Version: 2.4\n", ""),
        &["metadata-version"],
    );
    check_meta_both(
        replace("Metadata-Version: 2.4", "Metadata-Version: 2.0"),
        &["metadata-version"],
    );
    check_meta_both(
        replace("Metadata-Version: 2.4", "Metadata-Version: 3.0"),
        &["metadata-version"],
    );
}

#[test]
fn metadata_version_new() {
    check_meta_both(
        replace("Metadata-Version: 2.4", "Metadata-Version: 2.5"),
        &["metadata-version-new"],
    );
}

#[test]
fn metadata_unknown_field() {
    check_meta_both(headers("X-Custom: 1"), &["metadata-unknown-field"]);
}

#[test]
fn metadata_duplicate_field() {
    check_meta_both(headers("Summary: again"), &["metadata-duplicate-field"]);
    check_meta_both(
        headers("Description: also in a header"),
        &["metadata-duplicate-field"],
    );
}

#[test]
fn metadata_field_too_new() {
    let v23_without_license_file = |m: &str| {
        swap(
            &swap(m, "Metadata-Version: 2.4", "Metadata-Version: 2.3"),
            "License-File: LICENSE\n",
            "",
        )
    };
    check_meta_both(v23_without_license_file, &["metadata-field-too-new"]);
    let v21_dynamic = |m: &str| {
        let m = swap(m, "Metadata-Version: 2.4", "Metadata-Version: 2.1");
        let m = swap(
            &m,
            "License-Expression: MIT OR Apache-2.0\nLicense-File: LICENSE\n",
            "License: MIT\n",
        );
        add_headers(&m, "Dynamic: Requires-Dist")
    };
    check_meta_both(v21_dynamic, &["metadata-field-too-new"]);
    let v12_extra = |m: &str| {
        let m = swap(m, "Metadata-Version: 2.4", "Metadata-Version: 1.2");
        let m = swap(
            &m,
            "License-Expression: MIT OR Apache-2.0\nLicense-File: LICENSE\n",
            "",
        );
        swap(&m, "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM\n\n# Demo\n\nHello *world*.\n", "Description: Demo\n")
    };
    check_meta_both(
        v12_extra,
        &["metadata-field-too-new", "description-content-type-missing"],
    );
}

#[test]
fn metadata_license_file_ignored() {
    let v22 = |m: &str| {
        let m = swap(m, "Metadata-Version: 2.4", "Metadata-Version: 2.2");
        swap(
            &m,
            "License-Expression: MIT OR Apache-2.0\n",
            "License: MIT\n",
        )
    };
    check_meta_both(v22, &["metadata-license-file-ignored"]);
}

#[test]
fn name_invalid() {
    check_meta_both(
        replace("Name: demo-pkg", "Name: -demo pkg-"),
        &["name-invalid"],
    );
    check_meta_both(replace("Name: demo-pkg\n", ""), &["name-invalid"]);
}

#[test]
fn version_invalid() {
    check_meta_both(
        replace("Version: 1.2.0\n", "Version: one.two\n"),
        &["version-invalid"],
    );
}

#[test]
fn version_local() {
    let mut w = wheel()
        .named("demo_pkg-1.2.0+local-cp311-cp311-manylinux_2_17_x86_64.whl")
        .meta("Version: 1.2.0\n", "Version: 1.2.0+local\n");
    w.dist_info = "demo_pkg-1.2.0+local.dist-info".into();
    assert_rules(&check_wheel(&w), &["version-local"]);
    let mut s = sdist().meta("Version: 1.2.0\n", "Version: 1.2.0+local\n");
    s.file = "demo_pkg-1.2.0+local.tar.gz".into();
    s.top = "demo_pkg-1.2.0+local".into();
    assert_rules(&check_sdist(&s), &["version-local"]);
}

#[test]
fn requires_dist_invalid() {
    check_meta_both(
        headers("Requires-Dist: foo >>= 1"),
        &["requires-dist-invalid"],
    );
    check_meta_both(
        headers("Obsoletes-Dist: (broken"),
        &["requires-dist-invalid"],
    );
}

#[test]
fn requires_dist_url() {
    check_meta_both(
        headers("Requires-Dist: foo @ https://example.org/foo-1.0.tar.gz"),
        &["requires-dist-url"],
    );
}

#[test]
fn requires_python_invalid() {
    check_meta_both(
        replace("Requires-Python: >=3.9", "Requires-Python: >=3.x"),
        &["requires-python-invalid"],
    );
}

#[test]
fn summary_too_long() {
    let long = format!("Summary: {}", "x".repeat(513));
    let edit = move |m: &str| swap(m, "Summary: A demo package", &long);
    check_meta_both(edit, &["summary-too-long"]);
    let exact = format!("Summary: {}", "é".repeat(512));
    let edit = move |m: &str| swap(m, "Summary: A demo package", &exact);
    check_meta_both(edit, &[]);
}

#[test]
fn summary_multiline() {
    check_meta_both(
        replace("Summary: A demo package", "Summary: A demo\n  package"),
        &["summary-multiline"],
    );
}

#[test]
fn project_url() {
    for line in [
        "Project-URL: nolabel",
        "Project-URL: Docs, ftp://example.org",
        "Project-URL: Source, https://example.org/other",
        "Project-URL: , https://example.org",
    ] {
        let edit = move |m: &str| add_headers(m, line);
        check_meta_both(edit, &["project-url"]);
    }
}

#[test]
fn project_url_label() {
    let line = format!("Project-URL: {}, https://example.org/x", "L".repeat(33));
    let edit = move |m: &str| add_headers(m, &line);
    check_meta_both(edit, &["project-url-label"]);
}

#[test]
fn url_invalid() {
    check_meta_both(headers("Home-page: example.org"), &["url-invalid"]);
    check_meta_both(
        headers("Download-URL: https://exa mple.org"),
        &["url-invalid"],
    );
}

#[test]
fn email_invalid() {
    check_meta_both(
        replace("Jane Doe <jane@example.org>", "Jane Doe"),
        &["email-invalid"],
    );
    check_meta_both(
        headers("Maintainer-email: a@b.org, broken@"),
        &["email-invalid"],
    );
    check_meta_both(headers("Maintainer-email: \"Doe, J\" <j@example.org>"), &[]);
}

#[test]
fn provides_extra_invalid() {
    check_meta_both(
        headers("Provides-Extra: -bad-"),
        &["provides-extra-invalid"],
    );
}

#[test]
fn dynamic_invalid() {
    check_meta_both(headers("Dynamic: Version"), &["dynamic-invalid"]);
    check_meta_both(headers("Dynamic: Colour"), &["dynamic-invalid"]);
    check_meta_both(headers("Dynamic: Requires-Dist"), &[]);
}

#[test]
fn classifier_unknown() {
    check_meta_both(
        headers("Classifier: Programming Language :: Klingon"),
        &["classifier-unknown"],
    );
}

#[test]
fn classifier_private() {
    check_meta_both(
        headers("Classifier: Private :: Do Not Upload"),
        &["classifier-private"],
    );
}

#[test]
fn classifier_deprecated() {
    let edit = headers("Classifier: License :: OSI Approved :: Intel Open Source License");
    check_meta_both(edit, &["classifier-deprecated"]);
    assert!(dist::is_accepted_classifier("Programming Language :: Rust"));
    assert!(
        dist::classifiers_version().starts_with("20"),
        "{}",
        dist::classifiers_version()
    );
}

#[test]
fn license_conflict() {
    check_meta_both(headers("License: MIT"), &["license-conflict"]);
}

#[test]
fn license_expression_invalid() {
    for expr in ["MIT AND", "Not-A-License", "MIT WITH Foo-exception", "(MIT"] {
        let to = format!("License-Expression: {expr}");
        let edit = move |m: &str| swap(m, "License-Expression: MIT OR Apache-2.0", &to);
        check_meta_both(edit, &["license-expression-invalid"]);
    }
}

#[test]
fn license_file_invalid() {
    for path in ["../LICENSE", "/LICENSE", "LICENSE*", "docs\\LICENSE"] {
        let to = format!("License-File: {path}");
        let edit = move |m: &str| swap(m, "License-File: LICENSE", &to);
        check_meta_both(edit, &["license-file-invalid"]);
    }
}

#[test]
fn license_file_missing() {
    let mut w = wheel();
    w.licenses.clear();
    let d = check_wheel(&w);
    assert_rules(&d, &["license-file-missing"]);
    assert!(
        d[0].message
            .contains("demo_pkg-1.2.0.dist-info/licenses/LICENSE"),
        "{}",
        d[0]
    );
    let mut s = sdist();
    s.files.retain(|(p, _)| p != "LICENSE");
    assert_rules(&check_sdist(&s), &["license-file-missing"]);
}

// ---------------------------------------------------------------- descriptions

const MD_TYPE: &str = "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM\n";
const BODY: &str = "\n# Demo\n\nHello *world*.\n";
const BAD_RST: &str = "Title\n===\n\nSome ``unclosed literal.\n\n* item\n  bad indent\n   more\n";
const GOOD_RST: &str = "Demo\n====\n\nHello *world*, see `the docs <https://example.org>`_.\n";

fn rst_wheel(body: &str, content_type: Option<&str>) -> WheelSpec {
    let head = META.split_once(MD_TYPE).unwrap().0;
    let mut w = wheel();
    w.metadata = format!(
        "{head}{}\n{body}",
        content_type
            .map(|t| format!("Description-Content-Type: {t}\n"))
            .unwrap_or_default()
    );
    w
}

#[test]
fn description_missing() {
    check_meta_both(replace(BODY, "\n"), &["description-missing"]);
    check_meta_both(replace(BODY, "\nUNKNOWN\n"), &["description-missing"]);
}

#[test]
fn description_content_type_missing() {
    check_meta_both(replace(MD_TYPE, ""), &["description-content-type-missing"]);
}

#[test]
fn description_content_type_invalid() {
    for t in [
        "text/html",
        "text/plain; charset=latin-1",
        "text/markdown; variant=gfm",
    ] {
        let to = format!("Description-Content-Type: {t}\n");
        let edit = move |m: &str| swap(m, MD_TYPE, &to);
        check_meta_both(edit, &["description-content-type-invalid"]);
    }
}

#[test]
fn description_rst() {
    let dir = TempDir::new().unwrap();
    let path = rst_wheel(BAD_RST, Some("text/x-rst")).write(dir.path());
    let failing = CheckOptions {
        python: Some(fake_python(1)),
        ..CheckOptions::default()
    };
    let d = run(&path, &failing);
    assert_rules(&d, &["description-rst"]);
    assert!(d[0].message.contains("Unexpected indentation"), "{}", d[0]);
    // Markdown and plain text are never sent to the renderer.
    let md = wheel().write(dir.path());
    assert_rules(&run(&md, &failing), &[]);
}

#[test]
fn description_rst_uses_cargo_pypi_python_when_no_option_is_given() {
    let dir = TempDir::new().unwrap();
    let path = rst_wheel(BAD_RST, None).write(dir.path());
    // Only this test leaves `python` unset, so the variable reaches no other test.
    std::env::set_var(dist::PYTHON_ENV, fake_python(1));
    let d = run(&path, &CheckOptions::default());
    std::env::remove_var(dist::PYTHON_ENV);
    assert_rules(&d, &["description-rst", "description-content-type-missing"]);
}

#[test]
fn description_rst_unchecked() {
    let dir = TempDir::new().unwrap();
    let path = rst_wheel(GOOD_RST, Some("text/x-rst")).write(dir.path());
    for python in [fake_python(3), PathBuf::from("/nonexistent/python3")] {
        let options = CheckOptions {
            python: Some(python),
            ..CheckOptions::default()
        };
        let d = run(&path, &options);
        assert_rules(&d, &["description-rst-unchecked"]);
        assert!(
            d[0].message.contains("pip install readme-renderer"),
            "{}",
            d[0]
        );
    }
}

// ---------------------------------------------------------------- releases

#[test]
fn release_multiple_sdists() {
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let paths = vec![
        sdist().write(a.path()),
        sdist().write(b.path()),
        wheel().write(a.path()),
    ];
    let (_, d) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&d, &["release-multiple-sdists"]);
    assert_eq!(d.len(), 2, "{d:#?}");
}

#[test]
fn release_mixed() {
    let dir = TempDir::new().unwrap();
    let mut newer = sdist().meta("Version: 1.2.0", "Version: 1.3.0");
    newer.file = "demo_pkg-1.3.0.tar.gz".into();
    newer.top = "demo_pkg-1.3.0".into();
    let paths = vec![wheel().write(dir.path()), newer.write(dir.path())];
    let (_, d) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&d, &["release-mixed"]);
    // The same release spelled differently is one release.
    let mut spelled = sdist()
        .meta("Name: demo-pkg", "Name: Demo.Pkg")
        .meta("Version: 1.2.0", "Version: 1.2");
    spelled.file = "demo_pkg-1.2.tar.gz".into();
    spelled.top = "demo_pkg-1.2".into();
    let paths = vec![wheel().write(dir.path()), spelled.write(dir.path())];
    let (_, d) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&d, &[]);
}

#[test]
fn every_rule_has_a_test_here() {
    let source = include_str!("dist.rs");
    let missing: Vec<&str> = rules::ALL
        .iter()
        .map(|r| r.id)
        .filter(|id| {
            !source.contains(&format!("&[\"{id}\""))
                && !source.contains(&format!("\"{id}\"]"))
                && !source.contains(&format!("contains(\"{id}\")"))
        })
        .collect();
    assert!(missing.is_empty(), "rules without a test: {missing:?}");
    let unique: BTreeSet<&str> = rules::ALL.iter().map(|r| r.id).collect();
    assert_eq!(unique.len(), rules::ALL.len());
}

// ---------------------------------------------------------------- real tools

const SHARED_VENV: &str = "/work/target-shared/dist-venv/bin";

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn venv_tool(name: &str) -> Option<PathBuf> {
    let path = Path::new(SHARED_VENV).join(name);
    path.exists().then_some(path)
}

fn twine() -> Option<PathBuf> {
    env_path("CARGO_PYPI_TWINE").or_else(|| venv_tool("twine"))
}

fn has_readme_renderer(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import readme_renderer.rst"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A Python with readme_renderer: `$CARGO_PYPI_PYTHON`, the one beside twine, or the shared venv's.
fn real_python() -> Option<PathBuf> {
    let beside_twine = twine().and_then(|t| t.parent().map(|d| d.join("python")));
    [
        env_path(dist::PYTHON_ENV),
        beside_twine,
        venv_tool("python"),
    ]
    .into_iter()
    .flatten()
    .find(|p| has_readme_renderer(p))
}

fn skip(test: &str, what: &str) {
    println!("note: {test}: skipped, {what}");
}

#[test]
fn real_readme_renderer_judges_rst() {
    let Some(python) = real_python() else {
        return skip(
            "real_readme_renderer_judges_rst",
            "no Python with readme_renderer (set CARGO_PYPI_PYTHON)",
        );
    };
    let options = CheckOptions {
        python: Some(python),
        ..CheckOptions::default()
    };
    let dir = TempDir::new().unwrap();
    let bad = rst_wheel(BAD_RST, Some("text/x-rst")).write(dir.path());
    assert_rules(&run(&bad, &options), &["description-rst"]);
    let good = rst_wheel(GOOD_RST, Some("text/x-rst")).write(dir.path());
    assert_rules(&run(&good, &options), &[]);
    // Metadata 1.x style: the description in a folded header.
    let mut header = rst_wheel("", None);
    header.metadata = format!(
        "{}\nDescription: Demo\n        |====\n        |\n        |Hello *world*.\n        |\n",
        header.metadata.trim_end()
    );
    assert_rules(
        &run(&header.write(dir.path()), &options),
        &["description-content-type-missing"],
    );
    let mut broken = rst_wheel("", None);
    broken.metadata = format!(
        "{}\nDescription: Demo\n        |==\n        |\n        |Hello *world.\n",
        broken.metadata.trim_end()
    );
    assert_rules(
        &run(&broken.write(dir.path()), &options),
        &["description-rst", "description-content-type-missing"],
    );
}

/// The verdict of `twine check` on a file: true when it passes (warnings allowed).
fn twine_passes(twine: &Path, file: &Path) -> bool {
    let out = Command::new(twine)
        .arg("check")
        .arg(file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    out.status.success()
}

fn our_verdict(diagnostics: &[Diagnostic]) -> bool {
    !diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Artifacts whose verdict twine and we should share: (what, bytes, file name, passes).
fn twine_cases() -> Vec<(&'static str, Vec<u8>, &'static str, bool)> {
    let w = |spec: WheelSpec| spec.bytes();
    let rst_sdist = sdist()
        .meta(MD_TYPE, "Description-Content-Type: text/x-rst\n")
        .meta(BODY, &format!("\n{BAD_RST}"));
    vec![
        ("valid wheel", w(wheel()), WHEEL, true),
        ("valid sdist", sdist().bytes(), SDIST, true),
        (
            "markdown description",
            w(rst_wheel(BAD_RST, Some("text/markdown"))),
            WHEEL,
            true,
        ),
        (
            "valid rst",
            w(rst_wheel(GOOD_RST, Some("text/x-rst"))),
            WHEEL,
            true,
        ),
        (
            "invalid rst",
            w(rst_wheel(BAD_RST, Some("text/x-rst"))),
            WHEEL,
            false,
        ),
        (
            "invalid rst by default",
            w(rst_wheel(BAD_RST, None)),
            WHEEL,
            false,
        ),
        (
            "missing description",
            w(rst_wheel("", Some("text/markdown"))),
            WHEEL,
            true,
        ),
        (
            "invalid requirement",
            w(wheel().headers("Requires-Dist: foo >>= 1")),
            WHEEL,
            false,
        ),
        (
            "unknown field",
            w(wheel().headers("X-Custom: 1")),
            WHEEL,
            false,
        ),
        ("invalid rst sdist", rst_sdist.bytes(), SDIST, false),
    ]
}

#[test]
fn verdicts_agree_with_twine_check() {
    let (Some(twine), Some(python)) = (twine(), real_python()) else {
        return skip(
            "verdicts_agree_with_twine_check",
            "no twine (set CARGO_PYPI_TWINE)",
        );
    };
    let options = CheckOptions {
        python: Some(python),
        ..CheckOptions::default()
    };
    for (what, bytes, file, expected) in twine_cases() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join(file);
        std::fs::write(&path, bytes).unwrap();
        let twine_says = twine_passes(&twine, &path);
        let ours = our_verdict(&run(&path, &options));
        assert_eq!(
            twine_says, expected,
            "twine on {what}: the case is not what it claims"
        );
        assert_eq!(
            ours, twine_says,
            "{what}: twine says {twine_says}, we say {ours}"
        );
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Builds the sdist and the wheel of a copy of `fixtures/{fixture}` with maturin.
fn maturin_build(maturin: &Path, fixture: &str, work: &Path) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    let project = work.join(fixture);
    copy_tree(&src, &project);
    let out = work.join(format!("{fixture}-dist"));
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dist-maturin-target");
    let path = std::env::join_paths(maturin.parent().into_iter().map(Path::to_path_buf).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    for args in [&["sdist", "-o"][..], &["build", "--release", "-o"][..]] {
        let output = Command::new(maturin)
            .args(args)
            .arg(&out)
            .current_dir(&project)
            .env("CARGO_TARGET_DIR", &target)
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "maturin {args:?} failed for {fixture}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    files
}

#[test]
fn real_maturin_artifacts_are_clean() {
    let Some(maturin) = env_path("CARGO_PYPI_MATURIN").or_else(|| venv_tool("maturin")) else {
        return skip(
            "real_maturin_artifacts_are_clean",
            "no maturin (set CARGO_PYPI_MATURIN)",
        );
    };
    let python = real_python();
    let options = CheckOptions {
        python: python.clone(),
        ..CheckOptions::default()
    };
    let work = TempDir::new().unwrap();
    for fixture in ["pyo3-dynamic", "bin-bindings"] {
        let files = maturin_build(&maturin, fixture, work.path());
        let (artifacts, d) = dist::check(&files, &options).unwrap();
        for d in &d {
            check_wording(d);
        }
        // The fixtures have no readme; a linux_* wheel is PyPI's to refuse.
        let mut expected = vec!["description-missing"];
        if artifacts
            .iter()
            .any(|a| a.path.to_string_lossy().contains("-linux_"))
        {
            expected.push("wheel-platform-tag");
        }
        assert_rules(&d, &expected);
        assert!(
            artifacts.iter().all(|a| a.metadata.is_some()),
            "{artifacts:#?}"
        );
        if let Some(twine) = twine() {
            for file in &files {
                assert!(
                    twine_passes(&twine, file),
                    "twine check fails on {}",
                    file.display()
                );
            }
        }
    }
}

// ------------------------------------------------------------------ memory

const BIG: u64 = 150 * 1024 * 1024;
const MAX_GROWTH: u64 = 32 * 1024 * 1024;

/// Peak resident memory of this process (`VmHWM`), in bytes.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// Writes the valid wheel with a stored member of `size` pseudo-random bytes,
/// streamed to disk; returns its path and the file's sha256.
fn big_wheel(dir: &Path, size: u64) -> (PathBuf, String) {
    let spec = wheel();
    let path = dir.join(&spec.file);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let big = "demo_pkg/big.bin";
    zip.start_file(big, options).unwrap();
    let (mut state, mut hasher, mut left) = (0x9E37_79B9_7F4A_7C15u64, Sha256::new(), size);
    let mut chunk = vec![0u8; 1 << 20];
    while left > 0 {
        for word in chunk.chunks_exact_mut(8) {
            // xorshift64: not compressible, not all zeros.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        let n = left.min(chunk.len() as u64) as usize;
        zip.write_all(&chunk[..n]).unwrap();
        hasher.update(&chunk[..n]);
        left -= n as u64;
    }
    let mut record = format!("{big},sha256={},{size}\n", b64(&hasher.finalize()));
    record += &spec.record_text();
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let record_entry = (format!("{}/RECORD", spec.dist_info), record.into_bytes());
    for (name, data) in spec.entries().iter().chain([&record_entry]) {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    let mut file = std::fs::File::open(&path).unwrap();
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).unwrap();
    (path, format!("{:x}", hasher.finalize()))
}

#[test]
fn memory_stays_flat_for_a_large_wheel() {
    let dir = TempDir::new().unwrap();
    let (path, sha256) = big_wheel(dir.path(), BIG);
    // Measured in a process of its own: other tests share this one.
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "memory_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("DIST_CHILD_FILE", &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.find("MEMORY ").map(|at| &l[at..]))
        .unwrap_or_else(|| panic!("no MEMORY line: {stdout}"));
    let value = |key: &str| -> String {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .unwrap()
            .to_string()
    };
    let before: u64 = value("before=").parse().unwrap();
    let after: u64 = value("after=").parse().unwrap();
    let growth = after.saturating_sub(before);
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!(
        "peak memory reading a {} MiB wheel: {} MiB before, {} MiB after, growth {:.1} MiB",
        size >> 20,
        before >> 20,
        after >> 20,
        growth as f64 / 1048576.0,
    );
    assert_eq!(value("diagnostics="), "0", "{line}");
    assert_eq!(value("size="), size.to_string(), "{line}");
    assert_eq!(value("sha256="), sha256, "{line}");
    assert!(
        growth < MAX_GROWTH,
        "peak memory grew by {growth} bytes for a {size}-byte wheel"
    );
}

#[test]
#[ignore = "the child process of memory_stays_flat_for_a_large_wheel"]
fn memory_child() {
    let path = PathBuf::from(std::env::var_os("DIST_CHILD_FILE").unwrap());
    // Above the 150 MB of the file, so that the size rule stays quiet.
    let options = CheckOptions {
        max_size: 1 << 30,
        ..opts()
    };
    let before = peak_memory();
    let (artifact, diagnostics) = dist::read_with(&path, &options).unwrap();
    let after = peak_memory();
    for d in &diagnostics {
        println!("{d}");
    }
    println!(
        "MEMORY before={before} after={after} diagnostics={} size={} sha256={}",
        diagnostics.len(),
        artifact.size,
        artifact.sha256
    );
}
