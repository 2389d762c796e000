//! How values are shown to people: byte sizes, digests, file names, paths in
//! messages. One home for each, so that every report spells them the same way.

use std::path::Path;

/// `789 B`, `456.0 KiB`, `12.3 MiB`, `1.2 GiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// Lower-case hexadecimal, as digests are written in RECORD files and URLs.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// The last component of `path`, or the whole path when it has none.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `message` with the paths below `root` shown relative to it, as reports
/// show them. `root` itself (followed by nothing, a space or punctuation, not
/// by a path) stays as it is, so no message is left with a blank where the
/// repository belongs.
pub fn relative_to(message: &str, root: &Path) -> String {
    let prefix = format!("{}/", root.display());
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(&prefix) {
        let after = &rest[at + prefix.len()..];
        let names_a_path = after.chars().next().is_some_and(|c| {
            !c.is_whitespace() && !matches!(c, ':' | ')' | ',' | ';' | '`' | '\'' | '"')
        });
        out.push_str(&rest[..at]);
        if names_a_path {
            rest = after;
        } else {
            out.push_str(&prefix[..prefix.len() - 1]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_below_the_root_become_relative_and_the_root_stays() {
        let root = std::path::Path::new("/work/repo");
        let shown = |m: &str| super::relative_to(m, root);
        assert_eq!(shown("/work/repo/Cargo.toml:3: bad"), "Cargo.toml:3: bad");
        assert_eq!(
            shown("no identity in /work/repo/ (x)"),
            "no identity in /work/repo (x)"
        );
        assert_eq!(shown("failed in /work/repo/: y"), "failed in /work/repo: y");
        assert_eq!(shown("at /work/repo/"), "at /work/repo");
        assert_eq!(shown("/work/repository/a"), "/work/repository/a");
        assert_eq!(shown("a /work/repo/x and /work/repo/y"), "a x and y");
    }

    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human_size(789), "789 B");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(5 * 1024 * 1024 + 300 * 1024), "5.3 MiB");
        assert_eq!(human_size(3 << 30), "3.0 GiB");
    }

    #[test]
    fn digests_and_names() {
        assert_eq!(hex(&[0, 0xab, 0x7f]), "00ab7f");
        assert_eq!(file_name(Path::new("dist/a-1.0.tar.gz")), "a-1.0.tar.gz");
        assert_eq!(file_name(Path::new("/")), "/");
    }
}
