//! When to try again: exponential backoff with jitter, `Retry-After` honoured,
//! a bounded number of attempts. Re-sending an identical file is safe: the
//! index takes it (PyPI) or says it already exists, which is checked.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Wait after the first failure; doubles after each further one.
pub(crate) const BASE: Duration = Duration::from_secs(1);
/// Longest wait between two attempts, unless the index asks for more.
pub(crate) const CAP: Duration = Duration::from_secs(30);
/// Longest `Retry-After` waited for; a longer one ends the attempts.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);
/// Most time spent waiting between the attempts of one [`run`], `Retry-After`
/// included: a wait past it ends the attempts. With the attempts' own
/// no-progress timeout, this bounds how long a hung index holds a run.
pub(crate) const BUDGET: Duration = Duration::from_secs(300);

/// A failure worth another attempt.
#[derive(Debug, Clone)]
pub(crate) struct Transient {
    /// What happened, in words (`503 Service Unavailable`, `timed out`...).
    pub(crate) reason: String,
    /// What the index asked for with `Retry-After`.
    pub(crate) retry_after: Option<Duration>,
}

/// The result of one attempt.
pub(crate) enum Step<T, E> {
    Done(T),
    Retry(Transient),
    Fail(E),
}

/// Why the attempts ended without a result.
pub(crate) enum Stopped<E> {
    Failed(E),
    /// Every attempt failed transiently (or the index asked to wait too long);
    /// the last failure and how many attempts were made.
    GaveUp(Transient, u32),
}

/// Status codes worth another attempt: 429 and the 5xx that may pass.
pub(crate) fn is_transient_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501 && status != 505
}

/// How long to wait after `failures` failed attempts (1 or more): `BASE`
/// doubled each time up to `CAP`, then a random point in its upper half.
pub(crate) fn backoff(failures: u32) -> Duration {
    let exp = failures.saturating_sub(1).min(16);
    let full = BASE.saturating_mul(1 << exp).min(CAP);
    let half = full / 2;
    half + half.mul_f64(random_fraction())
}

/// The wait before the next attempt: what the index asked for, else the backoff.
pub(crate) fn wait_for(failure: &Transient, failures: u32) -> Duration {
    failure.retry_after.unwrap_or_else(|| backoff(failures))
}

fn random_fraction() -> f64 {
    let bits = RandomState::new().build_hasher().finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Runs `attempt` (given its number, from 1) up to `attempts` times.
/// `before_retry(next_attempt, failure, wait)` runs before each wait.
pub(crate) fn run<T, E>(
    attempts: u32,
    mut attempt: impl FnMut(u32) -> Step<T, E>,
    mut before_retry: impl FnMut(u32, &Transient, Duration),
    mut sleep: impl FnMut(Duration),
) -> Result<T, Stopped<E>> {
    let attempts = attempts.max(1);
    let mut number = 1;
    let mut waited = Duration::ZERO;
    loop {
        let failure = match attempt(number) {
            Step::Done(value) => return Ok(value),
            Step::Fail(error) => return Err(Stopped::Failed(error)),
            Step::Retry(failure) => failure,
        };
        let wait = wait_for(&failure, number);
        let too_long = wait > MAX_RETRY_AFTER || waited + wait > BUDGET;
        if number >= attempts || too_long {
            return Err(Stopped::GaveUp(failure, number));
        }
        before_retry(number + 1, &failure, wait);
        sleep(wait);
        waited += wait;
        number += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transient(retry_after: Option<u64>) -> Transient {
        Transient {
            reason: "503 Service Unavailable".into(),
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    #[test]
    fn backoff_doubles_within_its_jitter_and_stops_at_the_cap() {
        for failures in 1..=10 {
            let full = BASE.saturating_mul(1 << (failures - 1)).min(CAP);
            let wait = backoff(failures);
            assert!(wait >= full / 2 && wait <= full, "{failures}: {wait:?}");
        }
        assert!(backoff(40) <= CAP);
    }

    #[test]
    fn statuses_worth_another_attempt() {
        for status in [429, 500, 502, 503, 504] {
            assert!(is_transient_status(status), "{status}");
        }
        for status in [200, 400, 401, 403, 404, 409, 413, 501, 505] {
            assert!(!is_transient_status(status), "{status}");
        }
    }

    #[test]
    fn attempts_are_bounded_and_retry_after_is_honoured() {
        let mut waits = Vec::new();
        let mut calls = 0;
        let result: Result<(), Stopped<()>> = run(
            3,
            |_| {
                calls += 1;
                Step::Retry(transient(Some(2)))
            },
            |_, _, _| {},
            |d| waits.push(d),
        );
        assert!(matches!(result, Err(Stopped::GaveUp(_, 3))));
        assert_eq!(calls, 3);
        assert_eq!(waits, vec![Duration::from_secs(2); 2]);
    }

    #[test]
    fn a_success_after_failures_and_a_fatal_error_stops_at_once() {
        let mut waits = 0;
        let result: Result<u32, Stopped<()>> = run(
            5,
            |n| {
                if n < 3 {
                    Step::Retry(transient(None))
                } else {
                    Step::Done(n)
                }
            },
            |_, _, _| {},
            |_| waits += 1,
        );
        assert!(matches!(result, Ok(3)));
        assert_eq!(waits, 2);
        let result: Result<(), Stopped<&str>> =
            run(5, |_| Step::Fail("no"), |_, _, _| {}, |_| panic!("waited"));
        assert!(matches!(result, Err(Stopped::Failed("no"))));
    }

    #[test]
    fn the_waits_of_one_run_stay_within_the_budget() {
        let mut waited = Duration::ZERO;
        let result: Result<(), Stopped<()>> = run(
            100,
            |_| Step::Retry(transient(Some(120))),
            |_, _, _| {},
            |d| waited += d,
        );
        assert!(matches!(result, Err(Stopped::GaveUp(_, 3))));
        assert_eq!(waited, Duration::from_secs(240));
        assert!(waited <= BUDGET);
    }

    #[test]
    fn a_retry_after_beyond_the_limit_ends_the_attempts() {
        let result: Result<(), Stopped<()>> = run(
            5,
            |_| Step::Retry(transient(Some(3600))),
            |_, _, _| {},
            |_| panic!("waited an hour"),
        );
        assert!(matches!(result, Err(Stopped::GaveUp(_, 1))));
    }
}
