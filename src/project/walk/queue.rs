//! A work queue for listing folders on several threads: each job may add
//! more jobs, and the workers stop when no job is left and none is running,
//! or at the first failure.

use std::sync::{Condvar, Mutex, MutexGuard};

/// Jobs of type `J` shared by the workers; the first error of type `E` ends the work.
pub struct Queue<J, E> {
    state: Mutex<State<J, E>>,
    wake: Condvar,
}

struct State<J, E> {
    jobs: Vec<J>,
    running: usize,
    failure: Option<E>,
}

impl<J, E> Queue<J, E> {
    pub fn new(jobs: Vec<J>) -> Queue<J, E> {
        Queue {
            state: Mutex::new(State {
                jobs,
                running: 0,
                failure: None,
            }),
            wake: Condvar::new(),
        }
    }

    /// One worker: runs jobs until the queue is done, collecting into a `T` of its own.
    pub fn work<T: Default>(&self, run: impl Fn(J, &mut T) -> Result<Vec<J>, E>) -> T {
        let mut out = T::default();
        while let Some(job) = self.next() {
            let result = run(job, &mut out);
            let mut state = self.lock();
            state.running -= 1;
            match result {
                Ok(jobs) => state.jobs.extend(jobs),
                Err(e) => {
                    state.failure.get_or_insert(e);
                }
            }
            drop(state);
            self.wake.notify_all();
        }
        out
    }

    /// The first error any job returned.
    pub fn into_failure(self) -> Option<E> {
        self.state
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .failure
    }

    fn next(&self) -> Option<J> {
        let mut state = self.lock();
        loop {
            if state.failure.is_some() {
                return None;
            }
            if let Some(job) = state.jobs.pop() {
                state.running += 1;
                return Some(job);
            }
            if state.running == 0 {
                return None;
            }
            state = self.wake.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<J, E>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
