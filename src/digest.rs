//! File digests, each computed in a single read with a fixed buffer: the
//! sha256 that builds, checks, uploads and indexes compare; other digests an
//! index may list; and [`Tee`], which hashes a file while something else
//! reads it (the check of an archive), so that it is read once.

use crate::display::hex;
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::rc::Rc;

/// The lower-case hex sha256 and the size of what was read: what an upload
/// carries (PyPI takes any one of md5, sha256 and blake2b-256 and computes
/// the others itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    pub sha256: String,
    pub size: u64,
}

const BUFFER: usize = 256 * 1024;

/// Reads `reader` to its end once.
pub fn digest(reader: impl Read) -> io::Result<Digests> {
    let (size, sha256) = sha256(reader)?;
    Ok(Digests { sha256, size })
}

/// The size and lower-case hex sha256 of what `reader` holds.
pub fn sha256(reader: impl Read) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let size = read_all(reader, |chunk| hasher.update(chunk))?;
    Ok((size, hex(&hasher.finalize())))
}

/// The size and sha256 of an open file, read from its start with positioned
/// reads: the handle's cursor, which others may share, does not move.
pub fn sha256_at(file: &File) -> io::Result<(u64, String)> {
    sha256(ReadAt { file, pos: 0 })
}

/// The lower-case hex digest named `algorithm` as a simple index names it
/// (`md5`, `sha224`, `sha256`, `sha384`, `sha512`) of what `reader` holds;
/// `None` for a name this tool does not compute.
pub fn named(algorithm: &str, reader: impl Read) -> Option<io::Result<String>> {
    fn with<D: Digest>(reader: impl Read) -> io::Result<String> {
        let mut hasher = D::new();
        read_all(reader, |chunk| hasher.update(chunk))?;
        Ok(hex(&hasher.finalize()))
    }
    Some(match algorithm {
        "md5" => with::<md5::Md5>(reader),
        "sha224" => with::<sha2::Sha224>(reader),
        "sha256" => with::<Sha256>(reader),
        "sha384" => with::<sha2::Sha384>(reader),
        "sha512" => with::<sha2::Sha512>(reader),
        _ => return None,
    })
}

/// Feeds every chunk of `reader` to `update`; returns the byte count.
fn read_all(mut reader: impl Read, mut update: impl FnMut(&[u8])) -> io::Result<u64> {
    let mut buf = vec![0u8; BUFFER];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(size),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        update(&buf[..n]);
        size += n as u64;
    }
}

/// A file read (and sought) through positioned reads, whose bytes are
/// hashed once each, in order, as the reading moves forward: a reader that
/// goes through a file mostly from start to end (an archive's members, a
/// gzip stream) gets the file's digest without a read of its own. Bytes
/// read out of order are not hashed twice; once [`Tee::catch_up`] is on, a
/// jump forward first reads (and hashes) what it skips, and [`Tee::finish`]
/// reads what nobody read. The handle's own cursor does not move.
pub struct Tee<'a> {
    file: &'a File,
    pos: u64,
    /// Bytes hashed so far: the file's first `hashed` bytes.
    hashed: u64,
    /// Shared with whoever knows when the end records have been read.
    catch_up: Rc<Cell<bool>>,
    sha256: Sha256,
}

impl<'a> Tee<'a> {
    pub fn new(file: &'a File) -> Tee<'a> {
        Tee {
            file,
            pos: 0,
            hashed: 0,
            catch_up: Rc::new(Cell::new(false)),
            sha256: Sha256::new(),
        }
    }

    /// A switch: once on, a read past the hashed part first hashes the gap
    /// (turn it on when the reader is done with the end records it reads
    /// first, which may hold the tee by then).
    pub fn catch_up_switch(&self) -> Rc<Cell<bool>> {
        self.catch_up.clone()
    }

    /// Hashes the bytes of `buf` (read at `at`) that extend the hashed part.
    fn absorb(&mut self, at: u64, buf: &[u8]) {
        let end = at + buf.len() as u64;
        if at <= self.hashed && self.hashed < end {
            let from = usize::try_from(self.hashed - at).expect("within the buffer");
            self.sha256.update(&buf[from..]);
            self.hashed = end;
        }
    }

    /// Reads and hashes the file from the hashed part up to `to` (or its end).
    fn fill(&mut self, to: u64) -> io::Result<()> {
        // Most gaps are a few bytes (a data descriptor): no large buffer for them.
        let gap = to.saturating_sub(self.hashed);
        let mut buf = vec![0u8; usize::try_from(gap).map_or(BUFFER, |g| g.min(BUFFER))];
        while self.hashed < to {
            let want = usize::try_from(to - self.hashed).map_or(BUFFER, |w| w.min(BUFFER));
            let n = match self.file.read_at(&mut buf[..want], self.hashed) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.sha256.update(&buf[..n]);
            self.hashed += n as u64;
        }
        Ok(())
    }

    /// The digest of the whole file, reading what was not read yet.
    pub fn finish(mut self) -> io::Result<Digests> {
        self.fill(u64::MAX)?;
        Ok(Digests {
            sha256: hex(&self.sha256.finalize()),
            size: self.hashed,
        })
    }
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.catch_up.get() && self.pos > self.hashed {
            self.fill(self.pos)?;
        }
        let n = self.file.read_at(buf, self.pos)?;
        self.absorb(self.pos, &buf[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Tee<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let (base, offset) = match to {
            SeekFrom::Start(at) => (at, 0),
            SeekFrom::End(offset) => (self.file.metadata()?.len(), offset),
            SeekFrom::Current(offset) => (self.pos, offset),
        };
        self.pos = base.checked_add_signed(offset).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "a seek before the start")
        })?;
        Ok(self.pos)
    }
}

/// `Read` through `read_at`, from `pos` on.
struct ReadAt<'a> {
    file: &'a File,
    pos: u64,
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests_of_abc() {
        let d = digest(&b"abc"[..]).unwrap();
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(d.size, 3);
    }

    fn file_of(data: &[u8]) -> File {
        use std::io::Write;
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(data).unwrap();
        file
    }

    #[test]
    fn a_tee_hashes_the_whole_file_however_it_is_read() {
        let data: Vec<u8> = (0..BUFFER * 3 + 17).map(|i| (i * 7 % 251) as u8).collect();
        let whole = digest(&data[..]).unwrap();
        let file = file_of(&data);
        // Untouched: finish reads it all.
        assert_eq!(Tee::new(&file).finish().unwrap(), whole);
        // The end first (not hashed), then forward with jumps and a step back.
        let mut tee = Tee::new(&file);
        let mut buf = vec![0u8; 1000];
        tee.seek(SeekFrom::End(-100)).unwrap();
        tee.read_exact(&mut buf[..100]).unwrap();
        tee.catch_up_switch().set(true);
        for at in [0u64, 500, 300, 5000, 400_000, 399_000] {
            tee.seek(SeekFrom::Start(at)).unwrap();
            let n = tee.read(&mut buf).unwrap();
            assert_eq!(&buf[..n], &data[at as usize..at as usize + n]);
        }
        assert_eq!(tee.finish().unwrap(), whole);
        // Read straight through.
        let mut tee = Tee::new(&file);
        let mut all = Vec::new();
        tee.read_to_end(&mut all).unwrap();
        assert_eq!(all, data);
        assert_eq!(tee.finish().unwrap(), whole);
    }

    #[test]
    fn digests_by_the_names_an_index_gives() {
        let of = |name| named(name, &b"abc"[..]).map(Result::unwrap);
        assert_eq!(of("md5").unwrap(), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            of("sha256").unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(of("sha512").unwrap().starts_with("ddaf35a193617aba"));
        assert_eq!(of("sha1"), None);
    }

    #[test]
    fn inputs_longer_than_the_buffer() {
        let data = vec![7u8; BUFFER * 2 + 5];
        let d = digest(&data[..]).unwrap();
        assert_eq!(d.size, data.len() as u64);
        assert_eq!(d.sha256, hex(&Sha256::digest(&data)));
        assert_eq!(sha256(&data[..]).unwrap(), (d.size, d.sha256));
    }

    #[test]
    fn positioned_reads_leave_the_cursor() {
        use std::io::{Seek, Write};
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"abc").unwrap();
        let (size, sha) = sha256_at(&file).unwrap();
        assert_eq!(
            (size, sha.as_str()),
            (
                3,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            )
        );
        assert_eq!(file.stream_position().unwrap(), 3);
    }
}
