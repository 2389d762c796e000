//! A fake of GitHub's ID-token endpoint and PyPI's `/_/oidc/*` routes: a small
//! HTTP/1.1 server on 127.0.0.1 that records every request.

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap()
    }

    /// The whole request as text, for servers that echo it back.
    pub fn dump(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        format!(
            "{} {}\n{}\n\n{}",
            self.method,
            self.target,
            headers.join("\n"),
            self.body
        )
    }
}

pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }
}

type Handler = dyn Fn(&Request, &str) -> (u16, String) + Send + Sync;

/// Serves until the test process ends; `handler` gets the request and the base URL.
pub fn serve(handler: impl Fn(&Request, &str) -> (u16, String) + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let handler: Arc<Handler> = Arc::new(handler);
    let (seen2, base2) = (seen.clone(), base.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(request) = read_request(&mut stream) else {
                continue;
            };
            seen2.lock().unwrap().push(request.clone());
            let (status, body) = handler(&request, &base2);
            let reply = format!(
                "HTTP/1.1 {status} FAKE\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    Server { base, seen }
}

fn read_request(stream: &mut std::net::TcpStream) -> Option<Request> {
    let raw = crate::support::http::read_request(stream)?;
    Some(Request {
        method: raw.method,
        target: raw.target,
        headers: raw.headers,
        body: String::from_utf8_lossy(&raw.body).into_owned(),
    })
}
