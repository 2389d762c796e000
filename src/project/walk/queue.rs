//! A work queue for listing folders on several threads. Each worker keeps the
//! jobs it finds on a stack of its own and shares them only while another
//! worker waits for work, so the lock is taken about once per idle worker, not
//! once per folder. The workers stop when no job is left and none is running,
//! or at the first failure.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Jobs of type `J` shared by the workers; the first error of type `E` ends the work.
pub struct Queue<J, E> {
    state: Mutex<State<J, E>>,
    wake: Condvar,
    /// Workers waiting for a job (read without the lock, as a hint to share).
    waiting: AtomicUsize,
}

struct State<J, E> {
    jobs: Vec<J>,
    /// Workers holding a job (running it or with jobs on their own stack).
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
            waiting: AtomicUsize::new(0),
        }
    }

    /// One worker: runs jobs until the queue is done, collecting into a `T` of its own.
    pub fn work<T: Default>(&self, run: impl Fn(J, &mut T) -> Result<Vec<J>, E>) -> T {
        let mut out = T::default();
        let mut own: Vec<J> = Vec::new();
        let mut holding = false;
        loop {
            let job = match own.pop() {
                Some(job) => job,
                None => match self.next(holding) {
                    Some(job) => job,
                    None => return out,
                },
            };
            holding = true;
            match run(job, &mut out) {
                Ok(jobs) => own.extend(jobs),
                Err(e) => {
                    let mut state = self.lock();
                    state.failure.get_or_insert(e);
                    drop(state);
                    self.wake.notify_all();
                    return out;
                }
            }
            if own.len() > 1 && self.waiting.load(Ordering::Relaxed) > 0 {
                self.share(&mut own);
            }
        }
    }

    /// The first error any job returned.
    pub fn into_failure(self) -> Option<E> {
        self.state
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .failure
    }

    /// Half of `own` to the shared jobs, for the workers that wait.
    fn share(&self, own: &mut Vec<J>) {
        let half = own.len() / 2;
        let mut state = self.lock();
        state.jobs.extend(own.drain(..half));
        drop(state);
        self.wake.notify_all();
    }

    /// A shared job, waiting while other workers may still share one; `None`
    /// when all the work is done or failed. `holding`: this worker held jobs
    /// until now.
    fn next(&self, holding: bool) -> Option<J> {
        let mut state = self.lock();
        if holding {
            state.running -= 1;
        }
        loop {
            if state.failure.is_some() {
                return None;
            }
            if let Some(job) = state.jobs.pop() {
                state.running += 1;
                return Some(job);
            }
            if state.running == 0 {
                drop(state);
                self.wake.notify_all();
                return None;
            }
            self.waiting.fetch_add(1, Ordering::Relaxed);
            state = self.wake.wait(state).unwrap_or_else(|e| e.into_inner());
            self.waiting.fetch_sub(1, Ordering::Relaxed);
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<J, E>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::Queue;

    /// A tree of jobs: job n spawns n-1 jobs of n-1; every job runs once.
    #[test]
    fn every_job_runs_once_on_any_number_of_workers() {
        for workers in 1..=4 {
            let queue: Queue<u32, ()> = Queue::new(vec![7]);
            let total: u64 = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..workers)
                    .map(|_| {
                        scope.spawn(|| {
                            queue.work(|n: u32, count: &mut u64| {
                                *count += 1;
                                Ok((0..n.saturating_sub(1)).map(|_| n - 1).collect())
                            })
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).sum()
            });
            // f(n) = 1 + (n-1) f(n-1), f(1) = 1: f(7) = 1957.
            assert_eq!(total, 1957, "{workers} workers");
        }
    }

    #[test]
    fn the_first_failure_stops_every_worker() {
        let queue: Queue<u32, String> = Queue::new(vec![0]);
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    queue.work(|n: u32, _: &mut ()| match n {
                        50 => Err(format!("job {n}")),
                        n => Ok(vec![n + 1, n + 1]),
                    })
                });
            }
        });
        assert_eq!(queue.into_failure(), Some("job 50".to_string()));
    }
}
