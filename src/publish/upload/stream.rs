//! The request body of an upload, read from disk as it goes out: a
//! fixed-size reader of the file that reports the bytes read so far (on a
//! channel: the body must be `'static`) and notices a file that changed size
//! since it was hashed; the whole form as a streamed HTTP body of known
//! length; and [`Activity`], when bytes last moved, for the no-progress timeout.

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Progress is reported after at least this many bytes (and at the end).
const REPORT_EVERY: u64 = 256 * 1024;

/// Reads exactly `size` bytes of `file` from its start (positioned reads:
/// the handle is shared), or fails.
pub(crate) struct FileBody {
    file: Arc<File>,
    size: u64,
    read: u64,
    reported: u64,
    sent: Sender<u64>,
    /// Set when reading failed on our side (not the network's).
    failure: Arc<Mutex<Option<String>>>,
}

impl FileBody {
    pub(crate) fn new(
        file: Arc<File>,
        size: u64,
        sent: Sender<u64>,
    ) -> (FileBody, Arc<Mutex<Option<String>>>) {
        let failure = Arc::new(Mutex::new(None));
        let body = FileBody {
            file,
            size,
            read: 0,
            reported: 0,
            sent,
            failure: failure.clone(),
        };
        (body, failure)
    }

    fn fail(&self, why: String) -> io::Error {
        *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(why.clone());
        io::Error::other(why)
    }

    fn report(&mut self) {
        if self.read - self.reported >= REPORT_EVERY || self.read == self.size {
            self.reported = self.read;
            // Nobody listens any more only when the attempt is over.
            let _ = self.sent.send(self.read);
        }
    }
}

impl Read for FileBody {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let remaining = self.size - self.read;
        if remaining == 0 {
            // The file must end where it ended when it was hashed.
            let mut probe = [0u8; 1];
            return match self.file.read_at(&mut probe, self.read) {
                Ok(0) => Ok(0),
                Ok(_) => Err(self.fail("the file grew since it was hashed".into())),
                Err(e) => Err(self.fail(format!("cannot read it: {e}"))),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let n = loop {
            match self.file.read_at(&mut buf[..want], self.read) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.fail(format!("cannot read it: {e}"))),
                Ok(n) => break n,
            }
        };
        if n == 0 && want > 0 {
            return Err(self.fail("the file shrank since it was hashed".into()));
        }
        self.read += n as u64;
        self.report();
        Ok(n)
    }
}

/// When bytes last moved in either direction, shared by the body, the
/// answer's reader and the watchdog that ends a request without progress.
#[derive(Clone)]
pub(crate) struct Activity {
    start: Instant,
    /// Milliseconds after `start`.
    last: Arc<AtomicU64>,
}

impl Activity {
    pub(crate) fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Bytes moved just now.
    pub(crate) fn touch(&self) {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.fetch_max(now, Ordering::Relaxed);
    }

    /// When bytes last moved.
    pub(crate) fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last.load(Ordering::Relaxed))
    }
}

/// Chunks handed to the connection at a time.
const CHUNK: usize = 64 * 1024;

/// A reader of exactly `length` bytes as an HTTP body: each chunk handed to
/// the connection counts as progress, and `sent` says how far it got.
pub(crate) struct StreamBody {
    reader: Mutex<Box<dyn Read + Send>>,
    left: u64,
    activity: Activity,
    sent: Arc<AtomicU64>,
}

impl StreamBody {
    pub(crate) fn new(
        reader: impl Read + Send + 'static,
        length: u64,
        activity: Activity,
        sent: Arc<AtomicU64>,
    ) -> StreamBody {
        StreamBody {
            reader: Mutex::new(Box::new(reader)),
            left: length,
            activity,
            sent,
        }
    }
}

impl Body for StreamBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let want = usize::try_from(self.left).unwrap_or(CHUNK).min(CHUNK);
        let mut buf = vec![0u8; want];
        // A local file (or form text in memory): reads that do not wait on the network.
        let read = loop {
            let mut reader = self.reader.lock().unwrap_or_else(|p| p.into_inner());
            match reader.read(&mut buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        let n = match read {
            Ok(0) => return Poll::Ready(Some(Err(io::Error::other("the body ended early")))),
            Ok(n) => n,
            Err(e) => return Poll::Ready(Some(Err(e))),
        };
        buf.truncate(n);
        self.left -= n as u64;
        self.sent.fetch_add(n as u64, Ordering::Relaxed);
        self.activity.touch();
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(buf)))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> Arc<File> {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(bytes).unwrap();
        Arc::new(f)
    }

    #[test]
    fn reads_exactly_the_size_and_reports_progress() {
        let data = vec![1u8; 600 * 1024];
        let (tx, rx) = std::sync::mpsc::channel();
        let (mut body, failure) = FileBody::new(file_with(&data), data.len() as u64, tx);
        let mut out = Vec::new();
        body.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        assert!(failure.lock().unwrap().is_none());
        drop(body);
        let sent: Vec<u64> = rx.try_iter().collect();
        assert_eq!(sent.last(), Some(&(data.len() as u64)));
        assert!(sent.windows(2).all(|w| w[0] < w[1]));
        assert!(sent.len() >= 2 && sent.len() <= 4, "{sent:?}");
    }

    #[test]
    fn a_file_that_changed_size_is_an_error() {
        let (tx, _rx) = std::sync::mpsc::channel();
        let (mut body, failure) = FileBody::new(file_with(b"abcd"), 3, tx.clone());
        assert!(body.read_to_end(&mut Vec::new()).is_err());
        assert!(failure.lock().unwrap().as_deref().unwrap().contains("grew"));
        let (mut body, failure) = FileBody::new(file_with(b"ab"), 3, tx);
        assert!(body.read_to_end(&mut Vec::new()).is_err());
        assert!(failure
            .lock()
            .unwrap()
            .as_deref()
            .unwrap()
            .contains("shrank"));
    }
}
