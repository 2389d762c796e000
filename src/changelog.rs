//! Keep a Changelog files: find the Unreleased and released sections, and rotate
//! Unreleased into a dated release section in the style the file already uses.
//!
//! Parsing is line based: ATX headings outside fenced code blocks and HTML
//! comments. Release headings may be written `## [1.2.0] - 2026-11-21`,
//! `## 1.2.0 – 2026-11-21`, `## v1.2.0 (2026-11-21)`,
//! `## [1.2.0](https://…/compare/v1.1.0...v1.2.0) (2026-11-21)` or just
//! `## 1.2.0`; versions may be SemVer or PEP 440 pre-releases.

mod heading;
mod lines;
mod links;
mod rotate;

use std::ops::Range;

use heading::{Heading, Kind};
use lines::{Line, Region};

/// Why a changelog cannot be rotated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangelogError {
    #[error("no `Unreleased` section (add `## [Unreleased]` above the latest release)")]
    NoUnreleased,
    #[error("a section for {0} already exists at line {1}")]
    VersionExists(String, usize),
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
    pub fn parse(text: &str) -> Changelog {
        let lines = lines::split(text);
        let regions = lines::regions(&lines);
        let mut headings: Vec<Heading> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| regions[*i] == Region::Plain)
            .filter_map(|(i, l)| heading::parse(i, &l.text))
            .collect();
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
        self.body_range(h).all(|i| {
            let line = &self.lines[i];
            self.regions[i] == Region::Comment
                || (self.regions[i] == Region::Plain
                    && (line.is_blank() || lines::atx(&line.text).is_some()))
        })
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
            .map_or(self.lines.len(), |o| o.idx);
        let end = if self.footer_start > me.idx {
            end.min(self.footer_start)
        } else {
            end
        };
        me.idx + 1..end
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
