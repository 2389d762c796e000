//! Changelogs as maintainers keep them: find the Unreleased and released
//! sections, and for a release either rotate Unreleased into a dated release
//! section or, when the file has none, add a section for the new version; both
//! in the style the file already uses.
//!
//! Parsing is line based: headings outside fenced code blocks and HTML
//! comments; ATX and setext headings in Markdown, underlined section titles in
//! reStructuredText. Release headings may be written `## [1.2.0] - 2026-11-21`,
//! `## 1.2.0 – 2026-11-21`, `## v1.2.0 (2026-11-21)`,
//! `## [1.2.0](https://…/compare/v1.1.0...v1.2.0) (2026-11-21)`, just
//! `## 1.2.0`, or `1.2.0 (2026-11-21)` over a line of `-`; versions may be
//! SemVer or PEP 440 pre-releases. A file without any version heading (one
//! that says where the notes moved) is not a changelog.

mod add;
mod heading;
mod lines;
mod links;
mod rotate;
mod scan;
mod style;

use std::ops::Range;
use std::path::Path;

use heading::{Heading, Kind};
use lines::{Line, Region};

/// The markup of a changelog, which decides how headings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    /// reStructuredText: section titles are underlined.
    Rst,
}

impl Format {
    /// reStructuredText for a `.rst` file, else Markdown.
    pub fn of(path: &Path) -> Format {
        match path.extension() {
            Some(e) if e.eq_ignore_ascii_case("rst") => Format::Rst,
            _ => Format::Markdown,
        }
    }
}

/// What [`Changelog::release`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Unreleased became the release; `empty`: it held no notes.
    Rotated { empty: bool },
    /// No Unreleased section: a section for the release was added, without
    /// notes, its heading on this 1-based line.
    Added { line: usize },
    /// A section for the release was already written (at this line); the
    /// file is unchanged.
    Exists { line: usize },
}

/// The file after [`Changelog::release`], and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    pub text: String,
    pub outcome: Outcome,
}

/// Why a changelog cannot be rotated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangelogError {
    #[error("no `Unreleased` section (add `## [Unreleased]` above the latest release)")]
    NoUnreleased,
    #[error("a section for {0} already exists at line {1}")]
    VersionExists(String, usize),
    #[error("no version heading, so not a changelog")]
    NotAChangelog,
}

/// A parsed changelog; holds the lines and the positions of its headings.
#[derive(Debug, Clone)]
pub struct Changelog {
    lines: Vec<Line>,
    regions: Vec<Region>,
    headings: Vec<Heading>,
    /// Index into `headings` of the Unreleased heading.
    unreleased: Option<usize>,
    /// First line of the trailing link definitions, which no section owns.
    footer_start: usize,
}

/// A release heading found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Version as written in the heading (without brackets or a leading `v`).
    pub version: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// Date as written, if any (`YYYY-MM-DD` dates only).
    pub date: Option<String>,
}

impl Changelog {
    /// A Markdown changelog.
    pub fn parse(text: &str) -> Changelog {
        Changelog::parse_as(text, Format::Markdown)
    }

    pub fn parse_as(text: &str, format: Format) -> Changelog {
        let lines = lines::split(text);
        // reStructuredText has no fences or HTML comments (`~~~` is an underline there).
        let regions = match format {
            Format::Markdown => lines::regions(&lines),
            Format::Rst => vec![Region::Plain; lines.len()],
        };
        let mut headings = scan::headings(&lines, &regions, format);
        let unreleased = heading::pick_unreleased(&mut headings);
        let footer_start = lines::footer_start(&lines, &regions);
        Changelog {
            lines,
            regions,
            headings,
            unreleased,
            footer_start,
        }
    }

    /// 1-based line of the `Unreleased` heading, if any.
    pub fn unreleased_line(&self) -> Option<usize> {
        self.unreleased.map(|h| self.headings[h].idx + 1)
    }

    /// The trimmed body of the Unreleased section, if there is one.
    pub fn unreleased_body(&self) -> Option<String> {
        self.unreleased.map(|h| self.body_text(h))
    }

    /// True when there is an Unreleased section and it holds no entries: only
    /// blank lines, sub-headings (`### Added`) and HTML comments.
    pub fn unreleased_is_empty(&self) -> bool {
        let Some(h) = self.unreleased else {
            return false;
        };
        let in_heading = |i: usize| self.headings.iter().any(|o| (o.start..=o.end).contains(&i));
        self.body_range(h).all(|i| {
            self.regions[i] == Region::Comment
                || (self.regions[i] == Region::Plain && (self.lines[i].is_blank() || in_heading(i)))
        })
    }

    /// Whether the file keeps versions: it has an Unreleased or a release
    /// heading. One without (it says where the notes moved) is not a changelog.
    pub fn keeps_versions(&self) -> bool {
        self.unreleased.is_some()
            || self
                .headings
                .iter()
                .any(|h| matches!(h.kind, Kind::Release(_)))
    }

    /// Release headings, top (newest) first.
    pub fn sections(&self) -> Vec<Section> {
        self.headings.iter().filter_map(section).collect()
    }

    /// The section whose heading names `version` (either of the given spellings).
    /// Spellings match without a leading `v` and ignoring ASCII case.
    pub fn find(&self, versions: &[&str]) -> Option<Section> {
        self.find_heading(versions)
            .and_then(|h| section(&self.headings[h]))
    }

    /// The body (lines after the heading up to the next same-level heading,
    /// trimmed) of the section for `version`; used as the tag message.
    /// Lines are joined with `\n` whatever the file's line endings.
    pub fn body(&self, version: &str) -> Option<String> {
        self.find_heading(&[version]).map(|h| self.body_text(h))
    }

    /// Rotates Unreleased into `version` dated `date` (`YYYY-MM-DD`), puts a fresh
    /// empty Unreleased section on top and moves compare links at the bottom
    /// (the `[Unreleased]: …compare/OLD...HEAD` link gives the previous tag;
    /// `new_tag` is the tag the new release will get).
    pub fn rotate(
        &self,
        version: &str,
        date: &str,
        new_tag: &str,
    ) -> Result<String, ChangelogError> {
        rotate::rotate(self, version, date, new_tag)
    }

    /// The file for a release of `version` dated `date` (`YYYY-MM-DD`) and
    /// tagged `new_tag`: Unreleased rotated (see [`Changelog::rotate`]); without
    /// an Unreleased section, a section for `version` added above the newest
    /// one, in the same style, with no notes yet; unchanged when `version`
    /// already has a section (written ahead) and Unreleased holds no notes.
    pub fn release(
        &self,
        version: &str,
        date: &str,
        new_tag: &str,
    ) -> Result<Released, ChangelogError> {
        let written = self.find(&[version]);
        let empty = self.unreleased_is_empty();
        if let Some(s) = written.filter(|_| self.unreleased.is_none() || empty) {
            let text = rotate::apply(self, &rotate::Edits::new());
            let outcome = Outcome::Exists { line: s.line };
            return Ok(Released { text, outcome });
        }
        if self.unreleased.is_some() {
            let text = self.rotate(version, date, new_tag)?;
            let outcome = Outcome::Rotated { empty };
            return Ok(Released { text, outcome });
        }
        if !self.keeps_versions() {
            return Err(ChangelogError::NotAChangelog);
        }
        let (text, line) = add::add(self, strip_v(version.trim()), date, new_tag);
        Ok(Released {
            text,
            outcome: Outcome::Added { line },
        })
    }

    /// The title of a new release heading in this file's style, with
    /// `YYYY-MM-DD` for the date: what `check` suggests writing.
    pub fn suggested_heading(&self, version: &str) -> String {
        let fallback = self.fallback_form();
        let style = style::Style::infer(&self.headings, &fallback);
        let lines = style.render(strip_v(version.trim()), "YYYY-MM-DD", None);
        match lines.as_slice() {
            [only] => only.clone(),
            [_, title, _] | [title, _] => title.clone(),
            _ => String::new(),
        }
    }

    /// How a heading is written when the file has no release heading to copy:
    /// like its Unreleased heading, else `## `.
    fn fallback_form(&self) -> heading::Form {
        self.unreleased
            .map_or(heading::Form::Atx("## ".to_string()), |h| {
                self.headings[h].form.clone()
            })
    }

    fn find_heading(&self, versions: &[&str]) -> Option<usize> {
        let wanted: Vec<String> = versions.iter().map(|v| normalize(v)).collect();
        self.headings.iter().position(|h| match &h.kind {
            Kind::Release(r) => wanted.contains(&normalize(&r.version)),
            _ => false,
        })
    }

    /// Line indices of the body of heading `h`: up to the next release or
    /// Unreleased heading, or any heading of the same or a higher level, and
    /// never into the footer of link definitions.
    fn body_range(&self, h: usize) -> Range<usize> {
        let me = &self.headings[h];
        let end = self.headings[h + 1..]
            .iter()
            .find(|o| !matches!(o.kind, Kind::Other) || o.level <= me.level)
            .map_or(self.lines.len(), |o| o.start);
        let end = if self.footer_start > me.end {
            end.min(self.footer_start)
        } else {
            end
        };
        me.end + 1..end.max(me.end + 1)
    }

    /// The body without blank lines at either end, joined with `\n`.
    fn body_text(&self, h: usize) -> String {
        let body = &self.lines[self.body_range(h)];
        let first = body
            .iter()
            .position(|l| !l.is_blank())
            .unwrap_or(body.len());
        let text: Vec<&str> = body[first..].iter().map(|l| l.text.as_str()).collect();
        text.join("\n").trim_end().to_string()
    }

    /// The file's line ending: that of its first line, `\n` for a one-liner.
    fn eol(&self) -> &'static str {
        self.lines
            .iter()
            .map(|l| l.eol)
            .find(|e| !e.is_empty())
            .unwrap_or("\n")
    }
}

fn section(h: &Heading) -> Option<Section> {
    match &h.kind {
        Kind::Release(r) => Some(Section {
            version: r.version.clone(),
            line: h.idx + 1,
            date: r.date.clone(),
        }),
        _ => None,
    }
}

fn strip_v(version: &str) -> &str {
    version.strip_prefix(['v', 'V']).unwrap_or(version)
}

fn normalize(version: &str) -> String {
    strip_v(version.trim()).to_ascii_lowercase()
}
