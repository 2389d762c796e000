//! Hand-made wheels and sdists described by their parts: each test changes
//! one part of a valid artifact to break exactly one rule.

use super::*;

pub fn b64(digest: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

pub type Files = Vec<(String, Vec<u8>)>;

/// A wheel described by its parts; `bytes` builds a consistent archive.
#[derive(Clone)]
pub struct WheelSpec {
    pub file: String,
    pub dist_info: String,
    pub metadata: String,
    pub wheel: Option<String>,
    pub payload: Files,
    pub licenses: Files,
    pub record: Option<String>,
    pub unlisted: Files,
    pub comment: Option<String>,
    /// Deflate members instead of storing them.
    pub deflate: bool,
}

pub fn wheel() -> WheelSpec {
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
        deflate: false,
    }
}

/// Replaces the first `from` in `text`, which must be there.
pub fn swap(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in {text:?}");
    text.replacen(from, to, 1)
}

/// Adds header lines after the headers of `text`.
pub fn add_headers(text: &str, lines: &str) -> String {
    match text.split_once("\n\n") {
        Some((head, body)) => format!("{head}\n{lines}\n\n{body}"),
        None => format!("{}\n{lines}\n", text.trim_end()),
    }
}

impl WheelSpec {
    pub fn meta(mut self, from: &str, to: &str) -> Self {
        self.metadata = swap(&self.metadata, from, to);
        self
    }

    pub fn headers(mut self, lines: &str) -> Self {
        self.metadata = add_headers(&self.metadata, lines);
        self
    }

    pub fn named(mut self, file: &str) -> Self {
        self.file = file.into();
        self
    }

    pub fn entries(&self) -> Files {
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

    pub fn record_text(&self) -> String {
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

    pub fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let method = if self.deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default().compression_method(method);
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

    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.file);
        std::fs::write(&path, self.bytes()).unwrap();
        path
    }
}

/// A tar entry written byte for byte, bypassing the tar crate's path checks.
#[derive(Clone)]
pub struct RawEntry {
    pub name: String,
    pub kind: tar::EntryType,
    pub link: Option<String>,
}

#[derive(Clone)]
pub struct SdistSpec {
    pub file: String,
    pub top: String,
    pub pkg_info: Option<String>,
    pub files: Files,
    pub raw: Vec<RawEntry>,
}

pub fn sdist() -> SdistSpec {
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
    pub fn meta(mut self, from: &str, to: &str) -> Self {
        self.pkg_info = Some(swap(self.pkg_info.as_deref().unwrap(), from, to));
        self
    }

    pub fn raw(mut self, name: &str, kind: tar::EntryType, link: Option<&str>) -> Self {
        self.raw.push(RawEntry {
            name: name.into(),
            kind,
            link: link.map(str::to_string),
        });
        self
    }

    pub fn bytes(&self) -> Vec<u8> {
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
            // A sparse entry needs the GNU header that describes its map.
            let mut header = if raw.kind == tar::EntryType::GNUSparse {
                let mut gnu = tar::Header::new_gnu();
                gnu.as_gnu_mut().unwrap().set_real_size(0);
                gnu
            } else {
                tar::Header::new_old()
            };
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

    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.file);
        std::fs::write(&path, self.bytes()).unwrap();
        path
    }
}

/// The valid wheel, for platform tag `plat` (file name and `WHEEL`).
pub fn with_platform(plat: &str) -> WheelSpec {
    let mut w = wheel().named(&format!("demo_pkg-1.2.0-cp311-cp311-{plat}.whl"));
    w.wheel = Some(swap(WHEEL_FILE, "manylinux_2_17_x86_64", plat));
    w
}

pub const MD_TYPE: &str = "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM\n";
pub const BODY: &str = "\n# Demo\n\nHello *world*.\n";
pub const BAD_RST: &str =
    "Title\n===\n\nSome ``unclosed literal.\n\n* item\n  bad indent\n   more\n";
pub const GOOD_RST: &str = "Demo\n====\n\nHello *world*, see `the docs <https://example.org>`_.\n";

/// A wheel whose description is `body` (reStructuredText), with `content_type`.
pub fn rst_wheel(body: &str, content_type: Option<&str>) -> WheelSpec {
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
