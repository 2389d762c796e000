//! License metadata (PEP 639): License vs License-Expression, SPDX expression
//! syntax and identifiers, and License-File paths and their presence.

use super::metadata::CoreMetadata;
use super::rules::{self, Findings};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const SPDX_IDS: &str = include_str!("../../data/spdx-license-ids.txt");

struct SpdxIds {
    licenses: BTreeSet<String>,
    exceptions: BTreeSet<String>,
}

fn spdx() -> &'static SpdxIds {
    static IDS: OnceLock<SpdxIds> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids = SpdxIds {
            licenses: BTreeSet::new(),
            exceptions: BTreeSet::new(),
        };
        for line in SPDX_IDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            match line.strip_prefix("exception ") {
                Some(e) => ids.exceptions.insert(e.trim().to_ascii_lowercase()),
                None => ids.licenses.insert(line.trim().to_ascii_lowercase()),
            };
        }
        ids
    })
}

/// Runs the rules that need only the metadata.
pub(crate) fn check(meta: &CoreMetadata, f: &mut Findings) {
    let expression = meta.get("License-Expression");
    if let (Some(_), Some(license)) = (&expression, meta.get("License")) {
        if license != "UNKNOWN" {
            f.add(
                rules::LICENSE_CONFLICT,
                Some("License"),
                "both License and License-Expression are set: keep License-Expression and drop License (in pyproject.toml, `license = \"SPDX expression\"` only)",
            );
        }
    }
    if let Some(expr) = expression {
        if let Err(why) = validate_expression(&expr) {
            f.add(
                rules::LICENSE_EXPRESSION_INVALID,
                Some("License-Expression"),
                format!("field License-Expression {expr:?} is not a valid SPDX expression: {why}; use ids from https://spdx.org/licenses/ joined by AND, OR, WITH"),
            );
        }
    }
    for path in meta.get_all("License-File") {
        if let Some(why) = bad_license_path(&path) {
            f.add(
                rules::LICENSE_FILE_INVALID,
                Some("License-File"),
                format!("field License-File {path:?} {why}"),
            );
        }
    }
}

/// Checks that each License-File is among `present` (paths relative to where
/// License-File paths point: `.dist-info/licenses/` or the sdist's root).
pub(crate) fn check_files(
    meta: &CoreMetadata,
    present: &BTreeSet<String>,
    base: &str,
    f: &mut Findings,
) {
    for path in meta.get_all("License-File") {
        if bad_license_path(&path).is_none() && !present.contains(&path) {
            f.add(
                rules::LICENSE_FILE_MISSING,
                Some("License-File"),
                format!("field License-File {path:?} names a file that is not in the archive at {base}{path}, and PyPI refuses the upload: include the file or drop the field"),
            );
        }
    }
}

fn bad_license_path(path: &str) -> Option<&'static str> {
    if path.split(['/', '\\']).any(|c| c == "..") {
        Some("uses '..': License-File paths stay inside the project")
    } else if path.contains('*') || path.contains('?') || path.contains('[') {
        Some("is a glob: License-File lists resolved paths")
    } else if path.starts_with('/') || path.contains(':') || path.starts_with('\\') {
        Some("is absolute: License-File paths are relative")
    } else if path.contains('\\') {
        Some("uses '\\': License-File paths use '/'")
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    With,
    Id(String),
}

fn tokenize(expr: &str) -> Vec<Token> {
    let spaced = expr.replace('(', " ( ").replace(')', " ) ");
    spaced
        .split_whitespace()
        .map(|t| match t.to_ascii_lowercase().as_str() {
            "(" => Token::Open,
            ")" => Token::Close,
            "and" => Token::And,
            "or" => Token::Or,
            "with" => Token::With,
            _ => Token::Id(t.to_string()),
        })
        .collect()
}

/// Validates an SPDX license expression: syntax (OR binds looser than AND,
/// WITH binds a license to an exception) and that every id is known.
pub fn validate_expression(expr: &str) -> Result<(), String> {
    let tokens = tokenize(expr);
    if tokens.is_empty() {
        return Err("it is empty".to_string());
    }
    let mut parser = Parser { tokens, pos: 0 };
    parser.or_expr()?;
    match parser.tokens.get(parser.pos) {
        None => Ok(()),
        Some(t) => Err(format!("unexpected {}", describe(t))),
    }
}

fn describe(t: &Token) -> String {
    match t {
        Token::Open => "'('".into(),
        Token::Close => "')'".into(),
        Token::And => "AND".into(),
        Token::Or => "OR".into(),
        Token::With => "WITH".into(),
        Token::Id(s) => format!("{s:?}"),
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or_expr(&mut self) -> Result<(), String> {
        self.and_expr()?;
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            self.and_expr()?;
        }
        Ok(())
    }

    fn and_expr(&mut self) -> Result<(), String> {
        self.with_expr()?;
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            self.with_expr()?;
        }
        Ok(())
    }

    fn with_expr(&mut self) -> Result<(), String> {
        let simple = self.atom()?;
        if self.peek() == Some(&Token::With) {
            self.pos += 1;
            if !simple {
                return Err("WITH must follow a single license id".into());
            }
            match self.next() {
                Some(Token::Id(e)) if spdx().exceptions.contains(&e.to_ascii_lowercase()) => {}
                Some(Token::Id(e)) => {
                    return Err(format!("{e:?} is not a known license exception"))
                }
                other => {
                    return Err(format!(
                        "WITH needs an exception id, found {}",
                        found(other)
                    ))
                }
            }
        }
        Ok(())
    }

    /// Parses a license id or a parenthesized expression; true for a single id.
    fn atom(&mut self) -> Result<bool, String> {
        match self.next() {
            Some(Token::Open) => {
                self.or_expr()?;
                match self.next() {
                    Some(Token::Close) => Ok(false),
                    other => Err(format!("missing ')', found {}", found(other))),
                }
            }
            Some(Token::Id(id)) => check_id(&id).map(|()| true),
            other => Err(format!("expected a license id, found {}", found(other))),
        }
    }
}

fn found(t: Option<Token>) -> String {
    t.map_or_else(|| "the end".to_string(), |t| describe(&t))
}

fn check_id(id: &str) -> Result<(), String> {
    let lower = id.to_ascii_lowercase();
    if let Some(reference) = lower.strip_prefix("licenseref-") {
        let ok = !reference.is_empty()
            && reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        return if ok {
            Ok(())
        } else {
            Err(format!("{id:?} is not a valid LicenseRef-"))
        };
    }
    let base = lower.strip_suffix('+').unwrap_or(&lower);
    if spdx().licenses.contains(base) {
        Ok(())
    } else {
        Err(format!("{id:?} is not a known SPDX license id"))
    }
}

#[cfg(test)]
mod tests {
    use super::validate_expression as v;

    #[test]
    fn expressions() {
        for ok in [
            "MIT",
            "mit or apache-2.0",
            "MIT OR (Apache-2.0 AND BSD-3-Clause)",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            "LicenseRef-Proprietary",
            "Apache-2.0+",
            "(MIT)",
        ] {
            assert!(v(ok).is_ok(), "{ok}: {:?}", v(ok));
        }
        for bad in [
            "",
            "MIT AND",
            "Foo",
            "MIT WITH MIT",
            "(MIT",
            "MIT)",
            "MIT Apache-2.0",
            "(MIT) WITH Classpath-exception-2.0",
            "LicenseRef-",
        ] {
            assert!(v(bad).is_err(), "{bad}");
        }
    }
}
