//! Secrets that never reach output: a wrapper whose `Debug`/`Display` print
//! `***`, and redaction of credentials in URLs and free text.

use std::fmt;

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
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// `https://user:pass@host/x` -> `https://***@host/x`; other text unchanged.
pub fn redact_url(url: &str) -> String {
    let _ = url;
    todo!()
}
