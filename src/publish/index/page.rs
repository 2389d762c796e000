//! A project's page on a simple index: the JSON form of PEP 691 and the
//! HTML form of PEP 503 read into the files they list.

use super::IndexFile;
use crate::publish::url::percent_decode;
use regex::Regex;
use std::sync::OnceLock;

#[derive(serde::Deserialize)]
struct JsonPage {
    files: Vec<JsonFile>,
}

#[derive(serde::Deserialize)]
struct JsonFile {
    filename: String,
    #[serde(default)]
    hashes: std::collections::BTreeMap<String, String>,
}

/// A PEP 691 project page.
pub fn parse_json(text: &str) -> Result<Vec<IndexFile>, String> {
    let page: JsonPage = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(page
        .files
        .into_iter()
        .map(|f| IndexFile {
            sha256: f.hashes.get("sha256").map(|h| h.to_ascii_lowercase()),
            filename: f.filename,
        })
        .collect())
}

/// A PEP 503 project page: every `<a>`, its text as the file name (else the
/// last path segment of its `href`), the sha256 from a `#sha256=` fragment.
pub fn parse_html(text: &str) -> Vec<IndexFile> {
    static ANCHOR: OnceLock<Regex> = OnceLock::new();
    let anchor = ANCHOR.get_or_init(|| {
        Regex::new(r#"(?is)<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>(.*?)</a\s*>"#)
            .expect("valid regex")
    });
    anchor
        .captures_iter(text)
        .filter_map(|c| {
            let href = unescape(c.get(1).or(c.get(2)).map_or("", |m| m.as_str()));
            let label = unescape(c.get(3).map_or("", |m| m.as_str()).trim());
            let (path, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let from_href = path.split('?').next().unwrap_or("").rsplit('/').next();
            let filename = if label.is_empty() {
                percent_decode(from_href.unwrap_or(""))
            } else {
                label.clone()
            };
            let sha256 = fragment
                .strip_prefix("sha256=")
                .map(|h| h.to_ascii_lowercase());
            (!filename.is_empty()).then_some(IndexFile { filename, sha256 })
        })
        .collect()
}

/// `&lt;` and the other entities an index page or error page may hold, decoded.
pub(crate) fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_page_of_pypiserver_and_warehouse() {
        let page = r#"<!DOCTYPE html><html><body><h1>Links for demo</h1>
            <a href="/packages/demo-1.0.tar.gz#sha256=ABCDEF">demo-1.0.tar.gz</a><br>
            <a data-requires-python="&gt;=3.9" href='../../packages/aa/bb/demo_pkg-1.0-py3-none-any.whl#sha256=0123'>
              demo_pkg-1.0-py3-none-any.whl</a>
            <a href="https://files.example/demo_pkg-1.0%2Bx-py3-none-any.whl"></a>
            <a href="/packages/demo-0.9.tar.gz#md5=ff">demo-0.9.tar.gz</a>
        </body></html>"#;
        assert_eq!(
            parse_html(page),
            vec![
                IndexFile {
                    filename: "demo-1.0.tar.gz".into(),
                    sha256: Some("abcdef".into())
                },
                IndexFile {
                    filename: "demo_pkg-1.0-py3-none-any.whl".into(),
                    sha256: Some("0123".into())
                },
                IndexFile {
                    filename: "demo_pkg-1.0+x-py3-none-any.whl".into(),
                    sha256: None
                },
                IndexFile {
                    filename: "demo-0.9.tar.gz".into(),
                    sha256: None
                },
            ]
        );
    }

    #[test]
    fn json_page() {
        let page = r#"{"meta":{"api-version":"1.1"},"name":"demo","files":[
            {"filename":"demo-1.0.tar.gz","url":"x","hashes":{"sha256":"AB","blake2b_256":"cd"}},
            {"filename":"demo-0.1.tar.gz","url":"y","hashes":{}}]}"#;
        assert_eq!(
            parse_json(page).unwrap(),
            vec![
                IndexFile {
                    filename: "demo-1.0.tar.gz".into(),
                    sha256: Some("ab".into())
                },
                IndexFile {
                    filename: "demo-0.1.tar.gz".into(),
                    sha256: None
                },
            ]
        );
        assert!(parse_json("{\"projects\":[]}").is_err());
    }
}
