//! Keep a Changelog files: find the Unreleased and released sections, and rotate
//! Unreleased into a dated release section in the style the file already uses.

/// Why a changelog cannot be rotated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangelogError {
    #[error("no `Unreleased` section (add `## [Unreleased]` above the latest release)")]
    NoUnreleased,
    #[error("a section for {0} already exists at line {1}")]
    VersionExists(String, usize),
}

/// A parsed changelog; holds the text and the positions of its headings.
#[derive(Debug, Clone)]
pub struct Changelog {
    text: String,
}

/// A release heading found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Version as written in the heading (without brackets or a leading `v`).
    pub version: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// Date as written, if any.
    pub date: Option<String>,
}

impl Changelog {
    pub fn parse(text: &str) -> Changelog {
        Changelog {
            text: text.to_string(),
        }
    }

    /// 1-based line of the `Unreleased` heading, if any.
    pub fn unreleased_line(&self) -> Option<usize> {
        let _ = &self.text;
        todo!()
    }

    /// Release headings, top (newest) first.
    pub fn sections(&self) -> Vec<Section> {
        todo!()
    }

    /// The section whose heading names `version` (either of the given spellings).
    pub fn find(&self, versions: &[&str]) -> Option<Section> {
        let _ = versions;
        todo!()
    }

    /// The body (lines after the heading up to the next same-level heading,
    /// trimmed) of the section for `version`; used as the tag message.
    pub fn body(&self, version: &str) -> Option<String> {
        let _ = version;
        todo!()
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
        let _ = (version, date, new_tag);
        todo!()
    }
}
