//! Small real wheels and sdists that `dist::read` accepts, and a large wheel
//! written in chunks.

use cargo_pypi::dist::{self, Artifact, Severity};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_of(path: &Path) -> String {
    let mut file = std::fs::File::open(path).unwrap();
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).unwrap();
    hex(&hasher.finalize())
}

fn b64(digest: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// Core metadata with the fields an upload must carry.
pub fn metadata(name: &str, version: &str) -> String {
    format!(
        "Metadata-Version: 2.4
Name: {name}
Version: {version}
Summary: A package for upload tests
Keywords: upload,test
Author-email: Jane Doe <jane@example.org>
Maintainer: John Roe
License-Expression: MIT OR Apache-2.0
License-File: LICENSE
Classifier: Programming Language :: Rust
Classifier: Programming Language :: Python :: 3
Requires-Dist: numpy>=1.24
Requires-Dist: rich ; extra == 'cli'
Provides-Extra: cli
Requires-Python: >=3.9
Project-URL: Source, https://example.org/demo
Project-URL: Issues, https://example.org/demo/issues
Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM

# {name}

Uploaded by the tests.
"
    )
}

pub fn dist_name(name: &str) -> String {
    name.replace('-', "_")
}

/// A wheel `{name}-{version}-{tag}.whl` with `module` as its `__init__.py`
/// and `extra` bytes in a data file (to vary its content).
pub fn wheel(
    dir: &Path,
    name: &str,
    version: &str,
    tag: &str,
    module: &str,
    extra: &[u8],
) -> PathBuf {
    let pkg = dist_name(name);
    let dist_info = format!("{pkg}-{version}.dist-info");
    let purelib = tag.ends_with("-none-any");
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (format!("{pkg}/__init__.py"), module.as_bytes().to_vec()),
        (format!("{pkg}/data.bin"), extra.to_vec()),
        (format!("{dist_info}/licenses/LICENSE"), b"MIT OR Apache-2.0\n".to_vec()),
        (format!("{dist_info}/METADATA"), metadata(name, version).into_bytes()),
        (
            format!("{dist_info}/WHEEL"),
            format!("Wheel-Version: 1.0\nGenerator: cargo-pypi-tests (1.0)\nRoot-Is-Purelib: {purelib}\nTag: {tag}\n").into_bytes(),
        ),
    ];
    let mut record = String::new();
    for (path, data) in &files {
        record += &format!(
            "{path},sha256={},{}\n",
            b64(&Sha256::digest(data)),
            data.len()
        );
    }
    record += &format!("{dist_info}/RECORD,,\n");
    files.push((format!("{dist_info}/RECORD"), record.into_bytes()));
    let path = dir.join(format!("{pkg}-{version}-{tag}.whl"));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(&data).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// An sdist `{name}-{version}.tar.gz` with PKG-INFO; `extra` varies its content.
pub fn sdist(dir: &Path, name: &str, version: &str, extra: &str) -> PathBuf {
    let top = format!("{}-{version}", dist_name(name));
    let files = [
        ("PKG-INFO".to_string(), metadata(name, version)),
        (
            "pyproject.toml".to_string(),
            format!("[project]\nname = \"{name}\"\nversion = \"{version}\"\n"),
        ),
        ("LICENSE".to_string(), "MIT OR Apache-2.0\n".to_string()),
        ("src/lib.rs".to_string(), format!("// {extra}\n")),
    ];
    let path = dir.join(format!("{top}.tar.gz"));
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    let mut tar = tar::Builder::new(gz);
    for (file, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(1_700_000_000);
        tar.append_data(&mut header, format!("{top}/{file}"), text.as_bytes())
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
    path
}

/// A wheel of about `size` bytes: a stored member of zeros written in chunks.
pub fn big_wheel(dir: &Path, name: &str, version: &str, size: u64) -> PathBuf {
    let pkg = dist_name(name);
    let dist_info = format!("{pkg}-{version}.dist-info");
    let tag = "py3-none-any";
    let path = dir.join(format!("{pkg}-{version}-{tag}.whl"));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(size >= 0xFFFF_FFFF);
    let mut record = String::new();
    let chunk = vec![0u8; 1024 * 1024];
    let blob = format!("{pkg}/blob.bin");
    zip.start_file(blob.as_str(), stored).unwrap();
    let mut hasher = Sha256::new();
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        zip.write_all(&chunk[..n]).unwrap();
        hasher.update(&chunk[..n]);
        left -= n as u64;
    }
    record += &format!("{blob},sha256={},{size}\n", b64(&hasher.finalize()));
    let small = [
        (format!("{dist_info}/licenses/LICENSE"), "MIT OR Apache-2.0\n".to_string()),
        (format!("{dist_info}/METADATA"), metadata(name, version)),
        (
            format!("{dist_info}/WHEEL"),
            format!("Wheel-Version: 1.0\nGenerator: cargo-pypi-tests (1.0)\nRoot-Is-Purelib: true\nTag: {tag}\n"),
        ),
    ];
    for (file, text) in &small {
        zip.start_file(file.as_str(), stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
        record += &format!(
            "{file},sha256={},{}\n",
            b64(&Sha256::digest(text)),
            text.len()
        );
    }
    record += &format!("{dist_info}/RECORD,,\n");
    zip.start_file(format!("{dist_info}/RECORD"), stored)
        .unwrap();
    zip.write_all(record.as_bytes()).unwrap();
    zip.finish().unwrap();
    path
}

/// `dist::read`, which must find no error in the file.
pub fn read(path: &Path) -> Artifact {
    let (artifact, diagnostics) = dist::read(path).unwrap();
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    artifact
}
