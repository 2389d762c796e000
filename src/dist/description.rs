//! The long description: its presence, Description-Content-Type, and whether
//! reStructuredText renders (through Python's readme_renderer, as twine and
//! PyPI do: see `rst`).

use super::metadata::CoreMetadata;
use super::rst::{RstOutcome, RstRenderer};
use super::rules::{self, Findings};

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
            format!("the reStructuredText description could not be rendered as PyPI renders it, so PyPI may refuse it: {why}"),
        ),
        // The renderer installs readme_renderer or says why it could not.
        RstOutcome::NotInstalled => f.add(
            rules::DESCRIPTION_RST_UNCHECKED,
            field,
            "the reStructuredText description could not be rendered: readme_renderer is not installed; `pip install readme-renderer`",
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
