//! One home for index URLs: the built-in PyPI and TestPyPI addresses, the
//! percent codec, origin comparison, and hiding the user information of URLs
//! in anything shown to people: [`DisplaySafeUrl`] for parsed URLs,
//! [`redact_url`] for free text.

use reqwest::Url;
use std::fmt;

/// What every hidden value is replaced with.
pub const MASK: &str = "***";

pub const PYPI_UPLOAD: &str = "https://upload.pypi.org/legacy/";
pub const PYPI_INDEX: &str = "https://pypi.org/simple/";
pub const TESTPYPI_UPLOAD: &str = "https://test.pypi.org/legacy/";
pub const TESTPYPI_INDEX: &str = "https://test.pypi.org/simple/";

/// A parsed URL whose `Display` and `Debug` never show its user information
/// (`https://***@host/…`, as [`redact_url`] writes it). `Deref` gives the
/// [`Url`] itself, credentials and all, for the request that needs them.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DisplaySafeUrl(Url);

/// Why text is not a URL.
pub type ParseError = <Url as std::str::FromStr>::Err;

impl DisplaySafeUrl {
    pub fn parse(text: &str) -> Result<DisplaySafeUrl, ParseError> {
        Url::parse(text).map(DisplaySafeUrl)
    }

    /// The same URL without user name and password.
    pub fn without_credentials(&self) -> DisplaySafeUrl {
        let mut url = self.0.clone();
        let _ = url.set_username("");
        let _ = url.set_password(None);
        DisplaySafeUrl(url)
    }

    /// The percent-decoded user name and password, when the URL holds either.
    pub fn credentials(&self) -> Option<(String, String)> {
        let (user, password) = (self.0.username(), self.0.password());
        let given = !user.is_empty() || password.is_some();
        given.then(|| (percent_decode(user), percent_decode(password.unwrap_or(""))))
    }
}

impl From<Url> for DisplaySafeUrl {
    fn from(url: Url) -> DisplaySafeUrl {
        DisplaySafeUrl(url)
    }
}

impl std::str::FromStr for DisplaySafeUrl {
    type Err = ParseError;
    fn from_str(text: &str) -> Result<DisplaySafeUrl, ParseError> {
        DisplaySafeUrl::parse(text)
    }
}

impl std::ops::Deref for DisplaySafeUrl {
    type Target = Url;
    fn deref(&self) -> &Url {
        &self.0
    }
}

impl fmt::Display for DisplaySafeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(self.0.as_str()))
    }
}

impl fmt::Debug for DisplaySafeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

impl PartialEq<str> for DisplaySafeUrl {
    fn eq(&self, other: &str) -> bool {
        self.0.as_str() == other
    }
}

impl PartialEq<&str> for DisplaySafeUrl {
    fn eq(&self, other: &&str) -> bool {
        self.0.as_str() == *other
    }
}

/// `https://user:pass@host/x` -> `https://***@host/x`; other text unchanged.
///
/// Works on a single URL or on free text holding URLs: every `scheme://` is
/// followed and its user information (up to the last `@` of the authority)
/// replaced with `***`. A password holding an unescaped `/` still counts as
/// user information when the part before the `@` has a `:` (`user:pa/ss@host`),
/// so a malformed URL errs towards hiding too much.
pub fn redact_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(pos) = rest.find("://") {
        let (head, tail) = rest.split_at(pos + 3);
        out.push_str(head);
        if !ends_with_scheme(&head[..pos]) {
            rest = tail;
            continue;
        }
        let token_end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .unwrap_or(tail.len());
        let token = &tail[..token_end];
        match userinfo_end(token) {
            Some(at) => {
                out.push_str(MASK);
                rest = &tail[at..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// Whether `text` ends with a URL scheme (`https`, `git+https`, …).
fn ends_with_scheme(text: &str) -> bool {
    let scheme_start = text
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .map_or(0, |i| i + 1);
    let scheme = &text[scheme_start..];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Byte offset of the `@` ending the user information of `after_scheme`, if any.
fn userinfo_end(after_scheme: &str) -> Option<usize> {
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    if let Some(at) = after_scheme[..authority_end].rfind('@') {
        return Some(at);
    }
    // `user:pa/ss@host`: an unescaped `/` in the password.
    let before_query = after_scheme.find(['?', '#']).unwrap_or(after_scheme.len());
    let at = after_scheme[..before_query].rfind('@')?;
    after_scheme[..authority_end].contains(':').then_some(at)
}

/// The simple index beside an upload URL, as the common layouts place it:
/// `…/legacy/` -> `…/simple/` (Warehouse: PyPI, TestPyPI), else `simple/`
/// appended (pypiserver `http://host/` -> `http://host/simple/`; Artifactory
/// `…/api/pypi/REPO` -> `…/api/pypi/REPO/simple/`; Nexus `…/repository/NAME/`
/// -> `…/repository/NAME/simple/`; GitLab `…/api/v4/projects/ID/packages/pypi`
/// -> `…/packages/pypi/simple/`; Gitea `…/api/packages/OWNER/pypi` ->
/// `…/pypi/simple/`; AWS CodeArtifact `…/pypi/REPO/` -> `…/pypi/REPO/simple/`).
/// Query and fragment are dropped.
pub fn derived_index(upload: &Url) -> DisplaySafeUrl {
    let path = upload.path();
    let base = path.strip_suffix("legacy/").unwrap_or(path);
    beside(upload, &format!("{}/simple/", base.trim_end_matches('/')))
}

/// Where the simple index of an upload URL may be, most likely first:
/// [`derived_index`], then (unless it is Warehouse's `…/legacy/`) devpi's
/// `…/+simple/`: devpi takes uploads at `http://host/USER/INDEX/` and serves
/// the index at `…/USER/INDEX/+simple/`.
pub fn index_candidates(upload: &Url) -> Vec<DisplaySafeUrl> {
    let path = upload.path().trim_end_matches('/');
    let mut candidates = vec![derived_index(upload)];
    if !path.ends_with("/legacy") {
        candidates.push(beside(upload, &format!("{path}/+simple/")));
    }
    candidates
}

fn beside(url: &Url, path: &str) -> DisplaySafeUrl {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.set_path(path);
    url.into()
}

/// Same scheme, host and port.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; invalid escapes stay as they are.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derived(upload: &str) -> String {
        derived_index(&Url::parse(upload).unwrap()).to_string()
    }

    #[test]
    fn the_simple_index_of_each_layout() {
        let cases = [
            (
                "https://upload.example.org/legacy/",
                "https://upload.example.org/simple/",
            ),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/simple/"),
            (
                "https://a.jfrog.io/artifactory/api/pypi/pypi-local",
                "https://a.jfrog.io/artifactory/api/pypi/pypi-local/simple/",
            ),
            (
                "https://nexus.example.org/repository/pypi-hosted/",
                "https://nexus.example.org/repository/pypi-hosted/simple/",
            ),
            (
                "https://gitlab.example.com/api/v4/projects/42/packages/pypi",
                "https://gitlab.example.com/api/v4/projects/42/packages/pypi/simple/",
            ),
            (
                "https://gitea.example.com/api/packages/alice/pypi",
                "https://gitea.example.com/api/packages/alice/pypi/simple/",
            ),
            (
                "https://dom-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/repo/",
                "https://dom-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/repo/simple/",
            ),
        ];
        for (upload, index) in cases {
            assert_eq!(derived(upload), index, "{upload}");
        }
    }

    #[test]
    fn devpi_is_the_second_candidate() {
        let upload = Url::parse("https://devpi.example.org/alice/dev/?x=1").unwrap();
        let found: Vec<String> = index_candidates(&upload)
            .iter()
            .map(|u| u.to_string())
            .collect();
        assert_eq!(
            found,
            [
                "https://devpi.example.org/alice/dev/simple/",
                "https://devpi.example.org/alice/dev/+simple/"
            ]
        );
        let warehouse = Url::parse("https://upload.example.org/legacy/").unwrap();
        assert_eq!(index_candidates(&warehouse).len(), 1);
    }
}
