//! TOML files: parsing with located errors, reading strings with their lines,
//! and setting a string value in place through `toml_edit` so that everything
//! outside the value stays byte for byte.

use crate::error::ReadError;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml_edit::{Document, DocumentMut, Item, Value};

/// One step of a path into a TOML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl From<&str> for Seg {
    fn from(key: &str) -> Seg {
        Seg::Key(key.to_string())
    }
}

impl From<usize> for Seg {
    fn from(index: usize) -> Seg {
        Seg::Index(index)
    }
}

/// Builds a `Vec<Seg>` from keys and indexes: `path!["package", "version"]`.
#[macro_export]
macro_rules! toml_path {
    ($($seg:expr),* $(,)?) => { [$($crate::toml_doc::Seg::from($seg)),*] };
}

/// A parsed TOML file that remembers its text and path.
pub struct TomlFile {
    pub path: PathBuf,
    pub doc: Document<String>,
}

/// A string value found in a file.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: String,
    pub line: usize,
    pub span: Range<usize>,
}

impl TomlFile {
    pub fn read(path: &Path) -> Result<TomlFile, ReadError> {
        let text = std::fs::read_to_string(path).map_err(|e| ReadError::io(path, e))?;
        TomlFile::parse(path, text)
    }

    pub fn parse(path: &Path, text: String) -> Result<TomlFile, ReadError> {
        match Document::parse(text.clone()) {
            Ok(doc) => Ok(TomlFile {
                path: path.to_path_buf(),
                doc,
            }),
            Err(e) => Err(toml_error(path, &text, e)),
        }
    }

    pub fn text(&self) -> &str {
        self.doc.raw()
    }

    pub fn root(&self) -> &Item {
        self.doc.as_item()
    }

    /// The item at `path`, if any.
    pub fn get(&self, path: &[Seg]) -> Option<&Item> {
        get(self.root(), path)
    }

    /// The string at `path` with its line; `Err` when present but not a string.
    pub fn string(&self, path: &[Seg]) -> Result<Option<Located>, ReadError> {
        let Some(item) = self.get(path) else {
            return Ok(None);
        };
        self.string_of(item, path).map(Some)
    }

    /// The item as a string with its line, or an error naming the key.
    pub fn string_of(&self, item: &Item, path: &[Seg]) -> Result<Located, ReadError> {
        let span = item.span().unwrap_or(0..0);
        let line = line_of(self.text(), span.start);
        match item.as_str() {
            Some(value) => Ok(Located {
                value: value.to_string(),
                line,
                span,
            }),
            None => Err(ReadError::invalid(
                &self.path,
                line,
                format!("`{}` must be a string", display_path(path)),
            )),
        }
    }

    /// 1-based line of a byte offset in this file.
    pub fn line(&self, offset: usize) -> usize {
        line_of(self.text(), offset)
    }
}

/// The item at `path` under `item`.
pub fn get<'a>(item: &'a Item, path: &[Seg]) -> Option<&'a Item> {
    path.iter().try_fold(item, |item, seg| match seg {
        Seg::Key(k) => item.get(k.as_str()),
        Seg::Index(i) => item.get(*i),
    })
}

/// 1-based line of `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// `package.version`, `package[3].version`.
pub fn display_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn toml_error(path: &Path, text: &str, e: toml_edit::TomlError) -> ReadError {
    let offset = e.span().map(|s| s.start).unwrap_or(0);
    let (line, column) = line_col(text, offset);
    ReadError::Toml {
        path: path.to_path_buf(),
        line,
        column,
        message: e.message().trim().replace('\n', "; "),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        line_of(text, offset),
        before[line_start..].chars().count() + 1,
    )
}

/// Sets the strings at `paths` to the given values in `text`, through `toml_edit`,
/// keeping each value's surrounding whitespace and comments.
pub fn set_strings(
    path: &Path,
    text: &str,
    edits: &[(Vec<Seg>, String)],
) -> Result<String, ReadError> {
    let mut doc: DocumentMut = text.parse().map_err(|e| toml_error(path, text, e))?;
    for (keys, new) in edits {
        let item = keys
            .iter()
            .try_fold(doc.as_item_mut(), |item, seg| match seg {
                Seg::Key(k) => item.get_mut(k.as_str()),
                Seg::Index(i) => item.get_mut(*i),
            })
            .and_then(Item::as_value_mut)
            .ok_or_else(|| {
                ReadError::invalid(path, 0, format!("`{}` vanished", display_path(keys)))
            })?;
        let decor = item.decor().clone();
        *item = Value::from(new.as_str());
        *item.decor_mut() = decor;
    }
    Ok(restore_crlf(text, doc.to_string()))
}

/// `toml_edit` writes `\n` line ends; a file that used `\r\n` throughout gets them back.
fn restore_crlf(original: &str, edited: String) -> String {
    let lines = original.matches('\n').count();
    if lines == 0 || original.matches("\r\n").count() != lines || edited.contains("\r\n") {
        return edited;
    }
    edited.replace('\n', "\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_strings_keeps_everything_else() {
        let text = "# top\n[package]\nname = \"a\"   # name\nversion   =   \"1.0.0\"  # keep me\n\n[deps]\nx = { path = \"x\", version = \"=1.0.0\" }\n";
        let out = set_strings(
            Path::new("Cargo.toml"),
            text,
            &[
                (toml_path!["package", "version"].to_vec(), "1.0.1".into()),
                (toml_path!["deps", "x", "version"].to_vec(), "=1.0.1".into()),
            ],
        )
        .unwrap();
        let expected = text
            .replace("\"1.0.0\"  #", "\"1.0.1\"  #")
            .replace("\"=1.0.0\"", "\"=1.0.1\"");
        assert_eq!(out, expected);
    }

    #[test]
    fn set_strings_keeps_crlf_line_ends() {
        let text = "[package]\r\nname = \"a\"\r\nversion = \"1.0.0\" # c\r\n";
        let out = set_strings(
            Path::new("Cargo.toml"),
            text,
            &[(toml_path!["package", "version"].to_vec(), "2.0.0".into())],
        )
        .unwrap();
        assert_eq!(out, text.replace("1.0.0", "2.0.0"));
    }

    #[test]
    fn parse_error_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pyproject.toml");
        std::fs::write(&path, "[project]\nname = \"x\"\nversion = \"1.0\n").unwrap();
        let err = TomlFile::read(&path).err().unwrap().to_string();
        assert!(err.contains("pyproject.toml:3:"), "{err}");
    }

    #[test]
    fn strings_know_their_line() {
        let file =
            TomlFile::parse(Path::new("x.toml"), "a = 1\n\n[p]\nv = \"2\"\n".into()).unwrap();
        let found = file.string(&toml_path!["p", "v"]).unwrap().unwrap();
        assert_eq!((found.value.as_str(), found.line), ("2", 4));
        let err = file.string(&toml_path!["a"]).unwrap_err().to_string();
        assert_eq!(err, "x.toml:1: `a` must be a string");
    }
}
