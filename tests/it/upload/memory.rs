//! Memory stays flat for a large file: measured in a child process of its own.

use super::*;
use crate::support::memory::{self, cpu_time, peak_memory};

// ------------------------------------------------------------------ memory

const BIG: u64 = 200 * 1024 * 1024;
const MAX_GROWTH: u64 = 64 * 1024 * 1024;

#[test]
fn memory_stays_flat_for_a_large_file() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let path = big_wheel(dir.path(), NAME, "3.0.0", BIG);
    // Measured in a process of its own: other tests share this one.
    let base = server.base();
    let measured = memory::run_child(
        module_path!(),
        "memory_child",
        &[
            ("UPLOAD_CHILD_FILE", path.as_os_str()),
            ("UPLOAD_CHILD_BASE", base.as_ref()),
        ],
    );
    let (before, after) = measured.before_after();
    let growth = measured.growth();
    let line = &measured.line;
    eprintln!(
        "peak memory for a {} MiB upload: {} MiB before, {} MiB after, growth {:.1} MiB ({})",
        BIG >> 20,
        before >> 20,
        after >> 20,
        growth as f64 / 1048576.0,
        line.split_whitespace()
            .skip(4)
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(line.contains("outcome=Uploaded"), "{line}");
    assert!(
        growth < MAX_GROWTH,
        "peak memory grew by {growth} bytes for a {BIG}-byte file"
    );
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(server.files(), std::slice::from_ref(&file));
    assert_eq!(
        listed(&server),
        [(file, Some(sha256_of(&path)))],
        "listed with the file's sha256"
    );
}

#[test]
#[ignore = "the child process of memory_stays_flat_for_a_large_file"]
fn memory_child() {
    let path = PathBuf::from(std::env::var_os("UPLOAD_CHILD_FILE").unwrap());
    let base = std::env::var("UPLOAD_CHILD_BASE").unwrap();
    // Built by hand: dist::read would load the whole file.
    let artifact = Artifact {
        size: std::fs::metadata(&path).unwrap().len(),
        path,
        kind: Kind::Wheel,
        name: NAME.into(),
        version: "3.0.0".into(),
        sha256: String::new(),
        pyversion: "py3".into(),
        metadata: Some(CoreMetadata::parse(&metadata(NAME, "3.0.0"))),
    };
    let before = peak_memory();
    let (cpu_before, wall) = (cpu_time(), Instant::now());
    let result = upload(&target_at(&base), &credentials(), &[artifact]).unwrap();
    let after = peak_memory();
    let cpu = cpu_time() - cpu_before;
    println!(
        "MEMORY before={before} after={after} outcome={:?} cpu={:.2}s wall={:.2}s",
        result[0].1,
        cpu.as_secs_f64(),
        wall.elapsed().as_secs_f64()
    );
}

// ------------------------------------------------------------------ reads

const READ_SIZE: u64 = 24 * 1024 * 1024;

/// Bytes this process has read so far (`rchar`: every read, from files or sockets).
fn bytes_read() -> u64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap();
    let line = io.lines().find(|l| l.starts_with("rchar:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_checked_file_is_read_once_to_upload_it_and_not_checked_again() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let path = big_wheel(dir.path(), NAME, "3.1.0", READ_SIZE);
    let size = std::fs::metadata(&path).unwrap().len();
    let base = server.base();
    let measured = memory::run_child(
        module_path!(),
        "reads_child",
        &[
            ("UPLOAD_CHILD_FILE", path.as_os_str()),
            ("UPLOAD_CHILD_BASE", base.as_ref()),
        ],
    );
    let read = |key: &str| -> u64 { measured.value(key).parse().unwrap() };
    let slack = size / 10 + 1024 * 1024;
    // The check reads it once: the file's digest, the RECORD hashes and the
    // framing together.
    assert!(read("check") <= size + slack, "{}", measured.line);
    // The upload sends it and hashes nothing again.
    assert!(read("upload") <= size + slack, "{}", measured.line);
    // A second check in the same run reuses the first one's result.
    assert!(read("again") <= slack, "{}", measured.line);
    assert!(
        measured.line.contains("outcome=Uploaded"),
        "{}",
        measured.line
    );
    assert_eq!(
        listed(&server),
        [(file_name_of(&path), Some(sha256_of(&path)))]
    );
}

fn file_name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
#[ignore = "the child process of a_checked_file_is_read_once_to_upload_it_and_not_checked_again"]
fn reads_child() {
    let path = PathBuf::from(std::env::var_os("UPLOAD_CHILD_FILE").unwrap());
    let base = std::env::var("UPLOAD_CHILD_BASE").unwrap();
    let options = cargo_pypi::dist::CheckOptions::default();
    let start = bytes_read();
    let (artifacts, _) = cargo_pypi::dist::check(std::slice::from_ref(&path), &options).unwrap();
    let checked = bytes_read();
    let result = upload(&target_at(&base), &credentials(), &artifacts).unwrap();
    let uploaded = bytes_read();
    let (again, _) = cargo_pypi::dist::check(std::slice::from_ref(&path), &options).unwrap();
    let end = bytes_read();
    assert_eq!(again[0].sha256, artifacts[0].sha256);
    println!(
        "MEMORY before=0 after=0 check={} upload={} again={} outcome={:?}",
        checked - start,
        uploaded - checked,
        end - uploaded,
        result[0].1
    );
}
