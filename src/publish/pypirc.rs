//! `~/.pypirc`, read the way twine reads it (Python's `RawConfigParser`):
//! `[section]` headers, `key = value` or `key: value`, option names
//! case-insensitive, whole-line `#`/`;` comments, indented continuation lines,
//! no interpolation and no inline comments (a `#` inside a password is kept).
//!
//! `[distutils] index-servers` lists the repositories; a section that exists
//! but is not listed is still used (twine users often have only `[pypi]`).
//! `pypi` and `testpypi` need no `repository` key. Passwords are wrapped in
//! [`Secret`] as soon as they are read; errors name the file and line, never a
//! value.

use crate::env_vars::EnvVars;
use crate::publish::secret::Secret;
use crate::publish::url::{redact_url, DisplaySafeUrl, PYPI_UPLOAD, TESTPYPI_UPLOAD};
use reqwest::Url;
use std::fmt;
use std::path::{Path, PathBuf};

/// A parsed `.pypirc`.
#[derive(Debug, Clone)]
pub struct Pypirc {
    pub path: PathBuf,
    /// `[distutils] index-servers`, when given.
    pub index_servers: Option<Vec<String>>,
    pub sections: Vec<Section>,
}

/// One repository section.
#[derive(Clone)]
pub struct Section {
    pub name: String,
    pub line: usize,
    /// May hold credentials: shown through [`redact_url`].
    pub repository: Option<String>,
    pub username: Option<String>,
    pub password: Option<Secret>,
}

impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Section")
            .field("name", &self.name)
            .field("line", &self.line)
            .field("repository", &self.repository.as_deref().map(redact_url))
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

/// The file cannot be read or parsed; the message names the file and line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PypircError(pub String);

impl Pypirc {
    /// Reads `path`; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> Result<Option<Pypirc>, PypircError> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| {
                    let shown = display_path(path);
                    PypircError(format!("{shown} is not UTF-8 text; save it as UTF-8"))
                })?;
                Pypirc::parse(path, &text).map(Some)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(PypircError(format!(
                "cannot read {}: {e}; fix its permissions (chmod 600) or remove it",
                display_path(path)
            ))),
        }
    }

    pub fn parse(path: &Path, text: &str) -> Result<Pypirc, PypircError> {
        let raw = parse_ini(path, text)?;
        let mut index_servers = None;
        let mut sections = Vec::new();
        for section in raw {
            if section.name == "distutils" {
                let servers = section.get("index-servers");
                index_servers = servers.map(|s| s.split_whitespace().map(str::to_owned).collect());
                continue;
            }
            sections.push(Section {
                repository: section.get("repository").map(str::to_owned),
                username: section.get("username").map(str::to_owned),
                password: section.get("password").map(Secret::new),
                name: section.name,
                line: section.line,
            });
        }
        Ok(Pypirc {
            path: path.to_path_buf(),
            index_servers,
            sections,
        })
    }

    /// Every repository name: the listed index servers, then other sections.
    pub fn names(&self) -> Vec<String> {
        let mut names = self.index_servers.clone().unwrap_or_default();
        for section in &self.sections {
            if !names.contains(&section.name) {
                names.push(section.name.clone());
            }
        }
        names
    }

    /// The section for `name`. An error when `index-servers` lists the name but
    /// no section defines it (and it is not `pypi` or `testpypi`).
    pub fn section(&self, name: &str) -> Result<Option<&Section>, PypircError> {
        let found = self.sections.iter().find(|s| s.name == name);
        let listed = (self.index_servers.as_ref()).is_some_and(|s| s.iter().any(|n| n == name));
        if found.is_none() && listed && name != "pypi" && name != "testpypi" {
            return Err(PypircError(format!(
                "{} lists `{name}` in [distutils] index-servers but has no [{name}] section; \
                 add one with `repository = https://…/legacy/`, or remove `{name}` from the list",
                display_path(&self.path)
            )));
        }
        Ok(found)
    }

    /// Where the section for `name` uploads: its `repository`, or the built-in
    /// URL for `pypi` and `testpypi`.
    pub fn repository_url(&self, name: &str) -> Option<String> {
        let section = self.sections.iter().find(|s| s.name == name);
        let given = section.and_then(|s| s.repository.clone());
        given.or_else(|| match name {
            "pypi" => Some(PYPI_UPLOAD.to_owned()),
            "testpypi" => Some(TESTPYPI_UPLOAD.to_owned()),
            _ => None,
        })
    }

    /// The section whose password may go to `upload_url`: the one named
    /// `name` if it uploads there, else the first that does (user information
    /// and a trailing slash do not count).
    pub fn section_for(&self, name: &str, upload_url: &Url) -> Option<&Section> {
        let bare = |url: &Url| DisplaySafeUrl::from(url.clone()).without_credentials();
        let wanted = bare(upload_url);
        let points_here = |section: &&Section| {
            let url = self.repository_url(&section.name);
            let url = url.and_then(|u| DisplaySafeUrl::parse(u.trim()).ok());
            url.is_some_and(|u| {
                bare(&u).as_str().trim_end_matches('/') == wanted.as_str().trim_end_matches('/')
            })
        };
        let named = self.sections.iter().find(|s| s.name == name);
        named
            .filter(points_here)
            .or_else(|| self.sections.iter().find(points_here))
    }
}

/// `path` with the home folder written `~`, for messages.
pub fn display_path(path: &Path) -> String {
    let home = std::env::var_os(EnvVars::HOME).filter(|h| !h.is_empty());
    match home.and_then(|h| path.strip_prefix(h).ok().map(Path::to_path_buf)) {
        Some(rel) => format!("~/{}", rel.display()),
        None => path.display().to_string(),
    }
}

/// A section as read, before its keys are interpreted.
struct RawSection {
    name: String,
    line: usize,
    entries: Vec<(String, String)>,
}

impl RawSection {
    /// The last value given for `key` (option names are case-insensitive).
    fn get(&self, key: &str) -> Option<&str> {
        let found = self.entries.iter().rev().find(|(k, _)| k == key);
        found.map(|(_, v)| v.as_str())
    }
}

fn parse_ini(path: &Path, text: &str) -> Result<Vec<RawSection>, PypircError> {
    let shown = display_path(path);
    let error = |line: usize, what: &str| PypircError(format!("{shown}:{line}: {what}"));
    let mut sections: Vec<RawSection> = Vec::new();
    // Whether the previous option can take continuation lines.
    let mut open_option = false;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if indented && open_option {
            let section = sections.last_mut().expect("an option lives in a section");
            let value = &mut section.entries.last_mut().expect("an option").1;
            if !value.is_empty() {
                value.push('\n');
            }
            value.push_str(trimmed);
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let name = name.trim().to_owned();
            if let Some(first) = sections.iter().find(|s| s.name == name) {
                let what = format!(
                    "section [{name}] appears again (first at line {}); merge the two",
                    first.line
                );
                return Err(error(number, &what));
            }
            sections.push(RawSection {
                name,
                line: number,
                entries: Vec::new(),
            });
            open_option = false;
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            let what = "expected `[section]` or `key = value`; fix or remove this line";
            return Err(error(number, what));
        };
        let Some(section) = sections.last_mut() else {
            let what = "`key = value` before any `[section]`; put it under a section header";
            return Err(error(number, what));
        };
        let key = line[..split].trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(error(number, "a value without a key; write `key = value`"));
        }
        let value = line[split + 1..].trim().to_owned();
        section.entries.push((key, value));
        open_option = true;
    }
    Ok(sections)
}
