//! The byte-level framing of a ZIP archive, read without a ZIP library, for
//! the features PyPI refuses since 2025 because ZIP readers disagree on them:
//! data before the first entry or after the end record, gaps, duplicate names,
//! local headers that disagree with the central directory, data descriptors,
//! compression methods other than stored and deflate.

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD64_LOCATOR_SIG: u32 = 0x0706_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 2)
        .map(|s| u64::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 4)
        .map(|s| u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at + 8)?;
    Some(u64::from_le_bytes(s.try_into().ok()?))
}

/// Random access to the bytes of an archive, so that only its end records,
/// its central directory and its local headers are read, never its data.
pub(crate) trait Source {
    fn len(&self) -> u64;
    /// The `len` bytes at `offset`; `None` when they are not all there (or cannot be read).
    fn read_at(&self, offset: u64, len: u64) -> Option<Vec<u8>>;
}

impl Source for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read_at(&self, offset: u64, len: u64) -> Option<Vec<u8>> {
        let start = usize::try_from(offset).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        self.get(start..end).map(<[u8]>::to_vec)
    }
}

impl Source for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map_or(0, |m| m.len())
    }

    fn read_at(&self, offset: u64, len: u64) -> Option<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        if offset.checked_add(len)? > Source::len(self) {
            return None;
        }
        let mut buf = vec![0u8; usize::try_from(len).ok()?];
        self.read_exact_at(&mut buf, offset).ok()?;
        Some(buf)
    }
}

/// One central directory entry, as far as framing is concerned.
struct Central {
    name: Vec<u8>,
    flags: u64,
    method: u64,
    compressed: u64,
    offset: u64,
}

/// Where the end of central directory record is, and what it says.
struct End {
    /// Offset of the end record in the archive.
    at: u64,
    /// The end record and what follows it.
    record: Vec<u8>,
    /// The 56 bytes of the zip64 end record and its offset, when the end
    /// record points to one; no bytes when that record is not all there.
    zip64: Option<(u64, Option<Vec<u8>>)>,
}

/// The framing problems of an archive, each a phrase. Nothing when there is
/// no end of central directory record at all: that is not a ZIP archive.
pub(crate) fn problems<S: Source + ?Sized>(src: &S) -> Vec<String> {
    let Some(end) = find_end(src) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let comment_len = u16_at(&end.record, 20).unwrap_or(0);
    if end.at + 22 + comment_len != src.len() {
        out.push("data after the end of central directory record (trailing data)".to_string());
    }
    if comment_len > 0 {
        out.push("an archive comment".to_string());
    }
    let Some((stated, size)) = cd_location(&end) else {
        out.push("an unreadable end of central directory record".to_string());
        return out;
    };
    // The central directory ends where the end record (or its zip64 form) starts.
    let actual = end.at.saturating_sub(size);
    if !central_at(src, stated) {
        out.push(if central_at(src, actual) {
            format!(
                "{} bytes of data before the first entry",
                actual.saturating_sub(stated)
            )
        } else {
            "an unreadable central directory".to_string()
        });
        return out;
    }
    match central_directory(src, &end, stated) {
        Some(entries) => out.extend(entry_problems(src, &entries, stated)),
        None => out.push("an unreadable central directory".to_string()),
    }
    out
}

fn central_at<S: Source + ?Sized>(src: &S, at: u64) -> bool {
    usize::try_from(at).is_ok()
        && src.read_at(at, 4).as_deref().and_then(|b| u32_at(b, 0)) == Some(u64::from(CENTRAL_SIG))
}

/// Reads the last 65,557 bytes once and finds the end record in them.
fn find_end<S: Source + ?Sized>(src: &S) -> Option<End> {
    let total = src.len();
    let lowest = total.saturating_sub(22 + 65535);
    let tail = src.read_at(lowest, total - lowest)?;
    let last = tail.len().checked_sub(22)?;
    let found = (0..=last)
        .rev()
        .find(|&at| u32_at(&tail, at) == Some(u64::from(EOCD_SIG)))?;
    let at = lowest + found as u64;
    let record = tail[found..].to_vec();
    let zip64 = eocd64(src, at, &record).map(|e64| (e64, src.read_at(e64, 56)));
    Some(End { at, record, zip64 })
}

/// The zip64 end record's offset, when the end record points to one.
fn eocd64<S: Source + ?Sized>(src: &S, eocd: u64, record: &[u8]) -> Option<u64> {
    let saturated = u16_at(record, 10)? == 0xFFFF || u32_at(record, 16)? == 0xFFFF_FFFF;
    let locator = eocd.checked_sub(20)?;
    if !saturated {
        return None;
    }
    let loc = src.read_at(locator, 16)?;
    if u32_at(&loc, 0)? != u64::from(EOCD64_LOCATOR_SIG) {
        return None;
    }
    let e64 = u64_at(&loc, 8)?;
    usize::try_from(e64).ok()?;
    Some(e64)
}

/// The stated offset of the central directory and its size.
fn cd_location(end: &End) -> Option<(u64, u64)> {
    match &end.zip64 {
        Some((e64, record)) => {
            let record = record.as_deref()?;
            Some((
                u64_at(record, 48)?,
                u64_at(record, 40)?.wrapping_add(end.at.wrapping_sub(*e64)),
            ))
        }
        None => Some((u32_at(&end.record, 16)?, u32_at(&end.record, 12)?)),
    }
}

/// Reads the entries of the central directory at `offset`, read as one block
/// from there to the end of the archive.
fn central_directory<S: Source + ?Sized>(src: &S, end: &End, offset: u64) -> Option<Vec<Central>> {
    let count = match &end.zip64 {
        Some((_, record)) => u64_at(record.as_deref()?, 32)?,
        None => u16_at(&end.record, 10)?,
    };
    let block = src.read_at(offset, src.len().checked_sub(offset)?)?;
    let mut at = 0;
    let mut entries = Vec::new();
    for _ in 0..count {
        let (entry, len) = central_entry(&block, at)?;
        entries.push(entry);
        at += len;
    }
    Some(entries)
}

fn central_entry(b: &[u8], at: usize) -> Option<(Central, usize)> {
    if u32_at(b, at)? != u64::from(CENTRAL_SIG) {
        return None;
    }
    let name_len = u16_at(b, at + 28)? as usize;
    let extra_len = u16_at(b, at + 30)? as usize;
    let comment_len = u16_at(b, at + 32)? as usize;
    let name = b.get(at + 46..at + 46 + name_len)?.to_vec();
    let extra = b.get(at + 46 + name_len..at + 46 + name_len + extra_len)?;
    let mut entry = Central {
        name,
        flags: u16_at(b, at + 8)?,
        method: u16_at(b, at + 10)?,
        compressed: u32_at(b, at + 20)?,
        offset: u32_at(b, at + 42)?,
    };
    apply_zip64(&mut entry, u32_at(b, at + 24)?, extra);
    Some((entry, 46 + name_len + extra_len + comment_len))
}

/// Takes the 64-bit sizes and offset from the zip64 extra field where the
/// 32-bit ones are saturated (they appear in the order of the spec).
fn apply_zip64(entry: &mut Central, uncompressed: u64, extra: &[u8]) {
    let mut at = 0;
    while let (Some(id), Some(len)) = (u16_at(extra, at), u16_at(extra, at + 2)) {
        let data = &extra[(at + 4).min(extra.len())..(at + 4 + len as usize).min(extra.len())];
        if id == 1 {
            let mut pos = 0;
            let mut take = |v: &mut u64, saturated: bool| {
                if saturated {
                    if let Some(x) = u64_at(data, pos) {
                        *v = x;
                    }
                    pos += 8;
                }
            };
            let mut u = uncompressed;
            take(&mut u, uncompressed == 0xFFFF_FFFF);
            let c_sat = entry.compressed == 0xFFFF_FFFF;
            take(&mut entry.compressed, c_sat);
            let o_sat = entry.offset == 0xFFFF_FFFF;
            take(&mut entry.offset, o_sat);
        }
        at += 4 + len as usize;
    }
}

fn entry_problems<S: Source + ?Sized>(src: &S, entries: &[Central], cd_offset: u64) -> Vec<String> {
    let mut out = Vec::new();
    let mut names: Vec<&[u8]> = entries.iter().map(|e| e.name.as_slice()).collect();
    names.sort();
    for pair in names.windows(2).filter(|w| w[0] == w[1]) {
        out.push(format!(
            "duplicate file name {:?}",
            String::from_utf8_lossy(pair[0])
        ));
    }
    let mut order: Vec<&Central> = entries.iter().collect();
    order.sort_by_key(|e| e.offset);
    let mut expected = 0u64;
    for e in order {
        let name = String::from_utf8_lossy(&e.name);
        if e.offset != expected {
            out.push(format!("unexpected data before the entry {name:?}"));
        }
        if e.flags & 0x8 != 0 {
            out.push(format!("a data descriptor after {name:?}"));
        }
        if e.method != 0 && e.method != 8 {
            out.push(format!(
                "compression method {} for {name:?} (only stored and deflate are accepted)",
                e.method
            ));
        }
        match local_entry_end(src, e) {
            Ok(end) => expected = end,
            Err(why) => {
                out.push(format!("{why} for {name:?}"));
                return out;
            }
        }
    }
    if expected != cd_offset {
        out.push("unexpected data before the central directory".to_string());
    }
    out
}

/// Checks the local header of `e` and returns where its data ends.
fn local_entry_end<S: Source + ?Sized>(src: &S, e: &Central) -> Result<u64, &'static str> {
    let at = usize::try_from(e.offset).map_err(|_| "an offset out of range")? as u64;
    // The 30-byte header, or as much of it as the archive holds.
    let header = src
        .read_at(at, src.len().saturating_sub(at).min(30))
        .unwrap_or_default();
    if u32_at(&header, 0) != Some(u64::from(LOCAL_SIG)) {
        return Err("no local header where the central directory points");
    }
    let name_len = u16_at(&header, 26).ok_or("a truncated local header")?;
    let extra_len = u16_at(&header, 28).ok_or("a truncated local header")?;
    if src.read_at(at + 30, name_len).as_deref() != Some(e.name.as_slice()) {
        return Err("a local header name that differs from the central directory");
    }
    Ok((at + 30 + name_len + extra_len).wrapping_add(e.compressed))
}
