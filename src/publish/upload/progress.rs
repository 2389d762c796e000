//! Progress events, carried from the threads that upload to one thread that
//! calls [`Progress`]: the callbacks run one at a time, in order for each file,
//! and the request body (which must be `'static`) can report bytes sent.

use super::{Outcome, Progress};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

pub(crate) enum Event {
    Started(Arc<str>, u64),
    Sent(Arc<str>, u64),
    Retrying(Arc<str>, u32, String),
    Finished(Arc<str>, Outcome),
    /// Answered once every earlier event has been handed to [`Progress`].
    Flush(Sender<()>),
    Close,
}

/// The sending side; cheap to clone.
#[derive(Clone)]
pub(crate) struct Events(Sender<Event>);

impl Events {
    pub(crate) fn channel() -> (Events, Receiver<Event>) {
        let (tx, rx) = mpsc::channel();
        (Events(tx), rx)
    }

    pub(crate) fn send(&self, event: Event) {
        // The relay is gone only when a callback panicked; the upload goes on.
        let _ = self.0.send(event);
    }

    /// Waits until the callbacks for every event sent so far have returned.
    pub(crate) fn flush(&self) {
        let (tx, rx) = mpsc::channel();
        self.send(Event::Flush(tx));
        let _ = rx.recv();
    }

    pub(crate) fn close(&self) {
        self.send(Event::Close);
    }
}

/// Sends [`Event::Close`] when dropped.
pub(crate) struct CloseOnDrop<'a>(pub(crate) &'a Events);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Calls `progress` for each event until [`Event::Close`].
pub(crate) fn relay(progress: &dyn Progress, events: Receiver<Event>) {
    for event in events {
        match event {
            Event::Started(file, size) => progress.started(&file, size),
            Event::Sent(file, bytes) => progress.sent(&file, bytes),
            Event::Retrying(file, attempt, reason) => progress.retrying(&file, attempt, &reason),
            Event::Finished(file, outcome) => progress.finished(&file, &outcome),
            Event::Flush(done) => {
                let _ = done.send(());
            }
            Event::Close => break,
        }
    }
}
