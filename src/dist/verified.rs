//! Files already read and checked in this run, so that none is read twice: a
//! later check of the same unchanged file (same device, inode, size and
//! modification and change times) reuses the findings, and an upload reuses
//! the digest and the open handle that was read, with no read of its own.

use super::{Artifact, Diagnostic};
use crate::digest::Digests;
use std::fs::{File, Metadata};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// How many files are remembered (each keeps its file open), the latest first.
const KEEP: usize = 64;

/// What tells a file changed: where it is, its size and its times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    dev: u64,
    ino: u64,
    pub(crate) size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stamp {
    pub(crate) fn of(m: &Metadata) -> Stamp {
        Stamp {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            modified: (m.mtime(), m.mtime_nsec()),
            changed: (m.ctime(), m.ctime_nsec()),
        }
    }
}

struct Entry {
    path: PathBuf,
    stamp: Stamp,
    /// The Python that rendered the description ([`super::CheckOptions::python`]).
    python: Option<PathBuf>,
    file: Arc<File>,
    artifact: Artifact,
    /// Every finding but the size rule's (its limit is the caller's).
    findings: Vec<Diagnostic>,
    digests: Digests,
}

static SEEN: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

fn seen() -> MutexGuard<'static, Vec<Entry>> {
    SEEN.lock().unwrap_or_else(|p| p.into_inner())
}

/// The artifact and findings of `path` when it was checked with `python` and
/// has not changed since (`stamp`: as it is now).
pub(crate) fn lookup(
    path: &Path,
    stamp: &Stamp,
    python: Option<&Path>,
) -> Option<(Artifact, Vec<Diagnostic>)> {
    let seen = seen();
    let entry = seen.iter().find(|e| {
        e.path == path && e.stamp == *stamp && e.python.as_deref() == python && unchanged(e)
    })?;
    Some((entry.artifact.clone(), entry.findings.clone()))
}

/// Whether the file that was read is as it was (not rewritten in place).
fn unchanged(entry: &Entry) -> bool {
    (entry.file.metadata()).is_ok_and(|m| Stamp::of(&m) == entry.stamp)
}

/// Remembers a check of `path`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn remember(
    path: &Path,
    stamp: Stamp,
    python: Option<PathBuf>,
    file: File,
    artifact: &Artifact,
    findings: &[Diagnostic],
    digests: Digests,
) {
    let mut seen = seen();
    seen.retain(|e| e.path != path);
    seen.insert(
        0,
        Entry {
            path: path.to_path_buf(),
            stamp,
            python,
            file: Arc::new(file),
            artifact: artifact.clone(),
            findings: findings.to_vec(),
            digests,
        },
    );
    seen.truncate(KEEP);
}

/// The handle and digest of `path` as checked in this run, when its sha256
/// was `sha256` and the file read has not changed since: what an upload
/// sends without reading it first. The path may name another file by now
/// (a new build): the handle still reads the one that was checked.
pub fn opened(path: &Path, sha256: &str) -> Option<(Arc<File>, Digests)> {
    let seen = seen();
    let entry = seen.iter().find(|e| {
        e.path == path && e.digests.sha256.eq_ignore_ascii_case(sha256) && unchanged(e)
    })?;
    Some((entry.file.clone(), entry.digests.clone()))
}
