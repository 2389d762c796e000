//! `.env` and `.env.local` in the root `.gitignore`: the files where
//! `cargo pypi publish` reads tokens, which must never be committed. What the
//! file already ignores is read with git's rules (`.env*`, `/.env` count);
//! only the names it does not ignore are appended, under a comment.

use ignore::gitignore::GitignoreBuilder;
use std::path::Path;

/// Where the ignore file lives, from the repository root.
pub const PATH: &str = ".gitignore";

/// The credential files `publish` reads, in the order they are appended.
pub const ENTRIES: [&str; 2] = [".env", ".env.local"];

/// The entries `text` (the root `.gitignore` of `root`) does not ignore.
pub fn missing(root: &Path, text: &str) -> Vec<&'static str> {
    let mut builder = GitignoreBuilder::new(root);
    for line in text.lines() {
        // A line git would not understand ignores nothing, as in git.
        let _ = builder.add_line(None, line);
    }
    let Ok(rules) = builder.build() else {
        return ENTRIES.to_vec();
    };
    ENTRIES
        .into_iter()
        .filter(|name| !rules.matched(root.join(name), false).is_ignore())
        .collect()
}

/// `text` (or a new file) with `names` appended under a comment.
pub fn with_entries(text: Option<&str>, names: &[&str]) -> String {
    let text = text.unwrap_or("");
    if names.is_empty() {
        return text.to_string();
    }
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str("# Tokens for `cargo pypi publish` (added by `cargo pypi init`)\n");
    for name in names {
        out.push_str(name);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing_in(text: &str) -> Vec<&'static str> {
        missing(Path::new("/repo"), text)
    }

    #[test]
    fn reads_what_git_ignores() {
        assert_eq!(missing_in(""), [".env", ".env.local"]);
        assert_eq!(missing_in("/target\n.env\n"), [".env.local"]);
        assert!(missing_in(".env*\n").is_empty());
        assert!(missing_in("/.env\n/.env.local\n").is_empty());
        assert_eq!(missing_in(".env*\n!.env.local\n"), [".env.local"]);
        assert_eq!(missing_in("# .env\n"), [".env", ".env.local"]);
    }

    #[test]
    fn appends_only_what_is_missing() {
        let out = with_entries(Some("/target"), &[".env.local"]);
        assert_eq!(
            out,
            "/target\n\n# Tokens for `cargo pypi publish` (added by `cargo pypi init`)\n.env.local\n"
        );
        assert_eq!(with_entries(Some("/target\n"), &[]), "/target\n");
        assert!(with_entries(None, &ENTRIES).starts_with("# Tokens"));
    }
}
