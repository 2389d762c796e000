//! Finding the headings of a file: ATX and setext headings in Markdown,
//! underlined (and overlined) section titles in reStructuredText, each with
//! the anchors attached above it.

use super::heading::{self, Heading};
use super::lines::{self, Line, Region};
use super::Format;

/// Every heading of the file, in order.
pub(crate) fn headings(lines: &[Line], regions: &[Region], format: Format) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::new();
    // reStructuredText levels: the order in which adornment styles first appear.
    let mut styles: Vec<(char, bool)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let after_break =
            i == 0 || lines[i - 1].is_blank() || out.last().is_some_and(|h| h.end + 1 == i);
        let found = match format {
            Format::Markdown => heading::atx(i, &lines[i].text)
                .or_else(|| after_break.then(|| setext(lines, i)).flatten()),
            Format::Rst => after_break.then(|| rst(lines, i, &mut styles)).flatten(),
        };
        let plain = |h: &Heading| (h.start..=h.end).all(|j| regions[j] == Region::Plain);
        match found.filter(plain) {
            Some(mut h) => {
                h.start = attached(lines, regions, h.start);
                i = h.end + 1;
                out.push(h);
            }
            None => i += 1,
        }
    }
    out
}

/// A Markdown setext heading: a one-line paragraph over `===` (level 1) or
/// `---` (level 2). List items, quotes and table rows are not titles.
fn setext(lines: &[Line], i: usize) -> Option<Heading> {
    let (title, under) = (&lines[i].text, &lines.get(i + 1)?.text);
    let (ch, _) = lines::adornment(under, 3).filter(|(c, _)| *c == '=' || *c == '-')?;
    let body = title.trim_start_matches(' ');
    let not_a_paragraph = title.len() - body.len() > 3
        || body.trim().is_empty()
        || lines::adornment(title, 3).is_some()
        || body.starts_with(['>', '|', '<'])
        || is_list_item(body);
    if not_a_paragraph {
        return None;
    }
    let level = if ch == '=' { 1 } else { 2 };
    Some(heading::underlined(i, title, level, ch, false))
}

fn is_list_item(text: &str) -> bool {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let rest = &text[digits..];
    let marker = if digits > 0 {
        rest.strip_prefix(['.', ')'])
    } else {
        rest.strip_prefix(['-', '*', '+'])
    };
    marker.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// A reStructuredText section title starting on line `i`: a title over an
/// underline, or between an overline and an underline of the same character.
/// An underline shorter than the title counts from four characters on, as in
/// docutils.
fn rst(lines: &[Line], i: usize, styles: &mut Vec<(char, bool)>) -> Option<Heading> {
    let text = |j: usize| lines.get(j).map(|l| l.text.as_str());
    let (over, title_idx) = match lines::adornment(text(i)?, 0) {
        Some((c, _))
            if text(i + 2)
                .and_then(|t| lines::adornment(t, 0))
                .is_some_and(|(u, _)| u == c) =>
        {
            (true, i + 1)
        }
        Some(_) => return None,
        None => (false, i),
    };
    let title = text(title_idx)?;
    let width = title.trim().chars().count();
    let fits = |n: usize| n >= width || n >= 4;
    let (ch, n) = lines::adornment(text(title_idx + 1)?, 0)?;
    let inset_ok = over || !title.starts_with([' ', '\t']);
    if width == 0 || !inset_ok || !fits(n) || lines::adornment(title, 0).is_some() {
        return None;
    }
    let level = match styles.iter().position(|s| *s == (ch, over)) {
        Some(p) => p + 1,
        None => {
            styles.push((ch, over));
            styles.len()
        }
    };
    Some(heading::underlined(title_idx, title, level, ch, over))
}

/// The first line of the anchors attached above line `top` (blank lines
/// between them allowed), else `top`.
fn attached(lines: &[Line], regions: &[Region], top: usize) -> usize {
    let mut start = top;
    let mut j = top;
    while j > 0 {
        j -= 1;
        if regions[j] != Region::Plain {
            break;
        }
        if lines::is_anchor(&lines[j].text) {
            start = j;
        } else if !lines[j].is_blank() {
            break;
        }
    }
    start
}
