//! Rotation: Unreleased becomes a dated release, a fresh Unreleased goes on top
//! and the compare links move on; every other line is written back unchanged.

use std::collections::BTreeMap;

use super::heading::Kind;
use super::lines::{self, LinkDef, Region};
use super::links::{self, UrlRotation};
use super::style::Style;
use super::{Changelog, ChangelogError};

/// Replacement text (line endings included) keyed by 0-based line index.
pub(super) type Edits = BTreeMap<usize, String>;

pub(super) fn rotate(
    cl: &Changelog,
    version: &str,
    date: &str,
    new_tag: &str,
) -> Result<String, ChangelogError> {
    let h = cl.unreleased.ok_or(ChangelogError::NoUnreleased)?;
    let version = super::strip_v(version.trim());
    if let Some(s) = cl.find(&[version]) {
        return Err(ChangelogError::VersionExists(version.to_string(), s.line));
    }
    let heading = &cl.headings[h];
    let line = &cl.lines[heading.idx];
    let heading_url = match &heading.kind {
        Kind::Unreleased { url: Some(r) } => Some(r.clone()),
        _ => None,
    };
    let heading_rot = (heading_url.clone()).and_then(|r| links::rotate_url(&line.text[r], new_tag));
    let footer = footer_link(cl).and_then(|(i, def)| {
        let rot = links::rotate_url(&cl.lines[i].text[def.url.clone()], new_tag)?;
        Some((i, def, rot))
    });
    let style = Style::infer(&cl.headings, &heading.form);
    let release_link = style.link.as_deref().map(|shape| {
        let rot = footer.as_ref().map(|(_, _, r)| r).or(heading_rot.as_ref());
        links::heading_link(shape, rot, new_tag)
    });
    let fresh = match (heading_url, &heading_rot) {
        (Some(r), Some(rot)) => splice(&line.text, r, &rot.unreleased),
        _ => line.text.clone(),
    };
    let eol = cl.eol();
    let rotated = style
        .render(version, date, release_link.as_deref())
        .join(eol);
    // The new heading goes under the Unreleased heading's last line (its underline).
    let mut edits = Edits::new();
    edits.insert(heading.idx, format!("{fresh}{}", line.eol));
    let last = &cl.lines[heading.end];
    let last_text = if heading.end == heading.idx {
        &fresh
    } else {
        &last.text
    };
    edits.insert(
        heading.end,
        format!("{last_text}{eol}{eol}{rotated}{}", last.eol),
    );
    if let Some((i, def, rot)) = footer {
        edits.insert(i, footer_edit(cl, i, &def, &rot, &style.label(version)));
    }
    Ok(apply(cl, &edits))
}

/// The `[Unreleased]: url` definition and its line index.
pub(super) fn footer_link(cl: &Changelog) -> Option<(usize, LinkDef<'_>)> {
    cl.lines.iter().enumerate().find_map(|(i, l)| {
        let def =
            lines::link_def(&l.text).filter(|d| d.label.eq_ignore_ascii_case("unreleased"))?;
        (cl.regions[i] == Region::Plain).then_some((i, def))
    })
}

/// The rewritten Unreleased definition on line `i`, and below it the new
/// release's one unless the file already defines that label.
pub(super) fn footer_edit(
    cl: &Changelog,
    i: usize,
    def: &LinkDef,
    rot: &UrlRotation,
    label: &str,
) -> String {
    let line = &cl.lines[i];
    let unreleased = splice(&line.text, def.url.clone(), &rot.unreleased);
    if has_definition(cl, label) {
        return format!("{unreleased}{}", line.eol);
    }
    let release = format!("{}[{label}]{}{}", def.indent, def.colon, rot.release);
    format!("{unreleased}{}{release}{}", cl.eol(), line.eol)
}

pub(super) fn has_definition(cl: &Changelog, label: &str) -> bool {
    cl.lines.iter().zip(&cl.regions).any(|(l, r)| {
        *r == Region::Plain
            && lines::link_def(&l.text).is_some_and(|d| d.label.eq_ignore_ascii_case(label))
    })
}

fn splice(text: &str, range: std::ops::Range<usize>, with: &str) -> String {
    format!("{}{with}{}", &text[..range.start], &text[range.end..])
}

pub(super) fn apply(cl: &Changelog, edits: &Edits) -> String {
    let mut out = String::new();
    for (i, line) in cl.lines.iter().enumerate() {
        match edits.get(&i) {
            Some(text) => out.push_str(text),
            None => {
                out.push_str(&line.text);
                out.push_str(line.eol);
            }
        }
    }
    out
}
