//! Secrets that never reach output: a wrapper whose `Debug`/`Display` print
//! `***`, and redaction of credentials in URLs and free text.
//!
//! [`Secret`] is the only type that holds a token or password; everything that
//! is formatted for a human (errors, `Debug` of requests and targets) holds a
//! `Secret` or a URL passed through [`redact_url`]. Text that could echo a
//! request (an HTTP error body, a library's error message) goes through a
//! [`Redactor`] that knows every secret in play.

use base64::Engine;
use std::fmt;

/// What every hidden value is replaced with.
pub const MASK: &str = "***";

/// A token or password. Only [`Secret::expose`] gives the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that sends it (the Authorization header).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty (an unset CI secret often expands to "").
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Basic …` header value for `username` and this secret.
    pub fn basic_auth(&self, username: &str) -> String {
        format!("Basic {}", basic_credentials(username, &self.0))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// base64 of `username:password`, as in an HTTP Basic `Authorization` header.
fn basic_credentials(username: &str, password: &str) -> String {
    let engine = base64::engine::general_purpose::STANDARD;
    engine.encode(format!("{username}:{password}"))
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

/// A set of secret values, each replaced with `***` wherever it appears.
///
/// Besides each value it hides the forms a request would carry: its
/// percent-encoding (a URL or form body), its base64, and the base64 of
/// `__token__:<value>` and `<username>:<value>` (a Basic `Authorization` header).
/// [`Redactor::redact`] also hides user information in URLs.
#[derive(Clone, Default)]
pub struct Redactor {
    values: Vec<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} values)", self.values.len())
    }
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Adds `secret` (with `__token__` as the Basic-auth username).
    pub fn add(&mut self, secret: &Secret) {
        self.add_with_username("__token__", secret);
    }

    /// Adds `secret` and the Basic-auth form for `username` (and for `__token__`).
    pub fn add_with_username(&mut self, username: &str, secret: &Secret) {
        let value = secret.expose();
        if value.is_empty() {
            return;
        }
        let engine = base64::engine::general_purpose::STANDARD;
        let mut forms = vec![
            value.to_owned(),
            percent_encode(value),
            engine.encode(value),
            basic_credentials("__token__", value),
        ];
        if username != "__token__" {
            forms.push(basic_credentials(username, value));
        }
        // base64 without its padding, so `…==` is hidden when the padding is cut.
        let unpadded: Vec<String> = forms
            .iter()
            .filter(|f| f.ends_with('='))
            .map(|f| f.trim_end_matches('=').to_owned())
            .collect();
        forms.extend(unpadded);
        for form in forms {
            if !form.is_empty() && !self.values.contains(&form) {
                self.values.push(form);
            }
        }
        // Longest first, so a value inside a longer form is not cut in two.
        self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    }

    /// Builder form of [`Redactor::add`].
    pub fn with(mut self, secret: &Secret) -> Redactor {
        self.add(secret);
        self
    }

    /// Builder form of [`Redactor::add_with_username`].
    pub fn with_username(mut self, username: &str, secret: &Secret) -> Redactor {
        self.add_with_username(username, secret);
        self
    }

    /// `text` with every known secret and every URL's user information replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for value in &self.values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), MASK);
            }
        }
        redact_url(&out)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
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
pub(crate) fn percent_decode(text: &str) -> String {
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

    #[test]
    fn urls_lose_their_user_information() {
        assert_eq!(redact_url("https://u:p@host/x"), "https://***@host/x");
        assert_eq!(redact_url("https://host/x"), "https://host/x");
        assert_eq!(
            redact_url("see http://t@h:1/ and https://a:b@c/"),
            "see http://***@h:1/ and https://***@c/"
        );
        assert_eq!(redact_url("https://u:pa/ss@host/x"), "https://***@host/x");
        assert_eq!(
            redact_url("https://host/p?mail=a@b"),
            "https://host/p?mail=a@b"
        );
        assert_eq!(redact_url("no url"), "no url");
    }

    #[test]
    fn percent_round_trip() {
        assert_eq!(percent_decode(&percent_encode("a b/c%d@é")), "a b/c%d@é");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
    }
}
