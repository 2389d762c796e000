//! Finding the repository root and the files that can hold a version.
//!
//! What git ignores is not a version source: the walk honours `.gitignore`
//! files, `.git/info/exclude` and the global excludes file, matched by the
//! `ignore` crate (ripgrep's matcher; no git process, no index read). It skips
//! hidden folders, `target`, `node_modules`, `__pycache__`, virtual
//! environments, nested repositories and submodules, goes at most
//! [`MAX_DEPTH`] folders deep, and lists folders on every core (up to four),
//! which keeps `check` in milliseconds on a large repository.
//!
//! The traversal is our own rather than `ignore::WalkParallel`: only folders
//! and the four file names that matter are matched against the rules, and the
//! entries `.git`, `.gitignore` and `pyvenv.cfg` are seen in the listing that
//! is read anyway, so no file costs more than its directory entry. Tried by
//! hand on 60,000 files, `WalkParallel` used about 1.5x the CPU time of this
//! traversal; against the earlier walk without ignore rules, see
//! BENCHMARKS.md (40.5 ms against 75.8 ms there).

use crate::error::ReadError;
use ignore_rules::{Chain, Rules};
use queue::Queue;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod ignore_rules;
mod queue;

/// Deepest folder level searched below the repository root.
pub const MAX_DEPTH: usize = 6;

/// The version-bearing files of a repository, sorted by path.
#[derive(Debug, Default)]
pub struct Found {
    pub cargo_tomls: Vec<PathBuf>,
    pub cargo_locks: Vec<PathBuf>,
    pub pyprojects: Vec<PathBuf>,
    pub uv_locks: Vec<PathBuf>,
}

/// The nearest ancestor of `start` (inclusive) holding `.git`; `start` if none.
pub fn repo_root(start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(start)
        .to_path_buf()
}

/// Every interesting file under `root`.
pub fn walk(root: &Path) -> Result<Found, ReadError> {
    let rules = Rules::of_repository(root);
    let first = Job {
        dir: root.to_path_buf(),
        depth: 0,
        chain: None,
    };
    // A small repository is listed on this thread alone; threads start only
    // when folders are still waiting after the first few.
    let mut found = Found::default();
    let mut pending = vec![first];
    for _ in 0..SEQUENTIAL {
        let Some(job) = pending.pop() else { break };
        pending.extend(visit(job, &rules, &mut found)?);
    }
    if !pending.is_empty() {
        found.merge(in_parallel(pending, &rules)?);
    }
    found.add_ignored_locks();
    for list in [
        &mut found.cargo_tomls,
        &mut found.cargo_locks,
        &mut found.pyprojects,
        &mut found.uv_locks,
    ] {
        list.sort();
    }
    Ok(found)
}

/// Folders listed before any thread starts.
const SEQUENTIAL: usize = 32;

/// One folder to list.
struct Job {
    dir: PathBuf,
    depth: usize,
    /// The `.gitignore` rules of this folder and those above it.
    chain: Option<Arc<Chain>>,
}

/// Lists the folders `pending` and everything below them on every core (up to four).
fn in_parallel(pending: Vec<Job>, rules: &Rules) -> Result<Found, ReadError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let queue = Queue::new(pending);
    let mut found = Found::default();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| queue.work(|job, found| visit(job, rules, found))))
            .collect();
        for worker in workers {
            found.merge(worker.join().unwrap_or_default());
        }
    });
    match queue.into_failure() {
        Some(e) => Err(e),
        None => Ok(found),
    }
}

/// Lists one folder: interesting files go to `found`, folders to search come back.
fn visit(job: Job, rules: &Rules, found: &mut Found) -> Result<Vec<Job>, ReadError> {
    let Job { dir, depth, chain } = job;
    let mut names = Vec::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| ReadError::io(&dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| ReadError::io(&dir, e))?;
        let is_dir = entry
            .file_type()
            .map_err(|e| ReadError::io(&entry.path(), e))?
            .is_dir();
        names.push((entry.file_name(), is_dir));
    }
    let has = |wanted: &str| names.iter().any(|(name, _)| name == wanted);
    // Another repository's work tree (a nested clone or a submodule), or a venv.
    if depth > 0 && (has(".git") || has("pyvenv.cfg")) {
        return Ok(Vec::new());
    }
    let chain = match has(".gitignore") && rules.in_git {
        true => Some(Arc::new(Chain::new(&dir, chain))),
        false => chain,
    };
    let mut subdirs = Vec::new();
    for (name, is_dir) in names {
        let Some(text) = name.to_str() else { continue };
        if text.starts_with('.') {
            continue;
        }
        let path = dir.join(&name);
        if is_dir {
            let wanted =
                depth < MAX_DEPTH && !matches!(text, "target" | "node_modules" | "__pycache__");
            if wanted && !rules.ignores(&path, true, chain.as_deref()) {
                subdirs.push(Job {
                    dir: path,
                    depth: depth + 1,
                    chain: chain.clone(),
                });
            }
        } else if let Some(list) = kind(text) {
            if !rules.ignores(&path, false, chain.as_deref()) {
                list(found).push(path);
            }
        }
    }
    Ok(subdirs)
}

/// The list a file of this name belongs in.
fn kind(name: &str) -> Option<fn(&mut Found) -> &mut Vec<PathBuf>> {
    Some(match name {
        "Cargo.toml" => |f| &mut f.cargo_tomls,
        "Cargo.lock" => |f| &mut f.cargo_locks,
        "pyproject.toml" => |f| &mut f.pyprojects,
        "uv.lock" => |f| &mut f.uv_locks,
        _ => return None,
    })
}

impl Found {
    fn merge(&mut self, other: Found) {
        self.cargo_tomls.extend(other.cargo_tomls);
        self.cargo_locks.extend(other.cargo_locks);
        self.pyprojects.extend(other.pyprojects);
        self.uv_locks.extend(other.uv_locks);
    }

    /// A lock file that git ignores (a library's `Cargo.lock`) is still the one
    /// cargo or uv reads beside its manifest, so it moves with it.
    fn add_ignored_locks(&mut self) {
        let beside = |manifests: &[PathBuf], name: &str, locks: &mut Vec<PathBuf>| {
            for manifest in manifests {
                let lock = manifest.with_file_name(name);
                if !locks.contains(&lock) && lock.is_file() {
                    locks.push(lock);
                }
            }
        };
        beside(&self.cargo_tomls, "Cargo.lock", &mut self.cargo_locks);
        beside(&self.pyprojects, "uv.lock", &mut self.uv_locks);
    }
}
