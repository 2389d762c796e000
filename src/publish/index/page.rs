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
    // Where it breaks, not serde's words: they may quote the index's text.
    let page: JsonPage = serde_json::from_str(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "unexpected content",
            serde_json::error::Category::Eof => "cut short",
            _ => "not JSON",
        };
        format!("{what} at line {} column {}", e.line(), e.column())
    })?;
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
