//! Heading recognition: what a heading's text says (the Unreleased heading,
//! a release heading taken apart, anything else) and how it is written (ATX,
//! or a title over an underline).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::lines;

/// A heading outside code blocks and comments.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    /// 0-based index of its first line: an anchor attached above it
    /// (`.. _v1-2-0:`), else an overline, else the title.
    pub start: usize,
    /// 0-based index of the title line.
    pub idx: usize,
    /// 0-based index of its last line: the underline, else the title.
    pub end: usize,
    pub level: usize,
    pub form: Form,
    pub kind: Kind,
}

/// How a heading is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Form {
    /// `## Title`: indentation, `#`s and the blank after them, as written.
    Atx(String),
    /// A title over a line of `ch` (and under one too when `over`): Markdown
    /// setext headings, reStructuredText section titles.
    Underlined { ch: char, over: bool },
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

/// The ATX heading on line `idx`, if `text` is one.
pub(crate) fn atx(idx: usize, text: &str) -> Option<Heading> {
    let atx = lines::atx(text)?;
    Some(Heading {
        start: idx,
        idx,
        end: idx,
        level: atx.level,
        form: Form::Atx(atx.prefix.to_string()),
        kind: kind(atx.content, atx.prefix.len()),
    })
}

/// The underlined heading whose title `text` is on line `idx`.
pub(crate) fn underlined(idx: usize, text: &str, level: usize, ch: char, over: bool) -> Heading {
    let content = text.trim_end();
    let indent = content.len() - content.trim_start().len();
    Heading {
        start: idx - usize::from(over),
        idx,
        end: idx + 1,
        level,
        form: Form::Underlined { ch, over },
        kind: kind(&content[indent..], indent),
    }
}

/// What heading text says; `offset` is where it starts in its line.
fn kind(content: &str, offset: usize) -> Kind {
    unreleased(content, offset)
        .or_else(|| release(content).map(Kind::Release))
        .unwrap_or(Kind::Other)
}

/// Other names real changelogs give the Unreleased section (`## Next Version`,
/// `dev` over `---`); taken only alone or before a date-like tail, so that
/// `## Next steps` stays an ordinary heading.
static UNRELEASED_ALIAS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:upcoming|next(?: release| version)?|in development|dev)(?:[ \t]+[-–—(\[].*)?$",
    )
    .expect("valid regex")
});

fn unreleased(content: &str, offset: usize) -> Option<Kind> {
    if UNRELEASED_ALIAS.is_match(content) {
        return Some(Kind::Unreleased { url: None });
    }
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
