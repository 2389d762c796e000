//! Before anything is sent: every artifact checked for what an upload needs,
//! hashed (by the check already, else here) in one read, and compared with what the index already lists.
//! Problems are gathered and reported together; a file the index holds with
//! other content stops the whole upload before the first byte goes out.

use super::client::Session;
use super::form;
use super::pool::pool;
use super::retry::{self, Step, Stopped};
use super::{Progress, UploadError, UploadErrorKind as Kind};
use crate::digest::{self, Digests};
use crate::display::file_name;
use crate::dist::filename::normalize_name;
use crate::dist::Artifact;
use crate::publish::index::{IndexError, IndexFile};
use std::collections::BTreeMap;
use std::fs::File;
use std::sync::Arc;

/// One file to upload, hashed, with its form fields.
pub(crate) struct Item<'a> {
    pub(crate) artifact: &'a Artifact,
    /// The file name, as sent and as the index lists it.
    pub(crate) name: Arc<str>,
    /// The normalized project name.
    pub(crate) project: String,
    /// Open since it was hashed (by the check, else here): what is sent is
    /// the file that was hashed, even if a build replaces it in the meantime.
    pub(crate) file: Arc<File>,
    pub(crate) digests: Digests,
    pub(crate) fields: Vec<(&'static str, String)>,
}

impl Item<'_> {
    /// What [`same_file`] compares.
    pub(crate) fn sha256_and_size(&self) -> (&str, u64) {
        (&self.digests.sha256, self.digests.size)
    }
}

/// The items, and for each artifact given, the item it is (the same file given twice is one item).
pub(crate) struct Prepared<'a> {
    pub(crate) items: Vec<Item<'a>>,
    pub(crate) item_of: Vec<usize>,
}

/// Whether the index has the file already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Listed,
    Pending,
}

/// Hashes every artifact not read already (`jobs` at a time, 4 when 0) and builds its form fields.
pub(crate) fn prepare(artifacts: &[Artifact], jobs: usize) -> Result<Prepared<'_>, UploadError> {
    if artifacts.is_empty() {
        return Err(Kind::Artifact.error(
            "nothing to upload: give the wheels and sdist to publish (`cargo pypi build` puts them in dist/)".into(),
        ));
    }
    let jobs = if jobs == 0 { 4 } else { jobs };
    let hashed = pool(jobs, artifacts, false, |artifact| {
        hash(artifact).map_err(|m| Kind::Artifact.error(m))
    });
    let mut problems = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut item_of = Vec::new();
    for (artifact, result) in artifacts.iter().zip(hashed) {
        let (file, digests) = match result.expect("every file is hashed") {
            Ok(hashed) => hashed,
            Err(e) => {
                problems.push(e.to_string());
                item_of.push(usize::MAX);
                continue;
            }
        };
        let name = file_name(&artifact.path);
        if let Some(i) = items.iter().position(|it| *it.name == *name) {
            if items[i].digests.sha256 != digests.sha256 {
                problems.push(format!(
                    "cannot upload two different files named {name} ({} and {}): give only one of them",
                    items[i].artifact.path.display(),
                    artifact.path.display()
                ));
            }
            item_of.push(i);
            continue;
        }
        match form::fields(artifact, &digests) {
            Ok(fields) => {
                item_of.push(items.len());
                items.push(Item {
                    artifact,
                    name: name.into(),
                    project: normalize_name(&artifact.name),
                    file,
                    digests,
                    fields,
                });
            }
            Err(why) => {
                problems.push(format!("cannot upload {name}: {why}"));
                item_of.push(usize::MAX);
            }
        }
    }
    if problems.is_empty() {
        Ok(Prepared { items, item_of })
    } else {
        Err(Kind::Artifact.error(problems.join("\n")))
    }
}

/// The file as the check read it, unchanged since, with its digest; else
/// opened and hashed here, checking it is the file that was checked.
fn hash(artifact: &Artifact) -> Result<(Arc<File>, Digests), String> {
    if let Some(opened) = crate::dist::opened(&artifact.path, &artifact.sha256) {
        return Ok(opened);
    }
    let path = artifact.path.display();
    let cannot = |e: std::io::Error| format!("cannot read {path}: {e}");
    let file = File::open(&artifact.path).map_err(cannot)?;
    let (size, sha256) = digest::sha256_at(&file).map_err(cannot)?;
    let digests = Digests { sha256, size };
    let changed = (artifact.size != 0 && artifact.size != digests.size)
        || (!artifact.sha256.is_empty() && !artifact.sha256.eq_ignore_ascii_case(&digests.sha256));
    if changed {
        return Err(format!(
            "{path} changed since it was checked (sha256 {} then, {} now): check it again before uploading it",
            artifact.sha256, digests.sha256
        ));
    }
    Ok((Arc::new(file), digests))
}

/// The index's files of each project among `items`, by normalized name.
pub(crate) type Listings = BTreeMap<String, Vec<IndexFile>>;

/// Lists every project among `items` (see [`listing`]).
pub(crate) fn listings(
    session: &Session,
    items: &[Item],
    attempts: u32,
    progress: &dyn Progress,
) -> Result<Listings, UploadError> {
    let mut listings = Listings::new();
    for item in items {
        if !listings.contains_key(&item.project) {
            let listed = listing(session, &item.artifact.name, attempts, progress)?;
            listings.insert(item.project.clone(), listed);
        }
    }
    Ok(listings)
}

/// Compares every item with the index's listing of its project.
pub(crate) fn compare(
    session: &Session,
    items: &[Item],
    listings: &Listings,
) -> Result<Vec<State>, UploadError> {
    let mut states = Vec::new();
    let mut conflicts = Vec::new();
    for item in items {
        let listed = listings[&item.project]
            .iter()
            .find(|f| f.filename == *item.name);
        states.push(match listed {
            None => State::Pending,
            Some(f) => match same_file(
                session,
                &item.project,
                &item.artifact.path,
                item.sha256_and_size(),
                f,
            )? {
                Same::Yes => State::Listed,
                Same::No(why) => {
                    conflicts.push(conflict(session, item, &why));
                    State::Pending
                }
            },
        });
    }
    if conflicts.is_empty() {
        Ok(states)
    } else {
        conflicts.push("nothing was uploaded".into());
        Err(Kind::Conflict.error(conflicts.join("\n")))
    }
}

/// Whether a listed file is the one here.
pub(crate) enum Same {
    Yes,
    /// Other bytes: the digests that differ, in words.
    No(String),
}

/// Compares `listed` with the file at `path` by the digest the index gives:
/// its sha256, else another (`md5`…) computed here, else the sha256 of the
/// file downloaded from the index (PEP 503 lets a listing give no digest).
pub(crate) fn same_file(
    session: &Session,
    project: &str,
    path: &std::path::Path,
    (sha256, size): (&str, u64),
    listed: &IndexFile,
) -> Result<Same, UploadError> {
    let differs = |name: &str, theirs: &str, ours: &str| {
        Same::No(format!("{name} {theirs} there, {ours} here"))
    };
    if let Some(theirs) = &listed.sha256 {
        return Ok(match theirs == sha256 {
            true => Same::Yes,
            false => differs("sha256", theirs, sha256),
        });
    }
    let cannot =
        |e: std::io::Error| Kind::Artifact.error(format!("cannot read {}: {e}", path.display()));
    if let Some((name, theirs)) = &listed.other_hash {
        if let Some(ours) = File::open(path).ok().and_then(|f| digest::named(name, f)) {
            let ours = ours.map_err(cannot)?;
            return Ok(match ours == *theirs {
                true => Same::Yes,
                false => differs(name, theirs, &ours),
            });
        }
    }
    let theirs = session
        .download_sha256(project, listed, size)
        .map_err(|m| Kind::Index.error(m))?;
    Ok(match theirs == sha256 {
        true => Same::Yes,
        false => differs(
            "sha256 (of the file downloaded from the index)",
            &theirs,
            sha256,
        ),
    })
}

/// The words for a file the index holds with other content (`why`: the digests).
pub(crate) fn conflict(session: &Session, item: &Item, why: &str) -> String {
    format!(
        "cannot upload {} to {}: the index already has a file of that name with other content ({why}); an index never lets a file be replaced (PyPI not even after deleting it): bump the version, rebuild and upload the new files",
        item.name, session.upload_url
    )
}

/// The project's files on the index, with retries for transient failures,
/// each said through `progress` (as the listing of the project).
pub(crate) fn listing(
    session: &Session,
    project: &str,
    attempts: u32,
    progress: &dyn Progress,
) -> Result<Vec<IndexFile>, UploadError> {
    let result = retry::run(
        attempts,
        |_| match session.listing(project) {
            Ok(files) => Step::Done(files),
            Err(IndexError::Http(message)) => Step::Fail(Kind::Index.error(message)),
            Err(IndexError::Unavailable {
                message,
                retry_after,
            }) => Step::Retry(retry::Transient {
                reason: message,
                retry_after,
            }),
        },
        |next, failure, wait| {
            progress.retrying(
                &format!("the listing of {project}"),
                next,
                &format!(
                    "{}; attempt {next} of {attempts} in {:.1} s",
                    failure.reason,
                    wait.as_secs_f64()
                ),
            )
        },
        std::thread::sleep,
    );
    result.map_err(|stopped| match stopped {
        Stopped::Failed(e) => e,
        Stopped::GaveUp(last, tries) => Kind::Index.error(format!(
            "{} (after {tries} attempts, each given {} s without an answer: --timeout): check that {} is the simple index of the upload URL's server and that it is up, then run again",
            last.reason,
            session.timeout.as_secs_f64(),
            session.index_url
        )),
    })
}
