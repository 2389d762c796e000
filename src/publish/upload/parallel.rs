//! The order of uploads: for each new release its first file alone (it
//! creates the release; the sdist when there is one), then every other file
//! `jobs` at a time. After an error no new file is started.

use super::client::Session;
use super::plan::{Item, State};
use super::progress::{Event, Events};
use super::send::upload_one;
use super::{Outcome, UploadError, UploadOptions};
use crate::dist::Kind;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Runs `work` on every item with `jobs` threads; `None` for the items not
/// started because an earlier one failed (when `stop_on_error`).
pub(crate) fn pool<T: Sync, R: Send>(
    jobs: usize,
    items: &[T],
    stop_on_error: bool,
    work: impl Fn(&T) -> Result<R, UploadError> + Sync,
) -> Vec<Option<Result<R, UploadError>>> {
    let results: Mutex<Vec<Option<Result<R, UploadError>>>> =
        Mutex::new(items.iter().map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let threads = jobs.clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = items.get(i) else { break };
                let result = work(item);
                if result.is_err() && stop_on_error {
                    stop.store(true, Ordering::SeqCst);
                }
                results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(result);
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// Outcomes by item (`None`: not done because of the error returned).
pub(crate) fn upload_items(
    session: &Session,
    items: &[Item],
    states: &[State],
    options: &UploadOptions,
    events: &Events,
) -> (Vec<Option<Outcome>>, Option<UploadError>) {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; items.len()];
    for (i, item) in items.iter().enumerate() {
        if states[i] == State::Listed {
            events.send(Event::Started(item.name.clone(), item.digests.size));
            events.send(Event::Finished(item.name.clone(), Outcome::AlreadyThere));
            outcomes[i] = Some(Outcome::AlreadyThere);
        }
    }
    let firsts = release_creators(items, states);
    for &i in &firsts {
        match upload_one(session, &items[i], options, events) {
            Ok(outcome) => outcomes[i] = Some(outcome),
            Err(e) => return (outcomes, Some(e)),
        }
    }
    // The first files' outcomes are reported before any other file starts.
    events.flush();
    let rest: Vec<usize> = (0..items.len())
        .filter(|i| states[*i] == State::Pending && !firsts.contains(i))
        .collect();
    let results = pool(options.jobs, &rest, true, |&i| {
        upload_one(session, &items[i], options, events)
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
