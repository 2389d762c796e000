//! A section for a release in a file without an Unreleased section (notes
//! written at release time): a heading like the newest one goes above it,
//! with the anchor the file puts over each heading and the link definition
//! it keeps for each release.

use super::heading::{Form, Kind};
use super::links;
use super::rotate::{self, Edits};
use super::style::Style;
use super::{lines, Changelog};

/// The file with a section for `version` above the newest release, and the
/// 1-based line of its heading. The file has a release heading.
pub(super) fn add(cl: &Changelog, version: &str, date: &str, new_tag: &str) -> (String, usize) {
    let fallback = Form::Atx("## ".to_string());
    let style = Style::infer(&cl.headings, &fallback);
    let Some((newest, old)) = cl.headings.iter().find_map(|h| match &h.kind {
        Kind::Release(r) => Some((h, r.version.as_str())),
        _ => None,
    }) else {
        return (rotate::apply(cl, &Edits::new()), 0);
    };
    let eol = cl.eol();
    let link = style
        .link
        .as_deref()
        .map(|shape| links::heading_link(shape, None, new_tag));
    let top = newest.idx - usize::from(matches!(newest.form, Form::Underlined { over: true, .. }));
    // A title right under text is no heading: keep a blank line above it.
    let start = newest.start;
    let mut new: Vec<String> = match start > 0 && !cl.lines[start - 1].is_blank() {
        true => vec![String::new()],
        false => Vec::new(),
    };
    new.extend(anchors(cl, newest.start..top, old, version));
    let line = newest.start + new.len() + (top < newest.idx) as usize + 1;
    new.extend(style.render(version, date, link.as_deref()));
    new.extend(std::iter::repeat_n(String::new(), gap(cl, newest.start)));
    let at = &cl.lines[newest.start];
    let mut edits = Edits::new();
    let block: String = new.iter().map(|l| format!("{l}{eol}")).collect();
    edits.insert(newest.start, format!("{block}{}{}", at.text, at.eol));
    if style.bracketed() {
        if let Some((i, text)) = definition(cl, &style, old, version, new_tag) {
            edits.insert(i, text);
        }
    }
    (rotate::apply(cl, &edits), line)
}

/// The anchors above the newest heading (lines `range`), for the new
/// version: each names the old version (`v46-0-3` or `46.0.3`), which
/// becomes the new one. When one does not, the new heading gets none.
fn anchors(cl: &Changelog, range: std::ops::Range<usize>, old: &str, new: &str) -> Vec<String> {
    let dashed = |v: &str| v.replace('.', "-");
    let mut out = Vec::new();
    for line in &cl.lines[range] {
        let text = &line.text;
        if line.is_blank() {
            out.push(String::new());
        } else if text.contains(&dashed(old)) {
            out.push(text.replace(&dashed(old), &dashed(new)));
        } else if text.contains(old) {
            out.push(text.replace(old, new));
        } else {
            return Vec::new();
        }
    }
    out
}

/// How many blank lines the file leaves above the newest heading (at least one).
fn gap(cl: &Changelog, start: usize) -> usize {
    let blank = cl.lines[..start]
        .iter()
        .rev()
        .take_while(|l| l.is_blank())
        .count();
    blank.max(1)
}

/// The link definition line to add for the new release, keyed by line index:
/// under a rotated `[Unreleased]: …compare/…` definition, else above the
/// newest release's own definition, shaped like it.
fn definition(
    cl: &Changelog,
    style: &Style,
    old: &str,
    version: &str,
    new_tag: &str,
) -> Option<(usize, String)> {
    let label = style.label(version);
    if rotate::has_definition(cl, &label) {
        return None;
    }
    if let Some((i, def)) = rotate::footer_link(cl) {
        if let Some(rot) = links::rotate_url(&cl.lines[i].text[def.url.clone()], new_tag) {
            return Some((i, rotate::footer_edit(cl, i, &def, &rot, &label)));
        }
    }
    let old_label = style.label(old);
    let (i, def) = cl.lines.iter().enumerate().find_map(|(i, l)| {
        let def = lines::link_def(&l.text).filter(|d| d.label.eq_ignore_ascii_case(&old_label))?;
        Some((i, def))
    })?;
    let line = &cl.lines[i];
    let url = links::heading_link(&line.text[def.url.clone()], None, new_tag);
    let text = format!(
        "{}[{label}]{}{url}{}{}{}",
        def.indent,
        def.colon,
        cl.eol(),
        line.text,
        line.eol
    );
    Some((i, text))
}
