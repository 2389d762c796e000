//! Source distributions (`.tar.gz`): gzip and tar readability, the single
//! `{name}-{version}` top-level directory with PKG-INFO in it, and entries
//! that would escape the directory when unpacked.

use super::filename::is_absolute;
use super::limits;
use super::metadata::CoreMetadata;
use super::rules::{self, Findings};
use super::Opened;
use flate2::read::GzDecoder;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::io::Read;
use tar::EntryType;

const FIX_REBUILD: &str = "rebuild it with `maturin sdist` or `python -m build --sdist`";

/// One tar entry as far as the checks are concerned.
struct Item {
    path: String,
    kind: EntryType,
    link: Option<String>,
    /// A sparse file: GNU's sparse type, or pax's `GNU.sparse.*` records.
    sparse: bool,
}

/// Reads an sdist of `size` bytes; `stem` is the file name without `.tar.gz`.
pub(crate) fn inspect(
    reader: impl Read,
    size: u64,
    stem: &str,
    f: &mut Findings,
) -> Option<Opened> {
    let exceeded = Cell::new(false);
    let capped = Capped {
        inner: GzDecoder::new(reader),
        left: limits::inflate_limit(size),
        exceeded: &exceeded,
    };
    let (items, pkg_infos) = match read_items(capped) {
        Ok(read) => read,
        Err(_) if exceeded.get() => {
            limits::bomb("the tar archive", None, size, f);
            return None;
        }
        Err(e) => {
            f.add(
                rules::FILE_UNREADABLE,
                None,
                format!("not a readable gzip-compressed tar archive ({e}): {FIX_REBUILD}"),
            );
            return None;
        }
    };
    check_paths(&items, f);
    check_types(&items, f);
    let top = top_level(&items, stem, f)?;
    let pkg_info = format!("{top}/PKG-INFO");
    let metadata = match pkg_infos.into_iter().find(|(p, _)| *p == pkg_info) {
        Some((_, Some(text))) => parse_pkg_info(text, &pkg_info, f),
        Some((_, None)) => {
            limits::too_large(&pkg_info, None, f);
            None
        }
        None => {
            f.add(
                rules::SDIST_PKG_INFO_MISSING,
                None,
                format!(
                    "there is no {pkg_info} (a regular file), which PyPI requires: {FIX_REBUILD}"
                ),
            );
            None
        }
    };
    let prefix = format!("{top}/");
    Some(Opened {
        metadata,
        license_files: items
            .iter()
            .filter(|i| i.kind.is_file())
            .filter_map(|i| i.path.strip_prefix(&prefix).map(str::to_string))
            .collect(),
        license_base: prefix,
    })
}

fn check_paths(items: &[Item], f: &mut Findings) {
    for item in items {
        if let Some(why) = unsafe_reason(item) {
            f.add(
                rules::SDIST_UNSAFE_PATH,
                None,
                format!(
                    "entry {:?} {why}; installers refuse to unpack it: {FIX_REBUILD}",
                    item.path
                ),
            );
        }
    }
}

/// PyPI takes regular files, directories and links only, and no sparse
/// files (unpackers disagree on them).
fn check_types(items: &[Item], f: &mut Findings) {
    let odd = items.iter().filter_map(|item| {
        let why = match item.kind {
            _ if item.sparse => "is a sparse file".to_string(),
            EntryType::Regular
            | EntryType::Continuous
            | EntryType::Directory
            | EntryType::Symlink
            | EntryType::Link => return None,
            // Reported as unsafe paths.
            EntryType::Char | EntryType::Block | EntryType::Fifo => return None,
            other => format!("has tar entry type {:?}", other.as_byte() as char),
        };
        Some((item, why))
    });
    for (item, why) in odd.take(10) {
        f.add(
            rules::SDIST_MEMBER_TYPE,
            None,
            format!("entry {:?} {why}, which PyPI refuses (regular files, directories and links only): {FIX_REBUILD}", item.path),
        );
    }
}

fn parse_pkg_info(bytes: Vec<u8>, path: &str, f: &mut Findings) -> Option<CoreMetadata> {
    f.utf8(bytes, path, FIX_REBUILD)
        .map(|text| CoreMetadata::parse(&text))
}

/// Each `*/PKG-INFO` one level deep, with its contents (`None`: over the limit).
type PkgInfos = Vec<(String, Option<Vec<u8>>)>;

/// The inflated tar stream: fails, and sets `exceeded`, past `left` bytes
/// (the tar reader wraps errors, so a flag says why it stopped).
struct Capped<'a, R> {
    inner: R,
    left: u64,
    exceeded: &'a Cell<bool>,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => self.left = left,
            None => {
                self.exceeded.set(true);
                return Err(std::io::Error::other(
                    "inflates past PyPI's compression limit",
                ));
            }
        }
        Ok(n)
    }
}

/// Lists the entries, keeping the contents of every `*/PKG-INFO` one level deep.
fn read_items(reader: impl Read) -> std::io::Result<(Vec<Item>, PkgInfos)> {
    let mut archive = tar::Archive::new(reader);
    let mut items = Vec::new();
    let mut pkg_infos = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            EntryType::XGlobalHeader
                | EntryType::XHeader
                | EntryType::GNULongName
                | EntryType::GNULongLink
        ) {
            continue;
        }
        let path = clean(&String::from_utf8_lossy(&entry.path_bytes()));
        let link = entry
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned());
        let sparse = kind == EntryType::GNUSparse || has_sparse_records(&mut entry)?;
        if kind.is_file() && path.split('/').count() == 2 && path.ends_with("/PKG-INFO") {
            let mut text = Vec::new();
            (&mut entry)
                .take(limits::MAX_TEXT + 1)
                .read_to_end(&mut text)?;
            let fits = text.len() as u64 <= limits::MAX_TEXT;
            pkg_infos.push((path.clone(), fits.then_some(text)));
        }
        items.push(Item {
            path,
            kind,
            link,
            sparse,
        });
    }
    // Reading on to the end validates the whole gzip stream, as PyPI does.
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink())?;
    Ok((items, pkg_infos))
}

/// Whether the entry's pax records describe a sparse file (`GNU.sparse.*`).
fn has_sparse_records<R: Read>(entry: &mut tar::Entry<R>) -> std::io::Result<bool> {
    let Some(records) = entry.pax_extensions()? else {
        return Ok(false);
    };
    for record in records {
        if record?.key_bytes().starts_with(b"GNU.sparse.") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Drops a leading `./` and a trailing `/`.
fn clean(path: &str) -> String {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.trim_end_matches('/').to_string()
}

fn unsafe_reason(item: &Item) -> Option<&'static str> {
    if is_absolute(&item.path) {
        return Some("has an absolute path");
    }
    if item.path.split(['/', '\\']).any(|c| c == "..") {
        return Some("climbs out with '..'");
    }
    match item.kind {
        EntryType::Char | EntryType::Block | EntryType::Fifo => Some("is a device or pipe"),
        EntryType::Symlink | EntryType::Link => {
            let link = item.link.as_deref().unwrap_or("");
            let base = if item.kind == EntryType::Symlink {
                parent(&item.path)
            } else {
                ""
            };
            let top = item.path.split('/').next().unwrap_or("");
            (!stays_inside(top, base, link)).then_some("is a link that points outside the sdist")
        }
        _ => None,
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Whether `target`, resolved from directory `base`, stays under the
/// top-level directory `top`.
fn stays_inside(top: &str, base: &str, target: &str) -> bool {
    if target.is_empty() || is_absolute(target) {
        return false;
    }
    let mut parts: Vec<&str> = base
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    for c in target.split('/').filter(|c| !c.is_empty() && *c != ".") {
        if c == ".." {
            if parts.pop().is_none() {
                return false;
            }
        } else {
            parts.push(c);
        }
    }
    parts.first() == Some(&top)
}

/// Checks that there is exactly one top-level directory and returns its name.
fn top_level(items: &[Item], stem: &str, f: &mut Findings) -> Option<String> {
    let tops: BTreeSet<&str> = items
        .iter()
        .filter_map(|i| i.path.split('/').next())
        .filter(|t| !t.is_empty())
        .collect();
    let loose = items
        .iter()
        .any(|i| !i.path.contains('/') && !i.kind.is_dir());
    if tops.len() != 1 || loose {
        let shown: Vec<&str> = tops.iter().take(5).copied().collect();
        f.add(
            rules::SDIST_LAYOUT,
            None,
            format!("the archive must hold exactly one top-level directory {stem:?} with everything inside it, but its top level has {}: {FIX_REBUILD}", shown.join(", ")),
        );
        return tops.contains(stem).then(|| stem.to_string());
    }
    let top = tops.first().copied().unwrap_or_default();
    if top != stem {
        f.add(
            rules::SDIST_TOP_LEVEL_NAME,
            None,
            format!("the top-level directory is {top:?}, the sdist format wants it named like the file, {stem:?}: {FIX_REBUILD}"),
        );
    }
    Some(top.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert!(stays_inside("p-1", "p-1/src", "../README"));
        assert!(!stays_inside("p-1", "p-1", "../../etc/passwd"));
        assert!(!stays_inside("p-1", "p-1", ".."));
        assert!(!stays_inside("p-1", "p-1", "/etc"));
        assert!(!stays_inside("p-1", "p-1/src", "../../q-1/x"));
        assert!(stays_inside("p-1", "", "p-1/README"));
        assert!(!stays_inside("p-1", "", "other"));
    }
}
