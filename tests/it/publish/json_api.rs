//! Warehouse's JSON API as a release reads it: the first upload time of a
//! version, against a stand-in for PyPI's JSON API on 127.0.0.1 (not PyPI: a
//! few lines of HTTP answering one path), and the 14-day window.

use cargo_pypi::publish::index::{self, json_api};
use reqwest::Url;
use std::io::Write;
use std::net::TcpListener;
use time::{Duration, OffsetDateTime};

/// Serves `body` at `/pypi/bintool/0.2.1/json` and 404 elsewhere; its base URL.
pub fn stand_in(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(request) = crate::support::http::read_request(&mut stream) else {
                continue;
            };
            let (status, body) = match request.target.as_str() {
                "/pypi/bintool/0.2.1/json" => ("200 OK", body),
                _ => ("404 Not Found", "{}"),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

pub const TWO_FILES: &str = r#"{"info": {"name": "bintool"}, "urls": [
  {"filename": "bintool-0.2.1.tar.gz", "upload_time_iso_8601": "2026-11-02T10:00:00.123456Z"},
  {"filename": "bintool-0.2.1-py3-none-any.whl", "upload_time_iso_8601": "2026-11-01T09:30:00.000001Z"}
]}"#;

#[test]
fn the_first_upload_is_the_earliest_file_and_closes_after_14_days() {
    let base = stand_in(TWO_FILES);
    let client = index::client(std::time::Duration::from_secs(10)).unwrap();
    let index_url = Url::parse(&format!("{base}/simple/")).unwrap();
    let first = json_api::first_upload(&client, &index_url, "BinTool", "0.2.1")
        .unwrap()
        .expect("a first upload");
    assert_eq!(first.date().to_string(), "2026-11-01");
    assert_eq!(
        json_api::window_closed(first, first + Duration::days(13)),
        None
    );
    assert_eq!(
        json_api::window_closed(first, first + Duration::days(15)).as_deref(),
        Some("2026-11-01")
    );
    // A version with no files, or an index without the API: nothing to say.
    let none = json_api::first_upload(&client, &index_url, "bintool", "0.3.0").unwrap();
    assert_eq!(none, None);
    assert!(OffsetDateTime::now_utc() > first);
}
