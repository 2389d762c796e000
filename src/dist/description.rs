//! The long description: its presence, Description-Content-Type, and whether
//! reStructuredText renders (through Python's readme_renderer, as twine and
//! PyPI do).

use super::metadata::CoreMetadata;
use super::rules::{self, Findings};
use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, Stdio};

/// Environment variable naming the Python used to render reStructuredText.
pub const PYTHON_ENV: &str = crate::env_vars::EnvVars::CARGO_PYPI_PYTHON;

/// Exits 0 when the text on stdin renders, 1 when it does not (docutils'
/// messages on stdout), 3 when readme_renderer is not installed.
const RENDER_SCRIPT: &str = "\
import io, sys
try:
    import readme_renderer.rst as r
except ImportError:
    sys.exit(3)
text = sys.stdin.buffer.read().decode('utf-8')
stream = io.StringIO()
out = r.render(text, stream=stream)
sys.stdout.write(stream.getvalue())
sys.exit(0 if out is not None else 1)
";

/// What rendering reStructuredText gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RstOutcome {
    Rendered,
    /// It does not render; docutils' messages.
    Failed(String),
    /// It could not be tried; why.
    Unavailable(String),
}

/// Renders reStructuredText with `python -c` and readme_renderer.
pub fn render_rst(python: &OsString, text: &str) -> RstOutcome {
    let child = Command::new(python)
        .args(["-c", RENDER_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return RstOutcome::Unavailable(format!("cannot run {}: {e}", python.to_string_lossy()))
        }
    };
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = text.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output();
    let _ = writer.join();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            return RstOutcome::Unavailable(format!("{} failed: {e}", python.to_string_lossy()))
        }
    };
    match output.status.code() {
        Some(0) => RstOutcome::Rendered,
        Some(1) => RstOutcome::Failed(String::from_utf8_lossy(&output.stdout).trim().to_string()),
        Some(3) => RstOutcome::Unavailable(format!(
            "readme_renderer is not installed for {}",
            python.to_string_lossy()
        )),
        _ => RstOutcome::Unavailable(format!(
            "{} failed: {}",
            python.to_string_lossy(),
            first_line(&String::from_utf8_lossy(&output.stderr))
        )),
    }
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// Renders through one Python, remembering outcomes (a wheel and an sdist
/// usually share their description).
#[derive(Debug)]
pub(crate) struct RstRenderer {
    python: OsString,
    cache: HashMap<String, RstOutcome>,
}

impl RstRenderer {
    /// Uses `python`, else `$CARGO_PYPI_PYTHON`, else `python3`.
    pub(crate) fn new(python: Option<&std::path::Path>) -> RstRenderer {
        let python = python
            .map(|p| p.as_os_str().to_owned())
            .or_else(|| std::env::var_os(PYTHON_ENV).filter(|v| !v.is_empty()))
            .unwrap_or_else(|| OsString::from("python3"));
        RstRenderer {
            python,
            cache: HashMap::new(),
        }
    }

    fn render(&mut self, text: &str) -> RstOutcome {
        if let Some(hit) = self.cache.get(text) {
            return hit.clone();
        }
        let outcome = render_rst(&self.python, text);
        self.cache.insert(text.to_string(), outcome.clone());
        outcome
    }
}

/// A parsed Description-Content-Type.
struct ContentType {
    mime: String,
    params: Vec<(String, String)>,
}

fn parse_content_type(value: &str) -> Result<ContentType, String> {
    let mut parts = value.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let mut params = Vec::new();
    for p in parts.map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = p
            .split_once('=')
            .ok_or_else(|| format!("parameter {p:?} is not key=value"))?;
        let v = v.trim().trim_matches('"');
        params.push((k.trim().to_ascii_lowercase(), v.to_string()));
    }
    Ok(ContentType { mime, params })
}

fn content_type_problem(value: &str) -> Option<String> {
    let ct = match parse_content_type(value) {
        Ok(ct) => ct,
        Err(e) => return Some(e),
    };
    if !["text/plain", "text/x-rst", "text/markdown"].contains(&ct.mime.as_str()) {
        return Some(format!(
            "{:?} is not text/plain, text/x-rst or text/markdown",
            ct.mime
        ));
    }
    for (k, v) in &ct.params {
        match k.as_str() {
            "charset" if !v.eq_ignore_ascii_case("utf-8") => {
                return Some(format!("charset {v:?} is not UTF-8"))
            }
            "variant" if ct.mime == "text/markdown" && v != "GFM" && v != "CommonMark" => {
                return Some(format!("Markdown variant {v:?} is not GFM or CommonMark"))
            }
            _ => {}
        }
    }
    None
}

/// Runs the description rules; renders reStructuredText through `renderer`.
pub(crate) fn check(meta: &CoreMetadata, renderer: &mut RstRenderer, f: &mut Findings) {
    let content_type = meta.get("Description-Content-Type");
    let mime = match &content_type {
        Some(ct) => match content_type_problem(ct) {
            Some(problem) => {
                f.add(
                    rules::DESCRIPTION_CONTENT_TYPE_INVALID,
                    Some("Description-Content-Type"),
                    format!("field Description-Content-Type {ct:?}: {problem}, and PyPI refuses it: use text/markdown, text/x-rst or text/plain"),
                );
                return;
            }
            None => parse_content_type(ct).map(|c| c.mime).unwrap_or_default(),
        },
        None => "text/x-rst".to_string(),
    };
    let description = meta
        .description()
        .filter(|d| !d.trim().is_empty() && d.trim_end() != "UNKNOWN");
    let Some(description) = description else {
        f.add(
            rules::DESCRIPTION_MISSING,
            Some("Description"),
            "there is no long description, so the PyPI page will be empty: set `readme = \"README.md\"` in pyproject.toml",
        );
        return;
    };
    if content_type.is_none() {
        f.add(
            rules::DESCRIPTION_CONTENT_TYPE_MISSING,
            Some("Description-Content-Type"),
            "field Description-Content-Type is missing, so PyPI renders the description as reStructuredText: set it (a readme file with a .md or .rst suffix does)",
        );
    }
    if mime == "text/x-rst" {
        check_rst(&description, renderer, f);
    }
}

fn check_rst(text: &str, renderer: &mut RstRenderer, f: &mut Findings) {
    let field = Some("Description");
    match renderer.render(text) {
        RstOutcome::Rendered => {}
        RstOutcome::Failed(messages) => f.add(
            rules::DESCRIPTION_RST,
            field,
            format!(
                "the description does not render as reStructuredText, and PyPI refuses such uploads: {}; fix the markup, or if it is Markdown set Description-Content-Type: text/markdown",
                summarize(&messages)
            ),
        ),
        RstOutcome::Unavailable(why) => f.add(
            rules::DESCRIPTION_RST_UNCHECKED,
            field,
            format!("the reStructuredText description could not be checked ({why}): `pip install readme-renderer` for python3, or point {PYTHON_ENV} at a Python that has it"),
        ),
    }
}

fn summarize(messages: &str) -> String {
    let lines: Vec<&str> = messages
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .collect();
    if lines.is_empty() {
        "readme_renderer gave no details".to_string()
    } else {
        lines.join(" / ")
    }
}

#[cfg(test)]
mod tests {
    use super::content_type_problem as p;

    #[test]
    fn content_types() {
        assert!(p("text/markdown; charset=UTF-8; variant=GFM").is_none());
        assert!(p("text/x-rst").is_none());
        assert!(p("TEXT/PLAIN; charset=utf-8").is_none());
        assert!(p("text/html").is_some());
        assert!(p("text/markdown; variant=gfm").is_some());
        assert!(p("text/plain; charset=latin-1").is_some());
        assert!(p("text/plain; junk").is_some());
    }
}
