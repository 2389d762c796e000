//! A minted token that renews itself: PyPI's trusted-publishing tokens live
//! 15 minutes, and a long multi-file upload outlasts one.
//!
//! The token is renewed when less than a third of its life is left (5 of 15
//! minutes on PyPI), so a request that starts with it still has that long
//! before the token expires: PyPI checks the token once the whole file has
//! arrived. Its life is taken from the mint answer's `expires` (seconds since
//! the epoch); without one, or with one in the past (a skewed clock), it is
//! [`DEFAULT_LIFETIME`] from the mint. Threads that need a token while one is
//! being minted wait for it: one mint at a time.
//!
//! When renewing fails, the current token is used while it lasts (the index
//! decides), and the failure is kept for the message of a refusal. The next
//! attempt waits a tenth of the token's life (at most 30 s), so an issuer that
//! is down is not asked again for every file, each ask up to its timeout.

use super::OidcError;
use crate::publish::secret::Secret;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long PyPI's minted tokens live, assumed when the answer does not say.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// A token from the mint endpoint and when it expires.
#[derive(Clone)]
pub struct Minted {
    pub token: Secret,
    pub minted: Instant,
    pub expires: Instant,
}

impl Minted {
    /// `token` minted now; `expires` is the answer's (seconds since the epoch).
    pub fn new(token: Secret, expires: Option<u64>) -> Minted {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let lifetime = expires
            .and_then(|at| at.checked_sub(now))
            .filter(|&left| left > 0 && left <= 24 * 3600)
            .map_or(DEFAULT_LIFETIME, Duration::from_secs);
        let minted = Instant::now();
        Minted {
            token,
            minted,
            expires: minted + lifetime,
        }
    }

    /// Less than a third of its life is left.
    fn due(&self, now: Instant) -> bool {
        let life = self.life();
        let left = self.expires.saturating_duration_since(now);
        left.is_zero() || left < life / 3
    }

    fn life(&self) -> Duration {
        self.expires.saturating_duration_since(self.minted)
    }

    /// How long after a failed renewal the next one is tried.
    fn retry_after(&self) -> Duration {
        (self.life() / 10).min(Duration::from_secs(30))
    }
}

type Mint = dyn Fn() -> Result<Minted, OidcError> + Send + Sync;

/// The current minted token, renewed by `mint` when it is due.
pub struct Renewing {
    state: Mutex<State>,
    mint: Box<Mint>,
}

struct State {
    current: Minted,
    /// Every token handed out, for redaction.
    issued: Vec<Secret>,
    /// Why the last renewal failed.
    failure: Option<String>,
    /// When it failed.
    failed_at: Option<Instant>,
}

impl Renewing {
    pub fn new(
        first: Minted,
        mint: impl Fn() -> Result<Minted, OidcError> + Send + Sync + 'static,
    ) -> Renewing {
        Renewing {
            state: Mutex::new(State {
                issued: vec![first.token.clone()],
                current: first,
                failure: None,
                failed_at: None,
            }),
            mint: Box::new(mint),
        }
    }

    /// The token to send now, renewed first when it is due.
    pub fn current(&self) -> Secret {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let resting = state
            .failed_at
            .is_some_and(|at| now.duration_since(at) < state.current.retry_after());
        if !state.current.due(now) || resting {
            return state.current.token.clone();
        }
        // On a thread of its own: the blocking HTTP client must not run
        // inside the upload's async runtime, whoever calls this.
        let renewed = std::thread::scope(|s| s.spawn(|| (self.mint)()).join());
        match renewed {
            Ok(Ok(minted)) => {
                state.issued.push(minted.token.clone());
                state.current = minted;
                state.failure = None;
                state.failed_at = None;
            }
            Ok(Err(e)) => state.failure = Some(e.to_string()),
            Err(_) => state.failure = Some("minting a new token panicked".into()),
        }
        if state.failure.is_some() {
            state.failed_at = Some(Instant::now());
        }
        state.current.token.clone()
    }

    /// Every token handed out so far.
    pub fn issued(&self) -> Vec<Secret> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.issued.clone()
    }

    /// Why the last renewal failed, when it did.
    pub fn failure(&self) -> Option<String> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.failure.clone()
    }
}

impl fmt::Debug for Renewing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Renewing(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn minted(name: &str, life: Duration) -> Minted {
        let minted = Instant::now();
        Minted {
            token: Secret::new(name),
            minted,
            expires: minted + life,
        }
    }

    #[test]
    fn renews_only_when_a_third_of_the_life_is_left() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let renewing = Renewing::new(minted("a", Duration::from_secs(900)), move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(minted("b", Duration::from_secs(900)))
        });
        assert_eq!(renewing.current().expose(), "a");
        assert_eq!(calls.load(Ordering::SeqCst), 0);

        let renewing = Renewing::new(minted("a", Duration::ZERO), || {
            Ok(minted("b", Duration::from_secs(900)))
        });
        assert_eq!(renewing.current().expose(), "b");
        assert_eq!(renewing.issued().len(), 2);
    }

    #[test]
    fn a_failed_renewal_keeps_the_token_and_says_why() {
        let renewing = Renewing::new(minted("a", Duration::ZERO), || {
            Err(OidcError("the index is down".into()))
        });
        assert_eq!(renewing.current().expose(), "a");
        assert_eq!(renewing.failure().as_deref(), Some("the index is down"));
    }

    /// A token minted `age` ago that expires `left` from now.
    fn aged(name: &str, age: Duration, left: Duration) -> Minted {
        let now = Instant::now();
        Minted {
            token: Secret::new(name),
            minted: now - age,
            expires: now + left,
        }
    }

    #[test]
    fn an_issuer_that_fails_is_asked_again_only_after_a_rest() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let life_left = (Duration::from_secs(14 * 60), Duration::from_secs(60));
        let renewing = Renewing::new(aged("a", life_left.0, life_left.1), move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Err(OidcError("down".into()))
        });
        for _ in 0..5 {
            assert_eq!(renewing.current().expose(), "a");
        }
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "asked once in the 30 s rest"
        );

        // A one-second token rests a tenth of its life, then asks again.
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let (age, left) = (Duration::from_millis(900), Duration::from_millis(100));
        let renewing = Renewing::new(aged("a", age, left), move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Err(OidcError("down".into()))
        });
        renewing.current();
        renewing.current();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        std::thread::sleep(Duration::from_millis(150));
        renewing.current();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn expiry_from_the_answer_or_fifteen_minutes() {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let life = |m: &Minted| m.expires - m.minted;
        let m = Minted::new(Secret::new("t"), Some(now.as_secs() + 60));
        assert!(life(&m) <= Duration::from_secs(60) && life(&m) >= Duration::from_secs(58));
        for expires in [None, Some(900), Some(0)] {
            let m = Minted::new(Secret::new("t"), expires);
            assert_eq!(life(&m), DEFAULT_LIFETIME, "{expires:?}");
        }
    }
}
