//! Secrets that never reach output: a wrapper whose `Debug`/`Display` print
//! `***`, and redaction of every form of them in free text.
//!
//! [`Secret`] is the only type that holds a token or password; everything that
//! is formatted for a human (errors, `Debug` of requests and targets) holds a
//! `Secret` or a URL passed through [`redact_url`](super::url::redact_url). Text that could echo a
//! request (an HTTP error body, a library's error message) goes through a
//! [`Redactor`] that knows every secret in play.

use super::url::percent_encode;
pub use super::url::redact_url;
use base64::Engine;
use std::fmt;

pub use super::url::MASK;

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
