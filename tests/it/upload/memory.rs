//! Memory stays flat for a large file: measured in a child process of its own.

use super::*;
use crate::support;

// ------------------------------------------------------------------ memory

const BIG: u64 = 200 * 1024 * 1024;
const MAX_GROWTH: u64 = 64 * 1024 * 1024;

/// Peak resident memory of this process (`VmHWM`), in bytes.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// User and system CPU time of this process so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which may hold spaces): utime is the
    // 12th, stime the 13th, in clock ticks of 1/100 s.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|f| f.parse().unwrap())
        .collect();
    Duration::from_millis((fields[0] + fields[1]) * 10)
}

#[test]
fn memory_stays_flat_for_a_large_file() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let path = big_wheel(dir.path(), NAME, "3.0.0", BIG);
    // Measured in a process of its own: other tests share this one.
    let out = support::child_test(module_path!(), "memory_child")
        .env("UPLOAD_CHILD_FILE", &path)
        .env("UPLOAD_CHILD_BASE", server.base())
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
    let value = |key: &str| -> u64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .unwrap()
            .parse()
            .unwrap()
    };
    let (before, after) = (value("before="), value("after="));
    let growth = after.saturating_sub(before);
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
    let result = upload_all(
        &target_at(&base),
        &credentials(),
        &[artifact],
        &options(),
        &NoProgress,
    )
    .unwrap();
    let after = peak_memory();
    let cpu = cpu_time() - cpu_before;
    println!(
        "MEMORY before={before} after={after} outcome={:?} cpu={:.2}s wall={:.2}s",
        result[0].1,
        cpu.as_secs_f64(),
        wall.elapsed().as_secs_f64()
    );
}
