//! The two digests an upload carries (sha256 and blake2b-256), computed in a
//! single read of the file with a fixed buffer.

use blake2::digest::consts::U32;
use blake2::Blake2b;
use sha2::{Digest, Sha256};
use std::io::{self, Read};

/// Lower-case hex digests and the size of what was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Digests {
    pub(crate) sha256: String,
    pub(crate) blake2_256: String,
    pub(crate) size: u64,
}

const BUFFER: usize = 256 * 1024;

/// Reads `reader` to its end once, feeding both hashers.
pub(crate) fn digest(mut reader: impl Read) -> io::Result<Digests> {
    let mut sha256 = Sha256::new();
    let mut blake2 = Blake2b::<U32>::new();
    let mut buf = vec![0u8; BUFFER];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sha256.update(&buf[..n]);
        blake2.update(&buf[..n]);
        size += n as u64;
    }
    Ok(Digests {
        sha256: hex(&sha256.finalize()),
        blake2_256: hex(&blake2.finalize()),
        size,
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
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
    fn inputs_longer_than_the_buffer() {
        let data = vec![7u8; BUFFER * 2 + 5];
        let d = digest(&data[..]).unwrap();
        assert_eq!(d.size, data.len() as u64);
        assert_eq!(d.sha256, hex(&Sha256::digest(&data)));
    }
}
