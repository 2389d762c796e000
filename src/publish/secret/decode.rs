//! Reading text as a server may have escaped it: at any position, the
//! character an escape starting there stands for. Escapes read: percent
//! (`%26`, `%c3%a9`, a lone `%E9` as Latin-1; `+` for a space), HTML
//! entities (`&amp; &lt; &gt; &quot; &apos; &nbsp;`, `&#38;`, `&#x26;`), and
//! JSON and Python string escapes (`\" \\ \/ \' \n \r \t \b \f`, `\u00e9`,
//! surrogate pairs, `\xe9`).

/// The character the escape at byte `at` of `text` stands for, and the
/// escape's length in bytes; `None` when no escape starts there.
pub(super) fn escape_at(text: &str, at: usize) -> Option<(char, usize)> {
    let rest = &text.as_bytes()[at..];
    match rest.first()? {
        b'%' => percent(rest),
        b'+' => Some((' ', 1)),
        b'&' => entity(rest),
        b'\\' => backslash(rest),
        _ => None,
    }
}

/// The character at byte `at`, as written.
pub(super) fn raw_at(text: &str, at: usize) -> Option<(char, usize)> {
    text[at..].chars().next().map(|c| (c, c.len_utf8()))
}

/// The character the text before byte `at` ends with: an escape ending there
/// (the longest), else the character as written.
pub(super) fn before(text: &str, at: usize) -> Option<char> {
    let longest = (at.saturating_sub(12)..at)
        .filter(|&start| text.is_char_boundary(start))
        .find_map(|start| escape_at(text, start).filter(|&(_, len)| start + len == at));
    longest
        .map(|(c, _)| c)
        .or_else(|| text[..at].chars().next_back())
}

/// The character at byte `at`, an escape read first.
pub(super) fn after(text: &str, at: usize) -> Option<char> {
    escape_at(text, at)
        .or_else(|| raw_at(text, at))
        .map(|(c, _)| c)
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(pair.get(..2)?).ok()?;
    u8::from_str_radix(text, 16).ok()
}

/// `%XX` (one to four of them for one UTF-8 character; a byte that starts no
/// UTF-8 character is read as Latin-1).
fn percent(rest: &[u8]) -> Option<(char, usize)> {
    let first = hex_byte(rest.get(1..)?)?;
    let width = match first {
        0x00..=0x7f => return Some((first as char, 3)),
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Some((char::from(first), 3)),
    };
    let mut bytes = vec![first];
    for i in 1..width {
        let at = 3 * i;
        match (rest.get(at), rest.get(at + 1..).and_then(hex_byte)) {
            (Some(b'%'), Some(b)) => bytes.push(b),
            _ => break,
        }
    }
    match std::str::from_utf8(&bytes)
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => Some((c, 3 * width)),
        None => Some((char::from(first), 3)),
    }
}

/// `&name;`, `&#N;` or `&#xH;`.
fn entity(rest: &[u8]) -> Option<(char, usize)> {
    let end = rest.iter().take(12).position(|&b| b == b';')?;
    let body = std::str::from_utf8(&rest[1..end]).ok()?;
    let c = if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// `\"`, `\uXXXX` (a surrogate pair as one character), `\xNN` and the like.
fn backslash(rest: &[u8]) -> Option<(char, usize)> {
    let simple = match rest.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'\'' => '\'',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'x' => return hex_byte(rest.get(2..)?).map(|b| (char::from(b), 4)),
        b'u' => return unicode(rest),
        _ => return None,
    };
    Some((simple, 2))
}

fn unicode(rest: &[u8]) -> Option<(char, usize)> {
    let unit = |at: usize| -> Option<u32> {
        let digits = std::str::from_utf8(rest.get(at..at + 4)?).ok()?;
        u32::from_str_radix(digits, 16).ok()
    };
    let high = unit(2)?;
    if (0xd800..0xdc00).contains(&high) && rest.get(6..8) == Some(b"\\u") {
        let low = unit(8)?;
        let code = 0x10000 + ((high - 0xd800) << 10) + (low.checked_sub(0xdc00)?);
        return char::from_u32(code).map(|c| (c, 12));
    }
    char::from_u32(high).map(|c| (c, 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_escape_reads_as_its_character() {
        let cases = [
            ("%26", '&', 3),
            ("%c3%a9", 'é', 6),
            ("%C3%A9", 'é', 6),
            ("%E9x", 'é', 3),
            ("%F0%9F%94%91", '🔑', 12),
            ("+", ' ', 1),
            ("&amp;", '&', 5),
            ("&quot;", '"', 6),
            ("&#39;", '\'', 5),
            ("&#x27;", '\'', 6),
            ("&#X2F;", '/', 6),
            ("&#233;", 'é', 6),
            ("\\\"", '"', 2),
            ("\\\\", '\\', 2),
            ("\\/", '/', 2),
            ("\\u00e9", 'é', 6),
            ("\\u00E9", 'é', 6),
            ("\\ud83d\\udd11", '🔑', 12),
            ("\\xe9", 'é', 4),
        ];
        for (text, c, len) in cases {
            assert_eq!(escape_at(text, 0), Some((c, len)), "{text}");
        }
        for text in ["%", "%zz", "&amp", "&nope;", "\\q", "\\u12", "a", ""] {
            assert_eq!(escape_at(text, 0), None, "{text}");
        }
    }

    #[test]
    fn the_character_before_and_after_a_position_reads_escapes() {
        assert_eq!(before("a%20x", 4), Some(' '));
        assert_eq!(before("a\\nx", 3), Some('\n'));
        assert_eq!(before("ax", 1), Some('a'));
        assert_eq!(before("x", 0), None);
        assert_eq!(after("x&amp;", 1), Some('&'));
        assert_eq!(after("xé", 1), Some('é'));
        assert_eq!(after("x", 1), None);
    }
}
