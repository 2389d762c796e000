//! The release-heading style a file uses (ATX level or underline, brackets,
//! `v`, an embedded link, the date and its separator), so that a new heading
//! is written like the ones already there.

use super::heading::{Form, Heading, Kind};

/// How release headings are written in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Style {
    form: Form,
    bracket: bool,
    v: String,
    /// The newest heading's embedded link, the shape for the new one.
    pub link: Option<String>,
    sep: String,
    close: String,
    dated: bool,
}

impl Style {
    /// `## [X.Y.Z] - YYYY-MM-DD`, written as `form`.
    fn keep_a_changelog(form: &Form) -> Style {
        Style {
            form: form.clone(),
            bracket: true,
            v: String::new(),
            link: None,
            sep: " - ".to_string(),
            close: String::new(),
            dated: true,
        }
    }

    /// The style of the newest release heading; the separator comes from the
    /// newest dated one, and no heading dated means the file writes no dates.
    /// Without a release heading: Keep a Changelog's, written as `fallback`.
    pub(crate) fn infer(headings: &[Heading], fallback: &Form) -> Style {
        let mut releases = headings.iter().filter_map(|h| match &h.kind {
            Kind::Release(r) => Some((h, r)),
            _ => None,
        });
        let Some((newest, r)) = releases.next() else {
            return Style::keep_a_changelog(fallback);
        };
        let dated = std::iter::once(r)
            .chain(releases.map(|(_, r)| r))
            .find(|r| r.date.is_some());
        Style {
            form: newest.form.clone(),
            bracket: r.bracket,
            v: r.v.clone(),
            link: r.url.clone(),
            sep: dated.map_or(String::new(), |d| d.sep.clone()),
            close: dated.map_or(String::new(), |d| d.close.clone()),
            dated: dated.is_some(),
        }
    }

    /// The version as the heading shows it, also the label of its link.
    pub(crate) fn label(&self, version: &str) -> String {
        format!("{}{version}", self.v)
    }

    /// Whether the heading is `[X.Y.Z]`, a label that a link definition can name.
    pub(crate) fn bracketed(&self) -> bool {
        self.bracket && self.link.is_none()
    }

    /// The heading's lines: the title, with its over- and underline if any
    /// (as long as the title).
    pub(crate) fn render(&self, version: &str, date: &str, link: Option<&str>) -> Vec<String> {
        let label = self.label(version);
        let mut title = String::new();
        match link {
            Some(url) => title.push_str(&format!("[{label}]({url})")),
            None if self.bracket => title.push_str(&format!("[{label}]")),
            None => title.push_str(&label),
        }
        if self.dated {
            title.push_str(&format!("{}{date}{}", self.sep, self.close));
        }
        match &self.form {
            Form::Atx(prefix) => vec![format!("{prefix}{title}")],
            Form::Underlined { ch, over } => {
                let rule = ch.to_string().repeat(title.chars().count());
                let mut lines = vec![title, rule.clone()];
                if *over {
                    lines.insert(0, rule);
                }
                lines
            }
        }
    }
}
