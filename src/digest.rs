//! File digests, each computed in a single read with a fixed buffer: the
//! sha256 that builds, checks and indexes compare, and the pair an upload
//! carries (sha256 and blake2b-256).

use crate::display::hex;
use blake2::digest::consts::U32;
use blake2::Blake2b;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;

/// Lower-case hex digests and the size of what was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    pub sha256: String,
    pub blake2_256: String,
    pub size: u64,
}

const BUFFER: usize = 256 * 1024;

/// Reads `reader` to its end once, feeding both hashers.
pub fn digest(reader: impl Read) -> io::Result<Digests> {
    let mut sha256 = Sha256::new();
    let mut blake2 = Blake2b::<U32>::new();
    let size = read_all(reader, |chunk| {
        sha256.update(chunk);
        blake2.update(chunk);
    })?;
    Ok(Digests {
        sha256: hex(&sha256.finalize()),
        blake2_256: hex(&blake2.finalize()),
        size,
    })
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
        // hashlib.blake2b(b"abc", digest_size=32).hexdigest()
        assert_eq!(
            d.blake2_256,
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        );
        assert_eq!(d.size, 3);
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
