//! The order of uploads: for each new release its first file alone (it
//! creates the release; the sdist when there is one), then every other file
//! `jobs` at a time. After an error no new file is started.

use super::client::Session;
use super::plan::{Item, State};
use super::pool::pool;
use super::send::upload_one;
use super::{Outcome, Progress, UploadError, UploadOptions};
use crate::dist::Kind;
use std::collections::BTreeSet;

/// Outcomes by item (`None`: not done because of the error returned).
pub(crate) fn upload_items(
    session: &Session,
    items: &[Item],
    states: &[State],
    options: &UploadOptions,
    progress: &dyn Progress,
) -> (Vec<Option<Outcome>>, Option<UploadError>) {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; items.len()];
    for (i, item) in items.iter().enumerate() {
        if states[i] == State::Listed {
            progress.started(&item.name, item.digests.size);
            progress.finished(&item.name, &Outcome::AlreadyThere);
            outcomes[i] = Some(Outcome::AlreadyThere);
        }
    }
    let firsts = release_creators(items, states);
    for &i in &firsts {
        // Alone: it is `finished` before any other file is `started`.
        match upload_one(session, &items[i], options, progress) {
            Ok(outcome) => outcomes[i] = Some(outcome),
            Err(e) => return (outcomes, Some(e)),
        }
    }
    let rest: Vec<usize> = (0..items.len())
        .filter(|i| states[*i] == State::Pending && !firsts.contains(i))
        .collect();
    let results = pool(options.jobs, &rest, true, |&i| {
        upload_one(session, &items[i], options, progress)
    });
    let mut error = None;
    for (&i, result) in rest.iter().zip(results) {
        match result {
            Some(Ok(outcome)) => outcomes[i] = Some(outcome),
            Some(Err(e)) => {
                error.get_or_insert(e);
            }
            None => {}
        }
    }
    (outcomes, error)
}

/// For each release (project and version) with nothing on the index yet, the
/// file that creates it: its sdist, else its first file.
fn release_creators(items: &[Item], states: &[State]) -> Vec<usize> {
    let key = |item: &Item| (item.project.clone(), item.artifact.version.clone());
    let existing: BTreeSet<_> = items
        .iter()
        .zip(states)
        .filter(|(_, s)| **s == State::Listed)
        .map(|(item, _)| key(item))
        .collect();
    let mut seen = BTreeSet::new();
    let mut firsts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let k = key(item);
        if existing.contains(&k) || seen.contains(&k) {
            continue;
        }
        seen.insert(k.clone());
        let pending = |j: &usize| states[*j] == State::Pending && key(&items[*j]) == k;
        let sdist = (0..items.len())
            .filter(pending)
            .find(|j| items[*j].artifact.kind == Kind::Sdist);
        firsts.push(sdist.unwrap_or(i));
    }
    firsts
}
