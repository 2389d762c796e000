//! The order of uploads: for each new release one wheel alone (it creates the
//! release), then the other wheels several at a time, then the sdists, so a
//! run cut short never leaves a release whose only file is the sdist (pip
//! would compile it). After an error no new file is started.

use super::client::Session;
use super::plan::{Item, State};
use super::pool::pool;
use super::send::upload_one;
use super::{Outcome, Progress, UploadError, UploadOptions};
use crate::dist::Kind;
use std::collections::BTreeSet;

/// With `jobs` unset (0), files in flight at once: at least this many...
const MIN_IN_FLIGHT: usize = 4;
/// ...and more, up to this many, while their sizes add up to at most
/// [`BYTES_IN_FLIGHT`]: small files are slowed by the index's answer, not by
/// the line. (More at once starts to queue at small indexes: a pypiserver
/// on its default server takes 5 waiting connections.)
const MAX_IN_FLIGHT: usize = 8;
const BYTES_IN_FLIGHT: u64 = 32 * 1024 * 1024;

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
    for kind in [Kind::Wheel, Kind::Sdist] {
        let phase: Vec<usize> = (0..items.len())
            .filter(|i| states[*i] == State::Pending && !firsts.contains(i))
            .filter(|i| items[*i].artifact.kind == kind)
            .collect();
        let jobs = in_flight(options.jobs, phase.iter().map(|&i| items[i].digests.size));
        let results = pool(jobs, &phase, true, |&i| {
            upload_one(session, &items[i], options, progress)
        });
        let mut error = None;
        for (&i, result) in phase.iter().zip(results) {
            match result {
                Some(Ok(outcome)) => outcomes[i] = Some(outcome),
                Some(Err(e)) => {
                    error.get_or_insert(e);
                }
                None => {}
            }
        }
        if error.is_some() {
            return (outcomes, error);
        }
    }
    (outcomes, None)
}

/// How many files go at once: `jobs` when given, else as many as suit the
/// files' mean size (see [`MAX_IN_FLIGHT`]).
pub(crate) fn in_flight(jobs: usize, sizes: impl Iterator<Item = u64>) -> usize {
    if jobs > 0 {
        return jobs;
    }
    let (count, total) = sizes.fold((0u64, 0u64), |(n, t), s| (n + 1, t + s));
    let mean = total / count.max(1);
    let fit = BYTES_IN_FLIGHT / mean.max(1);
    usize::try_from(fit)
        .unwrap_or(MAX_IN_FLIGHT)
        .clamp(MIN_IN_FLIGHT, MAX_IN_FLIGHT)
}

/// For each release (project and version) with nothing on the index yet, the
/// file that creates it: its first wheel, else its sdist.
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
        let wheel = (0..items.len())
            .filter(pending)
            .find(|j| items[*j].artifact.kind == Kind::Wheel);
        firsts.push(wheel.unwrap_or(i));
    }
    firsts
}

#[cfg(test)]
mod tests {
    use super::in_flight;

    #[test]
    fn many_small_files_go_more_at_a_time() {
        let mib = 1024 * 1024;
        assert_eq!(in_flight(3, [2 * mib; 20].into_iter()), 3);
        assert_eq!(in_flight(0, [2 * mib; 20].into_iter()), 8);
        assert_eq!(in_flight(0, [5 * mib; 20].into_iter()), 6);
        assert_eq!(in_flight(0, [90 * mib; 3].into_iter()), 4);
        assert_eq!(in_flight(0, std::iter::empty()), 8);
    }
}
