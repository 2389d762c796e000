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
    #[serde(default)]
    url: Option<String>,
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
        .map(|f| {
            let sha256 = f.hashes.get("sha256").map(|h| h.to_ascii_lowercase());
            // Only without a sha256: another digest the index gives.
            let other_hash = (f.hashes.iter())
                .find(|_| sha256.is_none())
                .map(|(name, hex)| (name.to_ascii_lowercase(), hex.to_ascii_lowercase()));
            IndexFile {
                filename: f.filename,
                sha256,
                other_hash,
                href: f.url,
            }
        })
        .collect())
}

/// A PEP 503 project page: every `<a>`, its text as the file name (else the
/// last path segment of its `href`), the digest from its fragment
/// (`#sha256=…`, or `#md5=…` and the like), the `href` without it.
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
            let hash = (fragment.split_once('='))
                .filter(|(_, hex)| !hex.is_empty())
                .map(|(name, hex)| (name.to_ascii_lowercase(), hex.to_ascii_lowercase()));
            let (sha256, other_hash) = match hash {
                Some((name, hex)) if name == "sha256" => (Some(hex), None),
                other => (None, other),
            };
            (!filename.is_empty()).then(|| IndexFile {
                filename,
                sha256,
                other_hash,
                href: Some(path.to_string()).filter(|p| !p.is_empty()),
            })
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
