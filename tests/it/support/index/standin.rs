//! A stand-in index on loopback for faults a real server cannot be made to
//! show: it accepts connections and, as the test's script says, answers a
//! request or holds it open without a word (a hung index or listing).

use crate::support::http::{read_request, Raw};
use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What the stand-in does with the n-th request (from 1): answer with a
/// status and a body, or `None`: hold the connection and never answer.
pub type Script = dyn Fn(&Raw, usize) -> Option<(u16, String)> + Send + Sync;

struct State {
    requests: AtomicUsize,
    seen: Mutex<Vec<String>>,
    held: Mutex<Vec<TcpStream>>,
    stop: AtomicBool,
}

/// A stand-in index: not a real server, only for hangs.
pub struct StandIn {
    pub port: u16,
    state: Arc<State>,
}

impl StandIn {
    /// Accepts every connection, reads nothing and never answers.
    pub fn silent() -> StandIn {
        StandIn::start(None)
    }

    /// Reads each request and does what `script` says.
    pub fn scripted(
        script: impl Fn(&Raw, usize) -> Option<(u16, String)> + Send + Sync + 'static,
    ) -> StandIn {
        StandIn::start(Some(Arc::new(script)))
    }

    fn start(script: Option<Arc<Script>>) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State {
            requests: AtomicUsize::new(0),
            seen: Mutex::new(Vec::new()),
            held: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (shared, script) = (shared.clone(), script.clone());
                std::thread::spawn(move || serve(&shared, script.as_deref(), stream));
            }
        });
        StandIn { port, state }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `METHOD path` of every request read so far.
    pub fn seen(&self) -> Vec<String> {
        self.state.seen.lock().unwrap().clone()
    }
}

fn serve(state: &State, script: Option<&Script>, mut stream: TcpStream) {
    let Some(script) = script else {
        state.held.lock().unwrap().push(stream);
        return;
    };
    while let Some(request) = read_request(&mut stream) {
        let n = state.requests.fetch_add(1, Ordering::SeqCst) + 1;
        (state.seen.lock().unwrap()).push(format!("{} {}", request.method, request.target));
        let Some((status, body)) = script(&request, n) else {
            state.held.lock().unwrap().push(stream);
            return;
        };
        let head = format!(
            "HTTP/1.1 {status} Stand-in\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(body.as_bytes()).is_err()
        {
            return;
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        for stream in self.state.held.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}
