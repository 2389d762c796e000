//! Secrets that never reach output: a wrapper whose `Debug`/`Display` print
//! `***`, and redaction of every form of them in text a server echoes.
//!
//! [`Secret`] is the only type that holds a token or password; everything that
//! is formatted for a human (errors, `Debug` of requests and targets) holds a
//! `Secret` or a URL passed through [`redact_url`](super::url::redact_url). Text that could echo a
//! request (an HTTP error body, a library's error message) goes through a
//! [`Redactor`] that knows every secret in play.

mod decode;
mod find;

pub use super::url::redact_url;
use base64::Engine;
pub use find::MIN_SLICE;
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

/// A set of secret values, hidden (`***`) wherever a server echoes them.
///
/// Apply it to text a server or another program supplied (an error body, a
/// `Location`, a library's message), never to the tool's own sentences: with
/// the password `index`, "the index answered 403" must stay as it is.
///
/// What is hidden, for each value:
/// - the value written any way a server may write it: as itself,
///   percent-encoded (`%20` or `+`, either case of hex), HTML-escaped (named,
///   decimal or hex entities), JSON- or Python-escaped (`\"`, `\\`, `\/`,
///   `\u00e9`, `\xe9`), each character independently (see `decode`);
/// - its base64, and that of `__token__:<value>` and `<username>:<value>`
///   (a Basic `Authorization` header), standard or URL-safe;
/// - any run of at least [`MIN_SLICE`] (8) of its characters in a row (a
///   slice the server cut or wrapped), written any of those ways.
///
/// A value shorter than [`MIN_SLICE`] is hidden only whole and only where it
/// stands as a word (no letter, digit or `_` joined to it), so the password
/// `index` leaves "reindexed" alone. No value is refused for being short.
/// [`Redactor::redact`] also hides the user information of URLs.
#[derive(Clone, Default)]
pub struct Redactor {
    patterns: Vec<find::Pattern>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} values)", self.patterns.len())
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
        let mut forms = vec![value.to_owned()];
        let mut encoded = vec![value.to_owned(), format!("__token__:{value}")];
        if username != "__token__" {
            encoded.push(format!("{username}:{value}"));
        }
        for engine in [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::URL_SAFE,
        ] {
            // Padded: a cut padding leaves a slice of at least 8 characters.
            forms.extend(encoded.iter().map(|text| engine.encode(text)));
        }
        for form in forms {
            let pattern = find::Pattern::new(&form);
            if !self.patterns.contains(&pattern) {
                self.patterns.push(pattern);
            }
        }
    }

    /// `text` with every known secret and every URL's user information replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        self.replace(text, true)
    }

    /// Like [`Redactor::redact`] but hides only whole values, no slices: the
    /// first pass over a body whose message is then extracted (and redacted
    /// again), where a slice hidden early would leave the rest of the value
    /// too short to be recognised after the extraction undoes an escape.
    pub fn redact_whole(&self, text: &str) -> String {
        self.replace(text, false)
    }

    fn replace(&self, text: &str, slices: bool) -> String {
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for range in find::find(text, &self.patterns, slices) {
            out.push_str(&text[from..range.start]);
            out.push_str(MASK);
            from = range.end;
        }
        out.push_str(&text[from..]);
        redact_url(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(username: &str, password: &str) -> Redactor {
        let mut redactor = Redactor::new();
        redactor.add_with_username(username, &Secret::new(password));
        redactor
    }

    #[test]
    fn every_escape_of_the_password_is_hidden() {
        let r = redactor("alice", r#"a&<>'"\ é/b"#);
        let echoes = [
            r#"a&<>'"\ é/b"#,
            "a&amp;&lt;&gt;&#x27;&quot;\\ é/b",
            "a&#38;&#60;&#62;&#39;&#34;&#92;&#32;&#233;&#47;b",
            "a&#x26;&#X3C;&#x3e;&#x27;&#x22;&#x5C;&#x20;&#xE9;&#x2F;b",
            r#"a&<>'\"\\ é/b"#,
            r#"a\u0026\u003C\u003e\u0027\"\\ \u00e9\/b"#,
            "a%26%3C%3E%27%22%5C+%C3%A9%2Fb",
            "a%26%3c%3e%27%22%5c%20%c3%a9%2fb",
            "a&<>\\'\"\\\\ \\xe9/b",
        ];
        for echo in echoes {
            assert_eq!(r.redact(&format!("[{echo}]")), "[***]", "{echo}");
        }
        let basic = Secret::new(r#"a&<>'"\ é/b"#).basic_auth("alice");
        assert_eq!(r.redact(&basic), "Basic ***");
        let token = Secret::new(r#"a&<>'"\ é/b"#).basic_auth("__token__");
        assert_eq!(r.redact(&token[..token.len() - 2]), "Basic ***");
    }

    #[test]
    fn slices_of_eight_characters_are_hidden_and_shorter_ones_are_not() {
        let r = redactor("__token__", "pypi-AgEIcHlwaS5vcmc-secret");
        assert_eq!(r.redact("cut: pypi-AgEIcHl..."), "cut: ***...");
        assert_eq!(r.redact("end: 5vcmc-secret."), "end: ***.");
        assert_eq!(r.redact("wrapped 5vcmc-se\\u0063ret"), "wrapped ***");
        assert_eq!(r.redact("a secret of 7: -secret"), "a secret of 7: -secret");
    }

    #[test]
    fn a_short_password_is_hidden_where_it_stands_as_a_word() {
        let r = redactor("alice", "index");
        for (echo, shown) in [
            ("password index rejected", "password *** rejected"),
            ("pw=index&next=1", "pw=***&next=1"),
            ("'index'", "'***'"),
            ("&quot;index&quot;", "&quot;***&quot;"),
            ("%20index%20", "%20***%20"),
            ("\\nindex\\n", "\\n***\\n"),
            ("\\u0069ndex", "***"),
            ("reindexed indexes index_url", "reindexed indexes index_url"),
            ("%41index", "%41index"),
        ] {
            assert_eq!(r.redact(echo), shown, "{echo}");
        }
        // Nothing is refused for being short: one character too.
        assert_eq!(redactor("u", "x").redact("x, y"), "***, y");
    }

    #[test]
    fn repetitive_secrets_and_text_are_found_where_they_overlap() {
        let r = redactor("u", "aaaaaaaab");
        assert_eq!(r.redact("x aaaaaaaaaaab y"), "x *** y");
        assert_eq!(r.redact("x aaaaaaa y"), "x aaaaaaa y");
        let r = redactor("u", &"a".repeat(40));
        assert_eq!(r.redact(&"a".repeat(20_000)), "***");
    }

    #[test]
    fn text_without_secrets_is_left_alone() {
        let r = redactor("alice", "correct horse");
        assert_eq!(
            r.redact("nothing secret &amp; %41"),
            "nothing secret &amp; %41"
        );
        assert_eq!(Redactor::new().redact("https://u:p@h/"), "https://***@h/");
    }
}
