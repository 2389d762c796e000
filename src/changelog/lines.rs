//! Line-level scanning: line endings, code fences, HTML comments, ATX headings
//! and link reference definitions. Nothing here knows about versions.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// One line of the file, split from its line ending so it can be put back as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub text: String,
    /// `"\n"`, `"\r\n"`, or `""` for a last line without a newline.
    pub eol: &'static str,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// What kind of block a line belongs to; only `Plain` lines hold headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    Plain,
    /// A fenced code block, fences included.
    Fence,
    /// An HTML comment (`<!-- ... -->`), possibly spanning lines.
    Comment,
}

/// A block that is open at the end of a line.
enum Open {
    Fence(char, usize),
    Comment,
}

pub(crate) fn split(text: &str) -> Vec<Line> {
    text.split_inclusive('\n')
        .map(|raw| match raw.strip_suffix('\n') {
            Some(t) => match t.strip_suffix('\r') {
                Some(t) => Line {
                    text: t.to_string(),
                    eol: "\r\n",
                },
                None => Line {
                    text: t.to_string(),
                    eol: "\n",
                },
            },
            None => Line {
                text: raw.to_string(),
                eol: "",
            },
        })
        .collect()
}

/// The region of every line.
pub(crate) fn regions(lines: &[Line]) -> Vec<Region> {
    let mut open = None;
    lines.iter().map(|l| step(&mut open, &l.text)).collect()
}

fn step(open: &mut Option<Open>, text: &str) -> Region {
    match open {
        Some(Open::Fence(c, n)) => {
            if closes_fence(text, *c, *n) {
                *open = None;
            }
            Region::Fence
        }
        Some(Open::Comment) => {
            if text.contains("-->") {
                *open = None;
            }
            Region::Comment
        }
        None => open_block(open, text),
    }
}

fn open_block(open: &mut Option<Open>, text: &str) -> Region {
    if let Some((c, n)) = fence(text) {
        *open = Some(Open::Fence(c, n));
        return Region::Fence;
    }
    if let Some(rest) = text.trim_start().strip_prefix("<!--") {
        if !rest.contains("-->") {
            *open = Some(Open::Comment);
        }
        return Region::Comment;
    }
    Region::Plain
}

/// An opening fence: up to three spaces, then three or more backticks or tildes.
fn fence(text: &str) -> Option<(char, usize)> {
    let body = text.trim_start_matches(' ');
    if text.len() - body.len() > 3 {
        return None;
    }
    let c = body.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = body.chars().take_while(|x| *x == c).count();
    let info = &body[n..];
    (n >= 3 && !(c == '`' && info.contains('`'))).then_some((c, n))
}

fn closes_fence(text: &str, c: char, n: usize) -> bool {
    let body = text.trim_start_matches(' ');
    let run = body.chars().take_while(|x| *x == c).count();
    text.len() - body.len() <= 3 && run >= n && body[run..].trim().is_empty()
}

/// An ATX heading split into its marker and its text.
pub(crate) struct Atx<'a> {
    pub level: usize,
    /// Indentation, the `#`s and the blank after them.
    pub prefix: &'a str,
    /// The heading text, without a closing `#` sequence or trailing blanks.
    pub content: &'a str,
}

static ATX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^( {0,3}(#{1,6})(?:[ \t]+|$))(.*)$").expect("valid regex"));

pub(crate) fn atx(text: &str) -> Option<Atx<'_>> {
    let c = ATX.captures(text)?;
    let (prefix, hashes) = (c.get(1)?.as_str(), c.get(2)?.as_str());
    Some(Atx {
        level: hashes.len(),
        prefix,
        content: strip_closing(c.get(3)?.as_str()),
    })
}

fn strip_closing(s: &str) -> &str {
    let t = s.trim_end();
    let u = t.trim_end_matches('#');
    match u {
        _ if u.len() == t.len() => t,
        "" => u,
        _ if u.ends_with([' ', '\t']) => u.trim_end(),
        _ => t,
    }
}

/// A link reference definition, `[label]: url`.
pub(crate) struct LinkDef<'a> {
    pub label: &'a str,
    /// Byte range of the URL in the line.
    pub url: Range<usize>,
    /// The text before the label's `[` (indentation).
    pub indent: &'a str,
    /// The text between `]` and the URL (`: `).
    pub colon: &'a str,
}

static LINK_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^( {0,3})\[([^\]]+)\](:[ \t]*)(\S+)").expect("valid regex"));

pub(crate) fn link_def(text: &str) -> Option<LinkDef<'_>> {
    let c = LINK_DEF.captures(text)?;
    Some(LinkDef {
        indent: c.get(1)?.as_str(),
        label: c.get(2)?.as_str(),
        colon: c.get(3)?.as_str(),
        url: c.get(4)?.range(),
    })
}

/// Index of the first line of the trailing block of blank lines and link
/// definitions (the footer); `lines.len()` when the file ends otherwise.
pub(crate) fn footer_start(lines: &[Line], regions: &[Region]) -> usize {
    let in_footer = |i: usize| {
        regions[i] == Region::Plain && (lines[i].is_blank() || link_def(&lines[i].text).is_some())
    };
    let mut start = lines.len();
    while start > 0 && in_footer(start - 1) {
        start -= 1;
    }
    start
}

/// A line that is one punctuation character repeated (a setext or
/// reStructuredText underline): the character and how many. `indent` is how
/// many leading spaces are allowed; trailing blanks are.
pub(crate) fn adornment(text: &str, indent: usize) -> Option<(char, usize)> {
    let body = text.trim_start_matches(' ');
    if text.len() - body.len() > indent {
        return None;
    }
    let body = body.trim_end();
    let c = body.chars().next().filter(char::is_ascii_punctuation)?;
    let n = body.chars().count();
    (n >= 2 && body.chars().all(|x| x == c)).then_some((c, n))
}

/// An anchor written just above a heading so that links can point at it: a
/// reStructuredText target (`.. _v1-2-0:`) or an HTML anchor (`<a name="1.2.0"></a>`).
pub(crate) fn is_anchor(text: &str) -> bool {
    static ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^(?:\.\. _[^:`]+:|<a (?:name|id)="[^"]*"\s*(?:/>|></a>))\s*$"#)
            .expect("valid regex")
    });
    ANCHOR.is_match(text)
}
