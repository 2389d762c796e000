//! One home for index URLs: the built-in PyPI and TestPyPI addresses, the
//! percent codec, origin comparison, and hiding the user information of URLs
//! in anything shown to people.

/// What every hidden value is replaced with.
pub const MASK: &str = "***";

pub const PYPI_UPLOAD: &str = "https://upload.pypi.org/legacy/";
pub const PYPI_INDEX: &str = "https://pypi.org/simple/";
pub const TESTPYPI_UPLOAD: &str = "https://test.pypi.org/legacy/";
pub const TESTPYPI_INDEX: &str = "https://test.pypi.org/simple/";

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

/// Same scheme, host and port.
pub fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
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
