//! A stand-in for GitHub's REST API, not GitHub itself: a small HTTP/1.1
//! server on 127.0.0.1 that keeps releases, their assets and the repository's
//! tags in memory, answers the routes a release uses as GitHub documents them
//! (drafts only in the listing, `upload_url` as a `{?name,label}` template,
//! 422 for a second release of a tag, 401 for another token), can be told to
//! fail a request, and records every request.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// The one token the stand-in accepts.
pub const TOKEN: &str = "ghp_standInToken0123456789abcdefABCDEF";
/// The one repository it holds.
pub const REPO: &str = "octo/demo";

/// One request as the stand-in saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// `POST /repos/octo/demo/releases`, for order checks.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path())
    }
}

#[derive(Debug, Clone)]
pub struct Release {
    pub id: u64,
    pub tag: String,
    pub draft: bool,
    pub name: String,
    pub body: String,
    pub prerelease: bool,
    pub assets: Vec<Asset>,
}

#[derive(Debug, Clone)]
pub struct Asset {
    pub id: u64,
    pub name: String,
    pub bytes: Vec<u8>,
    /// `uploaded`, or `starter` for an upload that broke off.
    pub state: String,
}

/// A request to fail: of the requests whose method is `method` and whose
/// path ends with `path_end`, the first `pass` are served, the next `times`
/// get `status` and `body`; `{auth}` in the body is replaced with the
/// request's `Authorization` header, as a careless proxy might echo it.
#[derive(Debug, Clone)]
pub struct Fault {
    pub method: &'static str,
    pub path_end: String,
    pub pass: usize,
    pub times: usize,
    pub status: u16,
    pub body: String,
    /// Extra header lines of the answer, each ending with `\r\n`.
    pub headers: String,
}

#[derive(Default)]
pub struct State {
    pub seen: Vec<Seen>,
    pub releases: Vec<Release>,
    /// Tags pushed to the repository.
    pub tags: Vec<String>,
    pub faults: Vec<Fault>,
    next_id: u64,
}

impl State {
    pub fn add_release(&mut self, tag: &str, draft: bool, assets: &[(&str, &[u8], &str)]) -> u64 {
        let id = self.new_id();
        let assets = assets
            .iter()
            .map(|(name, bytes, state)| Asset {
                id: self.new_id(),
                name: name.to_string(),
                bytes: bytes.to_vec(),
                state: state.to_string(),
            })
            .collect();
        self.releases.push(Release {
            id,
            tag: tag.into(),
            draft,
            name: tag.into(),
            body: "notes from before".into(),
            prerelease: false,
            assets,
        });
        id
    }

    /// A fresh id for a release or an asset.
    pub fn new_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

pub struct StandIn {
    pub base: String,
    pub state: Arc<Mutex<State>>,
}

impl StandIn {
    /// Serves until the test process ends; the repository has the tags `tags`.
    pub fn start(tags: &[&str]) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            tags: tags.iter().map(|t| t.to_string()).collect(),
            next_id: 100,
            ..State::default()
        }));
        let (shared, base2) = (state.clone(), base.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (shared, base) = (shared.clone(), base2.clone());
                std::thread::spawn(move || serve(stream, &shared, &base));
            }
        });
        StandIn { base, state }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// `METHOD /path` of every request, in order.
    pub fn lines(&self) -> Vec<String> {
        self.seen().iter().map(Seen::line).collect()
    }

    pub fn releases(&self) -> Vec<Release> {
        self.state.lock().unwrap().releases.clone()
    }

    /// Every `method` request to a path ending with `path_end` gets `status` and `body`.
    pub fn fail(&self, method: &'static str, path_end: &str, status: u16, body: &str) {
        self.fail_after(0, method, path_end, status, body);
    }

    /// The first `pass` such requests are served and the next one fails;
    /// with `pass` 0, every one fails.
    pub fn fail_after(
        &self,
        pass: usize,
        method: &'static str,
        path_end: &str,
        status: u16,
        body: &str,
    ) {
        self.state.lock().unwrap().faults.push(Fault {
            method,
            path_end: path_end.into(),
            pass,
            times: if pass == 0 { usize::MAX } else { 1 },
            status,
            body: body.into(),
            headers: String::new(),
        });
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<State>, base: &str) {
    let Some(seen) = read_request(&mut stream) else {
        return;
    };
    let (status, body, extra) = {
        let mut state = state.lock().unwrap();
        state.seen.push(seen.clone());
        answer(&mut state, &seen, base)
    };
    let reply = format!(
        "HTTP/1.1 {status} STAND-IN\r\nContent-Type: application/json; charset=utf-8\r\n\
         {extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

/// The status, body and extra header lines of the answer to `seen`.
fn answer(state: &mut State, seen: &Seen, base: &str) -> (u16, String, String) {
    let auth = seen.header("authorization").unwrap_or("").to_owned();
    let fault = state.faults.iter_mut().find(|f| {
        f.times > 0 && f.method == seen.method && seen.path().ends_with(f.path_end.as_str())
    });
    if let Some(fault) = fault {
        if fault.pass > 0 {
            fault.pass -= 1;
        } else {
            fault.times -= 1;
            let body = fault.body.replace("{auth}", &auth);
            return (fault.status, body, fault.headers.clone());
        }
    }
    if auth != format!("Bearer {TOKEN}") {
        let body = r#"{"message":"Bad credentials","status":"401"}"#;
        return (401, body.into(), String::new());
    }
    let (status, body) = super::routes::route(state, seen, base);
    (status, body, String::new())
}

fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let raw = crate::support::http::read_request(stream)?;
    Some(Seen {
        method: raw.method,
        target: raw.target,
        headers: raw.headers,
        body: raw.body,
    })
}

/// An asset as GitHub shows it, with its `digest`.
pub fn asset_json(asset: &Asset) -> serde_json::Value {
    let digest: String = Sha256::digest(&asset.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    serde_json::json!({
        "id": asset.id,
        "name": asset.name,
        "size": asset.bytes.len(),
        "state": asset.state,
        "content_type": "application/octet-stream",
        "digest": format!("sha256:{digest}"),
    })
}
