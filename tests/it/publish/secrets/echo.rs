//! A stand-in index, not a real one: a fault injector that answers every
//! upload with a failure whose body echoes the password it was sent (read
//! back from the `Authorization` header), in every form a server may use:
//! raw, HTML-escaped (named, decimal and hex entities), JSON-escaped (plain
//! and ASCII-only), percent-encoded (`%20` and `+`, upper and lower hex), the
//! Basic credentials in base64, and slices of it. Each form is written between
//! the markers `[pw:` and `]`, so a test can tell a masked echo (`[pw:***]`)
//! from the tool's own words.

use crate::support::http::read_request;
use base64::Engine;
use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// How a failure's body is written.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// PyPI's JSON error (`message`, `code`, `title`).
    Json,
    /// pypiserver's HTML error page (`<pre>`).
    Html,
    Text,
}

/// What the stand-in answers: the listing (`GET`; `None`: an empty one, 404)
/// and the n-th upload (the last answer repeats), each a status and how its
/// body is written.
#[derive(Debug, Clone)]
pub struct Script {
    pub listing: Option<(u16, Body)>,
    pub uploads: Vec<(u16, Body)>,
}

/// The stand-in; stops when dropped.
pub struct EchoIndex {
    pub port: u16,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl EchoIndex {
    pub fn start(script: Script) -> EchoIndex {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, halt) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let (script, count) = (script.clone(), count.clone());
                    std::thread::spawn(move || answer(stream, port, &script, &count));
                }
            }
        });
        EchoIndex {
            port,
            requests,
            stop,
        }
    }

    /// The upload URL (`http://127.0.0.1:PORT/`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Requests answered so far (listings and uploads).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for EchoIndex {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn answer(mut stream: TcpStream, port: u16, script: &Script, requests: &AtomicUsize) {
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let header = request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let basic = header.strip_prefix("Basic ").unwrap_or_default().to_owned();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&basic)
        .unwrap_or_default();
    let decoded = String::from_utf8_lossy(&decoded).into_owned();
    let (user, password) = decoded.split_once(':').unwrap_or(("", ""));
    let seen = requests.fetch_add(1, Ordering::SeqCst);
    let reply = match (request.method.as_str(), script.listing) {
        ("POST", _) => {
            // Every earlier request was an upload but the listing before the first.
            let n = seen.saturating_sub(1);
            let (status, body) = script.uploads[n.min(script.uploads.len() - 1)];
            failure(status, body, port, user, password, &basic)
        }
        (_, Some((status, body))) => failure(status, body, port, user, password, &basic),
        // An empty listing: nothing of the project is on the index yet.
        (_, None) => reply(404, "text/plain", "", "Not Found"),
    };
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.shutdown(Shutdown::Both);
}

fn failure(status: u16, body: Body, port: u16, user: &str, password: &str, basic: &str) -> String {
    let words = format!("Login failed for {user}: {}", marked(password, basic));
    let (content_type, page) = match body {
        Body::Json => (
            "application/json",
            serde_json::json!({
                "message": format!("The server could not comply with the request.\n\n{words}"),
                "code": format!("{status} {words}"),
                "title": "Error",
            })
            .to_string(),
        ),
        Body::Html => (
            "text/html",
            format!("<html><head><title>Error {status}</title></head><body><h1>Error {status}</h1><pre>{}</pre></body></html>", html_named(&words)),
        ),
        Body::Text => ("text/plain", format!("{words}\nsecond line\n")),
    };
    let mut extra = String::new();
    if (500..600).contains(&status) {
        extra.push_str("Retry-After: 0\r\n");
    }
    if (300..400).contains(&status) {
        extra.push_str(&format!(
            "Location: http://127.0.0.1:{port}/elsewhere/?user={user}&password={}&auth={basic}\r\n",
            percent(password, false, true)
        ));
    }
    reply(status, content_type, &extra, &page)
}

fn reply(status: u16, content_type: &str, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} Stand-in\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Every form of `password` between markers: `[pw:<form>] [pw:<form>] …`.
pub fn marked(password: &str, basic: &str) -> String {
    forms(password, basic)
        .iter()
        .map(|f| format!("[pw:{f}]"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every form of `password` a server may echo. Slices (of 8 characters and
/// more, raw and escaped) only when the password is longer than 8 characters.
pub fn forms(password: &str, basic: &str) -> Vec<String> {
    let engine = base64::engine::general_purpose::STANDARD;
    let mut forms = vec![
        password.to_owned(),
        html_named(password),
        html_numeric(password, false),
        html_numeric(password, true),
        json(password, false),
        json(password, true),
        percent(password, false, true),
        percent(password, true, false),
        basic.to_owned(),
        engine.encode(password),
    ];
    let chars: Vec<char> = password.chars().collect();
    if chars.len() > 8 {
        let n = chars.len();
        let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        let (head, tail, middle) = (slice(0, n - 1), slice(n - 8, n), slice(1, 9));
        forms.push(html_named(&head));
        forms.push(json(&tail, true));
        forms.push(middle);
        forms.push(basic[..basic.len() - 4].to_owned());
    }
    forms
}

/// `&amp; &lt; &gt; &quot; &#x27;` (Python's `html.escape`, Django).
pub fn html_named(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// Every character that is not a letter or digit as `&#38;` (or `&#x26;`).
pub fn html_numeric(text: &str, hex: bool) -> String {
    text.chars()
        .map(|c| match (c.is_ascii_alphanumeric(), hex) {
            (true, _) => c.to_string(),
            (false, false) => format!("&#{};", c as u32),
            (false, true) => format!("&#x{:X};", c as u32),
        })
        .collect()
}

/// A JSON string's inside: `\"` and `\\`; with `ascii`, also `\/`, `\u00e9`
/// and `<>&'` as `\u003c` (Flask's `tojson`).
pub fn json(text: &str, ascii: bool) -> String {
    text.chars()
        .map(|c| match c {
            '"' => "\\\"".to_owned(),
            '\\' => "\\\\".to_owned(),
            '/' if ascii => "\\/".to_owned(),
            '<' | '>' | '&' | '\'' if ascii => format!("\\u{:04x}", c as u32),
            c if ascii && !c.is_ascii() => format!("\\u{:04x}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// Percent-encoded UTF-8, space as `+` or `%20`.
pub fn percent(text: &str, lower: bool, plus: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b' ' if plus => out.push('+'),
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => out.push(b as char),
            b if lower => out.push_str(&format!("%{b:02x}")),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
