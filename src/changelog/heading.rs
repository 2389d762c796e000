//! Heading recognition (the Unreleased heading, release headings) and the
//! release-heading style a file uses, so a new heading can be written alike.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::lines;

/// An ATX heading outside code blocks and comments.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    /// 0-based line index.
    pub idx: usize,
    pub level: usize,
    /// Indentation, `#`s and the blank after them, as written.
    pub prefix: String,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// `[Unreleased]`, `Unreleased`, ...; `url` is the byte range in the line
    /// of a link embedded in the heading (`[Unreleased](url)`).
    Unreleased {
        url: Option<Range<usize>>,
    },
    Release(Release),
    Other,
}

/// A release heading taken apart.
#[derive(Debug, Clone)]
pub(crate) struct Release {
    pub bracket: bool,
    /// `"v"`, `"V"` or `""`.
    pub v: String,
    pub version: String,
    /// A link embedded in the heading (`[1.2.0](url)`).
    pub url: Option<String>,
    /// What stands between the version and the date: `" - "`, `" – "`, `" ("`.
    pub sep: String,
    pub date: Option<String>,
    /// `")"` after a parenthesised date, else `""`.
    pub close: String,
}

const VERSION: &str = r"[0-9]+(?:\.[0-9]+)+(?:[-.+_]?[0-9A-Za-z]+(?:[.+-][0-9A-Za-z]+)*)?";
const DATE: &str = r"[0-9]{4}-[0-9]{2}-[0-9]{2}";

static RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    let re = format!(
        r"^(?P<lb>\[)?(?P<v>[vV])?(?P<ver>{VERSION})(?P<rb>\])?(?:\((?P<url>[^()\s]+)\))?(?P<rest>.*)$"
    );
    Regex::new(&re).expect("valid regex")
});

static DATED: LazyLock<Regex> = LazyLock::new(|| {
    let re = format!(
        r"^(?:(?P<psep>[ \t]*\()(?P<pdate>{DATE})\)|(?P<sep>[ \t]*[-–—][ \t]*|[ \t]+)(?P<date>{DATE}))"
    );
    Regex::new(&re).expect("valid regex")
});

static UNRELEASED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[?(?i:unreleased)\]?(?:\((?P<url>[^()\s]+)\))?(?P<rest>.*)$")
        .expect("valid regex")
});

/// The heading on line `idx`, if `text` is one.
pub(crate) fn parse(idx: usize, text: &str) -> Option<Heading> {
    let atx = lines::atx(text)?;
    let offset = atx.prefix.len();
    let kind = unreleased(atx.content, offset)
        .or_else(|| release(atx.content).map(Kind::Release))
        .unwrap_or(Kind::Other);
    Some(Heading {
        idx,
        level: atx.level,
        prefix: atx.prefix.to_string(),
        kind,
    })
}

fn unreleased(content: &str, offset: usize) -> Option<Kind> {
    let c = UNRELEASED.captures(content)?;
    let rest = c.name("rest").map_or("", |m| m.as_str());
    if rest.starts_with(|ch: char| ch.is_alphanumeric()) {
        return None;
    }
    let url = c.name("url").map(|m| m.start() + offset..m.end() + offset);
    Some(Kind::Unreleased { url })
}

fn release(content: &str) -> Option<Release> {
    let c = RELEASE.captures(content)?;
    let bracket = c.name("lb").is_some();
    if bracket != c.name("rb").is_some() || (!bracket && c.name("url").is_some()) {
        return None;
    }
    let (sep, date, close) = date_part(c.name("rest").map_or("", |m| m.as_str()))?;
    Some(Release {
        bracket,
        v: c.name("v").map_or("", |m| m.as_str()).to_string(),
        version: c["ver"].to_string(),
        url: c.name("url").map(|m| m.as_str().to_string()),
        sep,
        date,
        close,
    })
}

/// Separator, date and closing parenthesis after the version; `None` when the
/// rest does not look like the tail of a release heading (`2.0 migration`).
fn date_part(rest: &str) -> Option<(String, Option<String>, String)> {
    let undated = || (String::new(), None, String::new());
    if let Some(c) = DATED.captures(rest) {
        let text = |a: &str, b: &str| c.name(a).or(c.name(b)).map_or("", |m| m.as_str());
        let close = if c.name("pdate").is_some() { ")" } else { "" };
        let date = Some(text("date", "pdate").to_string());
        return Some((text("sep", "psep").to_string(), date, close.to_string()));
    }
    let tail = rest.trim_start();
    let loose =
        tail.is_empty() || (tail.len() < rest.len() && tail.starts_with(['-', '–', '—', '(', '[']));
    loose.then(undated)
}

/// Keeps the first acceptable Unreleased heading (level 1 to 3, or the level
/// of the newest release heading) and demotes every other one to `Other`.
pub(crate) fn pick_unreleased(headings: &mut [Heading]) -> Option<usize> {
    let release_level = headings
        .iter()
        .find(|h| matches!(h.kind, Kind::Release(_)))
        .map(|h| h.level);
    let mut picked = None;
    for (i, h) in headings.iter_mut().enumerate() {
        if !matches!(h.kind, Kind::Unreleased { .. }) {
            continue;
        }
        if picked.is_none() && (h.level <= 3 || Some(h.level) == release_level) {
            picked = Some(i);
        } else {
            h.kind = Kind::Other;
        }
    }
    picked
}

/// How release headings are written in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Style {
    prefix: String,
    bracket: bool,
    v: String,
    /// The newest heading's embedded link, the shape for the new one.
    pub link: Option<String>,
    sep: String,
    close: String,
    dated: bool,
}

impl Style {
    /// `## [X.Y.Z] - YYYY-MM-DD`, with `prefix` in place of `## `.
    fn keep_a_changelog(prefix: &str) -> Style {
        Style {
            prefix: prefix.to_string(),
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
    pub(crate) fn infer(headings: &[Heading], fallback_prefix: &str) -> Style {
        let mut releases = headings.iter().filter_map(|h| match &h.kind {
            Kind::Release(r) => Some((h, r)),
            _ => None,
        });
        let Some((newest, r)) = releases.next() else {
            return Style::keep_a_changelog(fallback_prefix);
        };
        let dated = std::iter::once(r)
            .chain(releases.map(|(_, r)| r))
            .find(|r| r.date.is_some());
        Style {
            prefix: newest.prefix.clone(),
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

    pub(crate) fn render(&self, version: &str, date: &str, link: Option<&str>) -> String {
        let label = self.label(version);
        let mut out = self.prefix.clone();
        match link {
            Some(url) => out.push_str(&format!("[{label}]({url})")),
            None if self.bracket => out.push_str(&format!("[{label}]")),
            None => out.push_str(&label),
        }
        if self.dated {
            out.push_str(&format!("{}{date}{}", self.sep, self.close));
        }
        out
    }
}
