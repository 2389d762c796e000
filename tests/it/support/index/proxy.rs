//! A fault-injecting HTTP proxy on loopback, put in front of pypiserver:
//! fails, rate-limits or delays uploads (and delays other requests) as told,
//! and records every request.

use cargo_pypi::publish::target::Target;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the proxy does to uploads (POSTs), counted from its start.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// The first N uploads get a 503 (their body read, not forwarded).
    pub fail_uploads: usize,
    /// The next N uploads get a 429 with `Retry-After: retry_after`.
    pub rate_limit_uploads: usize,
    pub retry_after: u64,
    /// The n-th forwarded upload gets its answer after `delays[n - 1]` (the
    /// index has the file by then); uploads past the list are not delayed.
    pub delays: Vec<Duration>,
    /// Upload bodies are read at most this many bytes a second (0: at once):
    /// a slow link that keeps moving.
    pub upload_rate: u64,
    /// Every other request (a GET) gets its answer after this: a far index.
    pub get_delay: Duration,
}

/// One request as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// Bodies of up to 4 MiB.
    pub body: Option<Vec<u8>>,
    pub status: u16,
    pub started: Instant,
    pub ended: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct ProxyState {
    upstream: u16,
    faults: Faults,
    uploads: AtomicUsize,
    forwarded_uploads: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    seen: Mutex<Vec<Seen>>,
    stop: AtomicBool,
}

/// A fault-injecting HTTP proxy on loopback in front of a server: one request
/// per connection, answered with `Connection: close`; it fails or delays
/// uploads as told and records every request.
pub struct FaultProxy {
    pub port: u16,
    state: Arc<ProxyState>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultProxy {
    pub fn start(upstream: u16, faults: Faults) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(ProxyState {
            upstream,
            faults,
            uploads: AtomicUsize::new(0),
            forwarded_uploads: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            seen: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let _ = handle(&shared, stream);
                });
            }
        });
        FaultProxy {
            port,
            state,
            thread: Some(thread),
        }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn target(&self) -> Target {
        super::target_at(&self.base())
    }

    /// Every request answered so far, in the order they came in.
    pub fn seen(&self) -> Vec<Seen> {
        let mut seen = self.state.seen.lock().unwrap().clone();
        seen.sort_by_key(|s| s.started);
        seen
    }

    pub fn posts(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == "POST")
            .collect()
    }

    pub fn gets(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == "GET")
            .collect()
    }

    /// Most uploads that were in the proxy at once.
    pub fn max_uploads_at_once(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

const KEEP_BODY: usize = 4 * 1024 * 1024;

fn handle(state: &ProxyState, client: TcpStream) -> std::io::Result<()> {
    let started = Instant::now();
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        head.push(String::from_utf8_lossy(&line).trim_end().to_string());
    }
    let Some(request_line) = head.first().cloned() else {
        return Ok(());
    };
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let headers: Vec<(String, String)> = head[1..]
        .iter()
        .filter_map(|h| h.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    // Counted from the request's head until its answer is ready.
    let in_flight = (method == "POST").then(|| InFlight::enter(state));
    let reply = answer(state, &method, &path, &headers, length, &mut reader)?;
    // Recorded before the client has its answer and can look.
    state.seen.lock().unwrap().push(Seen {
        method,
        path,
        headers,
        body: reply.body,
        status: reply.status,
        started,
        ended: Instant::now(),
    });
    drop(in_flight);
    // A client that gave up is not an error of the proxy.
    let _ = (&client).write_all(&reply.bytes);
    let _ = client.shutdown(Shutdown::Both);
    Ok(())
}

/// What the proxy answers: the bytes, their status, the request body kept.
struct Reply {
    status: u16,
    body: Option<Vec<u8>>,
    bytes: Vec<u8>,
}

fn answer(
    state: &ProxyState,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    length: usize,
    reader: &mut BufReader<TcpStream>,
) -> std::io::Result<Reply> {
    let f = &state.faults;
    if method == "POST" {
        let n = state.uploads.fetch_add(1, Ordering::SeqCst) + 1;
        let synthetic = if n <= f.fail_uploads {
            Some((503, "Service Unavailable", String::new()))
        } else if n <= f.fail_uploads + f.rate_limit_uploads {
            Some((
                429,
                "Too Many Requests",
                format!("Retry-After: {}\r\n", f.retry_after),
            ))
        } else {
            None
        };
        if let Some((code, reason, extra)) = synthetic {
            let body = read_body(reader, length, 0, &mut std::io::sink())?;
            let page = format!("<html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1><pre>injected by the test proxy</pre></body></html>");
            let bytes = format!(
                "HTTP/1.1 {code} {reason}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{page}",
                page.len()
            );
            return Ok(Reply {
                status: code,
                body,
                bytes: bytes.into_bytes(),
            });
        }
    }
    let mut upstream = TcpStream::connect(("127.0.0.1", state.upstream))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("connection") && !name.eq_ignore_ascii_case("keep-alive") {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    upstream.write_all(head.as_bytes())?;
    let rate = if method == "POST" { f.upload_rate } else { 0 };
    let body = read_body(reader, length, rate, &mut upstream)?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response)?;
    if method == "POST" {
        let forwarded = state.forwarded_uploads.fetch_add(1, Ordering::SeqCst);
        if let Some(delay) = f.delays.get(forwarded) {
            std::thread::sleep(*delay);
        }
    } else {
        std::thread::sleep(f.get_delay);
    }
    let status = String::from_utf8_lossy(&response[..response.len().min(64)])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Reply {
        status,
        body,
        bytes: response,
    })
}

/// One upload in the proxy, for the count of uploads at once.
struct InFlight<'a>(&'a ProxyState);

impl<'a> InFlight<'a> {
    fn enter(state: &'a ProxyState) -> InFlight<'a> {
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(state)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Copies `length` bytes of body to `to`, keeping them when small; at most
/// `rate` bytes a second when it is not 0.
fn read_body(
    reader: &mut BufReader<TcpStream>,
    length: usize,
    rate: u64,
    to: &mut dyn Write,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut kept = (length <= KEEP_BODY).then(Vec::new);
    let mut left = length;
    let mut buf = vec![0u8; 64 * 1024];
    let started = Instant::now();
    while left > 0 {
        if rate > 0 {
            let due = Duration::from_secs_f64((length - left) as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        let want = left.min(buf.len());
        let n = reader.read(&mut buf[..want])?;
        if n == 0 {
            break;
        }
        to.write_all(&buf[..n])?;
        if let Some(kept) = kept.as_mut() {
            kept.extend_from_slice(&buf[..n]);
        }
        left -= n;
    }
    Ok(kept)
}
