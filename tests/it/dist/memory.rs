//! Memory stays flat while checking a large wheel: measured in a child process.

use super::*;
use crate::support::memory::{self, peak_memory};

// ------------------------------------------------------------------ memory

const BIG: u64 = 150 * 1024 * 1024;
const MAX_GROWTH: u64 = 32 * 1024 * 1024;

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
    let measured = memory::run_child(
        module_path!(),
        "memory_child",
        &[("DIST_CHILD_FILE", path.as_os_str())],
    );
    let (before, after) = measured.before_after();
    let growth = measured.growth();
    let value = |key: &str| measured.value(key).to_string();
    let line = &measured.line;
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!(
        "peak memory reading a {} MiB wheel: {} MiB before, {} MiB after, growth {:.1} MiB",
        size >> 20,
        before >> 20,
        after >> 20,
        growth as f64 / 1048576.0,
    );
    assert_eq!(value("diagnostics"), "0", "{line}");
    assert_eq!(value("size"), size.to_string(), "{line}");
    assert_eq!(value("sha256"), sha256, "{line}");
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
