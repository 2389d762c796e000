//! Wheels: the ZIP archive, its single `{name}-{version}.dist-info` directory,
//! and the METADATA, WHEEL and RECORD files in it.

use super::entry_points;
use super::filename::{expand_tag, is_absolute, normalize_name, WheelName};
use super::limits;
use super::metadata::CoreMetadata;
use super::record::{self, Member};
use super::rules::{self, Findings};
use super::zipframe;
use super::Opened;
use crate::digest::Tee;
use pep440_rs::Version;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::str::FromStr;
use zip::ZipArchive;

const FIX_REBUILD: &str = "rebuild the wheel with maturin or another current build tool";

/// Reads a wheel through `tee` (its framing straight from `file`); `parsed`
/// is its file name when that parses.
pub(crate) fn inspect(
    file: &File,
    tee: &mut Tee,
    parsed: Option<&WheelName>,
    f: &mut Findings,
) -> Option<Opened> {
    check_framing(file, f);
    let switch = tee.catch_up_switch();
    let (mut archive, names) = open_archive(BufReader::with_capacity(64 * 1024, tee), f)?;
    // The end records are read: from here on the members go forward.
    switch.set(true);
    check_paths(&names, f);
    let dist_info = find_dist_info(&names, parsed, f)?;
    let wanted =
        ["METADATA", "WHEEL", "RECORD", "entry_points.txt"].map(|n| format!("{dist_info}/{n}"));
    let (members, mut texts) = read_members(&mut archive, &wanted, f)?;
    if let Some(Some(bytes)) = texts.remove(&wanted[3]) {
        if let Some(text) = f.utf8(bytes, &wanted[3], FIX_REBUILD) {
            entry_points::check(&text, &wanted[3], f);
        }
    }
    let mut text_of = |i: usize| take_text(&mut texts, &wanted[i], f);
    let (metadata, wheel, record) = (text_of(0), text_of(1), text_of(2));
    if let Some(wheel) = wheel {
        check_wheel_file(&wheel, parsed, &wanted[1], f);
    }
    if let Some(record) = record {
        record::check(&record, &wanted[2], &members, f);
    }
    let licenses = format!("{dist_info}/licenses/");
    Some(Opened {
        metadata: metadata.map(|m| CoreMetadata::parse(&m)),
        license_files: members
            .iter()
            .filter_map(|m| m.name.strip_prefix(&licenses).map(str::to_string))
            .collect::<BTreeSet<_>>(),
        license_base: licenses,
    })
}

fn check_framing(file: &File, f: &mut Findings) {
    for p in zipframe::problems(file).into_iter().take(10) {
        f.add(
            rules::WHEEL_ZIP_FRAMING,
            None,
            format!("the ZIP archive has {p}, which PyPI refuses because ZIP readers disagree on it: {FIX_REBUILD}"),
        );
    }
}

/// Entries that would land outside the install folder, or where installers
/// disagree (a backslash is a separator on Windows only): pip refuses them.
fn check_paths(names: &[String], f: &mut Findings) {
    let unsafe_paths = names.iter().filter_map(|name| {
        let why = if is_absolute(name) {
            "is an absolute path"
        } else if name.contains('\\') {
            "has a backslash (ZIP paths use '/')"
        } else if name.split('/').any(|c| c == "..") {
            "climbs out with '..'"
        } else {
            return None;
        };
        Some((name, why))
    });
    for (name, why) in unsafe_paths.take(10) {
        f.add(
            rules::WHEEL_UNSAFE_PATH,
            None,
            format!("entry {name:?} {why}; pip refuses to install such a wheel: {FIX_REBUILD}"),
        );
    }
}

/// Opens the archive and lists its member names.
fn open_archive<R: Read + Seek>(
    reader: R,
    f: &mut Findings,
) -> Option<(ZipArchive<R>, Vec<String>)> {
    let archive = ZipArchive::new(reader).map_err(|e| format!("not a readable ZIP archive ({e})"));
    let listed = archive.and_then(|a| {
        let names: Result<Vec<String>, _> =
            a.file_names().map(|n| n.map(|n| n.into_owned())).collect();
        names
            .map(|n| (a, n))
            .map_err(|e| format!("a file name in the archive cannot be read ({e})"))
    });
    match listed {
        Ok(opened) => Some(opened),
        Err(why) => {
            f.add(
                rules::FILE_UNREADABLE,
                None,
                format!("{why}: {FIX_REBUILD}"),
            );
            None
        }
    }
}

/// Finds the one `.dist-info` directory and checks its name against the file name.
fn find_dist_info(
    names: &[String],
    parsed: Option<&WheelName>,
    f: &mut Findings,
) -> Option<String> {
    let dirs: BTreeSet<&str> = names
        .iter()
        .filter_map(|n| n.split('/').next())
        .filter(|top| top.ends_with(".dist-info"))
        .collect();
    let matching = |d: &&str| parsed.is_none_or(|p| dist_info_matches(d, p));
    let chosen = match dirs.len() {
        0 => None,
        1 => dirs.first().copied(),
        _ => {
            let list: Vec<&str> = dirs.iter().copied().collect();
            f.add(
                rules::WHEEL_DIST_INFO,
                None,
                format!("the wheel has {} .dist-info directories ({}), installers need exactly one: {FIX_REBUILD}", dirs.len(), list.join(", ")),
            );
            dirs.iter().copied().find(matching)
        }
    };
    let Some(chosen) = chosen else {
        f.add(
            rules::WHEEL_DIST_INFO,
            None,
            format!("the wheel has no {{name}}-{{version}}.dist-info directory: {FIX_REBUILD}"),
        );
        return None;
    };
    if dirs.len() == 1 && !matching(&chosen) {
        f.add(
            rules::WHEEL_DIST_INFO,
            None,
            format!("directory {chosen} does not match the project and version of the file name, and pip refuses such wheels: {FIX_REBUILD}"),
        );
    }
    Some(chosen.to_string())
}

fn dist_info_matches(dir: &str, parsed: &WheelName) -> bool {
    let stem = dir.trim_end_matches(".dist-info");
    let Some((name, version)) = stem.rsplit_once('-') else {
        return false;
    };
    let same_version = match (
        Version::from_str(version),
        Version::from_str(&parsed.version),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => version == parsed.version,
    };
    normalize_name(name) == normalize_name(&parsed.name) && same_version
}

/// The wanted members found: their bytes, or `None` when they were too
/// large to read (already reported).
type Texts = HashMap<String, Option<Vec<u8>>>;

/// Reads every file once: its size and sha256, and the contents of `wanted`.
/// A member that breaks PyPI's compression rule is not inflated at all, and
/// none is inflated past the size its header declares.
fn read_members<R: Read + std::io::Seek>(
    archive: &mut ZipArchive<R>,
    wanted: &[String],
    f: &mut Findings,
) -> Option<(Vec<Member>, Texts)> {
    let mut members = Vec::new();
    let mut texts = HashMap::new();
    for i in 0..archive.len() {
        let result = archive
            .by_index(i)
            .map_err(|e| e.to_string())
            .and_then(|mut file| {
                if file.is_dir() {
                    return Ok(None);
                }
                let name = file.name().map_err(|e| e.to_string())?.into_owned();
                let (size, packed) = (file.size(), file.compressed_size());
                if limits::is_bomb(size, packed) {
                    limits::bomb(&format!("entry {name:?}"), Some(size), packed, f);
                    let member = Member {
                        name,
                        size,
                        sha256: None,
                    };
                    return Ok(Some((member, Some(None))));
                }
                let wanted = wanted.contains(&name);
                if wanted && size > limits::MAX_TEXT {
                    limits::too_large(&name, Some(size), f);
                }
                let keep = wanted && size <= limits::MAX_TEXT;
                let read =
                    hash_member(&mut file, size, keep).map_err(|e| format!("{name}: {e}"))?;
                let text = wanted.then_some(read.1);
                Ok(Some((
                    Member {
                        name,
                        size: read.0,
                        sha256: Some(read.2),
                    },
                    text,
                )))
            });
        match result {
            Ok(None) => {}
            Ok(Some((member, text))) => {
                if let Some(text) = text {
                    texts.insert(member.name.clone(), text);
                }
                members.push(member);
            }
            Err(e) => {
                f.add(
                    rules::FILE_UNREADABLE,
                    None,
                    format!("a member cannot be read ({e}): the archive is corrupt; {FIX_REBUILD}"),
                );
                return None;
            }
        }
    }
    Some((members, texts))
}

/// Size, contents (when `keep`) and sha256 of a member that declares `declared` bytes.
fn hash_member(
    file: &mut impl Read,
    declared: u64,
    keep: bool,
) -> std::io::Result<(u64, Option<Vec<u8>>, [u8; 32])> {
    let mut hasher = Sha256::new();
    let mut kept = Vec::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    let mut file = file.take(declared.saturating_add(1));
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
        if keep {
            kept.extend_from_slice(&buf[..n]);
        }
    }
    if size > declared {
        let why = format!("it inflates past the {declared} bytes its header declares");
        return Err(std::io::Error::other(why));
    }
    Ok((size, keep.then_some(kept), hasher.finalize().into()))
}

fn take_text(texts: &mut Texts, path: &str, f: &mut Findings) -> Option<String> {
    match texts.remove(path) {
        Some(Some(bytes)) => f.utf8(bytes, path, FIX_REBUILD),
        Some(None) => None,
        None => {
            f.add(
                rules::WHEEL_FILE_MISSING,
                None,
                format!("the wheel has no {path}: {FIX_REBUILD}"),
            );
            None
        }
    }
}

/// Checks WHEEL: Wheel-Version 1.x, Root-Is-Purelib, and Tag lines against the file name.
fn check_wheel_file(text: &str, parsed: Option<&WheelName>, path: &str, f: &mut Findings) {
    let wheel = CoreMetadata::parse(text);
    match wheel.get("Wheel-Version") {
        Some(v)
            if v.split('.').next() == Some("1")
                && v.split('.').all(|p| p.parse::<u32>().is_ok()) => {}
        Some(v) => f.add(
            rules::WHEEL_WHEEL_FILE,
            Some("Wheel-Version"),
            format!(
                "in {path}: Wheel-Version {v:?} is not 1.x, which installers refuse: {FIX_REBUILD}"
            ),
        ),
        None => f.add(
            rules::WHEEL_WHEEL_FILE,
            Some("Wheel-Version"),
            format!("file {path} has no Wheel-Version: {FIX_REBUILD}"),
        ),
    }
    match wheel.get("Root-Is-Purelib").map(|v| v.to_ascii_lowercase()) {
        Some(v) if v == "true" || v == "false" => {}
        other => f.add(
            rules::WHEEL_WHEEL_FILE,
            Some("Root-Is-Purelib"),
            format!(
                "in {path}: Root-Is-Purelib is {}, not true or false: {FIX_REBUILD}",
                other.map_or("missing".to_string(), |v| format!("{v:?}"))
            ),
        ),
    }
    if let Some(parsed) = parsed {
        check_tags(&wheel, parsed, path, f);
    }
}

/// Compares the tags of WHEEL with the file name's, compressed tag sets
/// expanded on both sides.
fn check_tags(wheel: &CoreMetadata, parsed: &WheelName, path: &str, f: &mut Findings) {
    let lines = wheel.get_all("Tag");
    if let Some(compressed) = lines.iter().find(|t| t.contains('.')) {
        f.add(
            rules::WHEEL_TAGS_COMPRESSED,
            Some("Tag"),
            format!("in {path}: Tag {compressed:?} is a compressed tag set; PyPI and installers accept it, but the standard is one tag per Tag line: nothing to do, or rebuild with maturin 1.9.7 or later"),
        );
    }
    let mut listed: Vec<String> = lines.iter().flat_map(|t| expand_tag(t)).collect();
    listed.sort();
    listed.dedup();
    let expected = parsed.tags();
    if listed == expected {
        return;
    }
    let missing: Vec<&String> = expected.iter().filter(|t| !listed.contains(t)).collect();
    let extra: Vec<&String> = listed.iter().filter(|t| !expected.contains(t)).collect();
    f.add(
        rules::WHEEL_TAGS_MISMATCH,
        Some("Tag"),
        format!(
            "in {path}: the Tag lines do not match the file name (missing {missing:?}, not in the file name {extra:?}): {FIX_REBUILD}"
        ),
    );
}
