//! `.env.local` and `.env`: a small `KEY=VALUE` reader, and the checks that
//! refuse a file other users or git could leak.
//!
//! Syntax: `KEY=VALUE`, optional `export ` prefix, spaces around `=`, full-line
//! `#` comments, ` # comment` after an unquoted value (a `#` inside a value with
//! no space before it stays), `'single'` quotes taken literally, `"double"`
//! quotes with `\n \r \t \" \\` escapes; quoted values may span lines. No
//! `${VAR}` expansion. The last assignment of a key wins.
//!
//! Refusals (with the command that fixes each): readable by group or others
//! (`chmod 600 .env`), tracked by git (`git rm --cached .env`; the token is in
//! the history and must be revoked), or inside a git work tree and not ignored
//! (`echo .env >> .gitignore`). A file holding none of the credential variables
//! is neither checked nor used.

use super::super::secret::Secret;
use super::CredentialError;
use crate::git::Repo;
use std::path::{Path, PathBuf};

/// A parsed `.env` file. Values are held as [`Secret`]s.
pub struct DotenvFile {
    pub path: PathBuf,
    entries: Vec<Entry>,
}

struct Entry {
    key: String,
    line: usize,
    /// `Err` says what is wrong with the line (never its content).
    value: Result<Secret, &'static str>,
}

impl DotenvFile {
    /// Reads `path`; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> Result<Option<DotenvFile>, CredentialError> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                Ok(Some(DotenvFile::parse(path, &text)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CredentialError::Config(format!(
                "cannot read {}: {e}; make it readable by you (chmod 600) or remove it",
                path.display()
            ))),
        }
    }

    pub fn parse(path: &Path, text: &str) -> DotenvFile {
        DotenvFile {
            path: path.to_path_buf(),
            entries: parse(text),
        }
    }

    /// The value of `key` (the last assignment); `Err` names a malformed line.
    pub fn get(&self, key: &str) -> Option<Result<Secret, String>> {
        let entry = self.entries.iter().rev().find(|e| e.key == key)?;
        Some(entry.value.clone().map_err(|why| {
            format!(
                "{}:{}: {key} has {why}; fix the line",
                self.path.display(),
                entry.line
            )
        }))
    }

    /// Whether the file assigns `key` at all.
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }
}

fn parse(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut rest = text;
    let mut line = 1;
    while !rest.is_empty() {
        let (current, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let Some((key, value)) = assignment(current) else {
            rest = after;
            line += 1;
            continue;
        };
        let key = key.to_owned();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
        let Some(quote) = quote else {
            let value = unquoted(value);
            entries.push(Entry {
                key,
                line,
                value: Ok(Secret::new(value)),
            });
            rest = after;
            line += 1;
            continue;
        };
        let start = current.len() - value.len() + 1;
        match quoted(&rest[start..], quote) {
            Some((value, consumed)) => {
                let spanned = rest[start..start + consumed].matches('\n').count();
                entries.push(Entry {
                    key,
                    line,
                    value: Ok(Secret::new(value)),
                });
                let tail = &rest[start + consumed..];
                rest = tail.split_once('\n').map_or("", |(_, a)| a);
                line += spanned + 1;
            }
            None => {
                let value = Err("an unclosed quote");
                entries.push(Entry { key, line, value });
                rest = after;
                line += 1;
            }
        }
    }
    entries
}

/// `KEY` and the text after `=` (leading blanks removed), for an assignment line.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_start();
    if body.starts_with('#') {
        return None;
    }
    let body = match body.strip_prefix("export") {
        Some(rest) if rest.starts_with([' ', '\t']) => rest.trim_start(),
        _ => body,
    };
    let (key, value) = body.split_once('=')?;
    let key = key.trim_end();
    let valid = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    valid.then(|| (key, value.trim_start_matches([' ', '\t'])))
}

/// An unquoted value: up to a ` #` comment, trailing blanks removed.
fn unquoted(value: &str) -> &str {
    let mut end = value.len();
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            end = i;
            break;
        }
    }
    value[..end].trim_end()
}

/// The value inside quotes starting right after the opening quote, and how
/// many bytes it took including the closing quote.
fn quoted(text: &str, quote: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            return Some((out, i + 1));
        }
        if c == '\\' && quote == '"' {
            let (_, next) = chars.next()?;
            match next {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                '"' | '\\' => out.push(next),
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
            continue;
        }
        out.push(c);
    }
    None
}

/// Refuses `path` (named `name` relative to the repository root) when other
/// users or git could leak it. Every problem found is listed with its fix.
pub fn check_safe(
    path: &Path,
    name: &str,
    variable: &str,
    repo_root: &Path,
    token_page: Option<&str>,
) -> Result<(), CredentialError> {
    let mut problems = Vec::new();
    if let Some(mode) = loose_mode(path) {
        problems.push(format!(
            "it is readable by other users (mode {mode:o}): run `chmod 600 {name}`"
        ));
    }
    match git_state(path, repo_root) {
        Ok(GitState::Tracked) => {
            let revoke = token_page.map_or_else(
                || "revoke the credential and create a new one".to_owned(),
                |page| format!("revoke the token at {page} and create a new one"),
            );
            problems.push(format!(
                "it is tracked by git: run `git rm --cached {name}` (and `echo {name} >> \
                 .gitignore` if .gitignore does not list it); the credential is in the git \
                 history and on every remote it was pushed to, so {revoke}"
            ));
        }
        Ok(GitState::NotIgnored) => problems.push(format!(
            "it is inside a git work tree and not ignored, so `git add .` would commit it: \
             run `echo {name} >> .gitignore`"
        )),
        Ok(GitState::Safe) => {}
        Err(why) => problems.push(why),
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(CredentialError::Unsafe(format!(
        "refusing to use {variable} from {}:\n  - {}",
        path.display(),
        problems.join("\n  - ")
    )))
}

/// The permission bits when group or others may read the file.
#[cfg(unix)]
pub fn loose_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then_some(mode)
}

#[cfg(not(unix))]
pub fn loose_mode(_path: &Path) -> Option<u32> {
    None
}

enum GitState {
    Tracked,
    NotIgnored,
    /// Ignored, or outside any git work tree.
    Safe,
}

fn git_state(path: &Path, repo_root: &Path) -> Result<GitState, String> {
    let cannot = |e: crate::git::GitError| {
        format!("cannot check it against git ({e}); fix the repository, or move the file out of it")
    };
    let Some(repo) = Repo::discover(repo_root).map_err(cannot)? else {
        return Ok(GitState::Safe);
    };
    if repo.is_tracked(path).map_err(cannot)? {
        return Ok(GitState::Tracked);
    }
    if repo.is_ignored(path).map_err(cannot)? {
        return Ok(GitState::Safe);
    }
    Ok(GitState::NotIgnored)
}
