//! Turning an inventory into new file contents for a version: TOML values set
//! through `toml_edit`, text values spliced in place, the changelog released;
//! then every edited TOML file is parsed again and its values checked.

use super::{requirement, Inventory, Loc, Occurrence, Spelling};
use crate::changelog::{Changelog, Outcome};
use crate::error::ReadError;
use crate::ops::fs::FileChange;
use crate::toml_doc::{self, Seg, TomlFile};
use crate::version::ReleaseVersion;
use std::collections::BTreeMap;
use std::path::Path;

/// New contents of every file that holds the version (and the changelog), for
/// `next`, and what was done to the changelog. `changelog` is `(version as
/// written in the heading, date, new tag)`, `None` to leave it alone; only a
/// changelog that cargo-pypi keeps is edited.
pub fn plan(
    inv: &Inventory,
    next: &ReleaseVersion,
    changelog: Option<(&str, &str, &str)>,
) -> Result<(Vec<FileChange>, Option<Outcome>), ReadError> {
    let mut by_file: BTreeMap<&Path, Vec<&Occurrence>> = BTreeMap::new();
    for occurrence in &inv.occurrences {
        by_file
            .entry(&occurrence.file)
            .or_default()
            .push(occurrence);
    }
    let mut changes: Vec<FileChange> = Vec::new();
    for (path, occurrences) in by_file {
        let old = inv
            .texts
            .get(path)
            .ok_or_else(|| ReadError::invalid(path, 0, "file was not read before planning"))?;
        let new = edit_file(path, old, &occurrences, next)?;
        changes.push(FileChange {
            path: path.to_path_buf(),
            old: old.clone(),
            new,
        });
    }
    let kept = inv.changelog.as_ref().filter(|c| c.kept());
    let mut outcome = None;
    if let (Some(file), Some((heading, date, tag))) = (kept, changelog) {
        // One change per file: a changelog that also holds a `files` search is released after that edit.
        let index = match changes.iter().position(|c| c.path == file.path) {
            Some(index) => index,
            None => {
                changes.push(FileChange {
                    path: file.path.clone(),
                    old: file.text.clone(),
                    new: file.text.clone(),
                });
                changes.len() - 1
            }
        };
        let change = &mut changes[index];
        let released = Changelog::parse_as(&change.new, file.format)
            .release(heading, date, tag)
            .map_err(|e| changelog_error(file, &e))?;
        change.new = released.text;
        outcome = Some(released.outcome);
    }
    changes.retain(|c| c.new != c.old);
    Ok((changes, outcome))
}

/// The one refusal left: Unreleased holds notes, and the release already has
/// a section of its own.
fn changelog_error(file: &super::ChangelogFile, e: &crate::changelog::ChangelogError) -> ReadError {
    use crate::changelog::ChangelogError::VersionExists;
    match e {
        VersionExists(version, line) => {
            let unreleased = file.parsed.unreleased_line().unwrap_or(0);
            let message = format!("the Unreleased section (line {unreleased}) holds notes, and {version} already has a section; move the notes into one of the two and bump again");
            ReadError::invalid(&file.path, *line, message)
        }
        other => ReadError::invalid(&file.path, 0, other.to_string()),
    }
}

fn edit_file(
    path: &Path,
    old: &str,
    occurrences: &[&Occurrence],
    next: &ReleaseVersion,
) -> Result<String, ReadError> {
    let mut toml_edits: Vec<(Vec<Seg>, String)> = Vec::new();
    let mut text_edits = Vec::new();
    for occurrence in occurrences {
        let Some(value) = new_value(occurrence, next)? else {
            continue;
        };
        match &occurrence.loc {
            Loc::Toml(keys) => toml_edits.push((keys.clone(), value)),
            Loc::Text(range) => text_edits.push((range.clone(), value)),
        }
    }
    if !toml_edits.is_empty() && !text_edits.is_empty() {
        return Err(ReadError::invalid(path, 0, "a `tool.cargo-pypi.files` search points into a TOML file that already holds the version; remove that entry"));
    }
    if !toml_edits.is_empty() {
        let new = toml_doc::set_strings(path, old, &toml_edits)?;
        verify_toml(path, &new, &toml_edits)?;
        return Ok(new);
    }
    text_edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut new = old.to_string();
    for (range, value) in text_edits {
        new.replace_range(range, &value);
    }
    Ok(new)
}

/// The value a source gets, or `None` to leave it (a compound requirement that still matches).
fn new_value(occurrence: &Occurrence, next: &ReleaseVersion) -> Result<Option<String>, ReadError> {
    if occurrence.spelling != Spelling::Requirement {
        return Ok(Some(occurrence.expected(next)));
    }
    match requirement::rewrite(&occurrence.found, next) {
        Some(value) => Ok(Some(value)),
        None if requirement::matches(&occurrence.found, next) => Ok(None),
        None => Err(ReadError::invalid(
            &occurrence.file,
            occurrence.line,
            format!("{} `{}` does not admit {} and is not a single requirement to rewrite; edit it by hand", occurrence.what, occurrence.found, next.semver()),
        )),
    }
}

/// Parses the edited text again and checks each value landed where it was meant to.
fn verify_toml(path: &Path, new: &str, edits: &[(Vec<Seg>, String)]) -> Result<(), ReadError> {
    let file = TomlFile::parse(path, new.to_string())?;
    for (keys, value) in edits {
        let found = file.string(keys)?.map(|l| l.value);
        if found.as_deref() != Some(value.as_str()) {
            let message = format!("internal error: `{}` should now be `{value}` but reads {found:?}; nothing was written", toml_doc::display_path(keys));
            return Err(ReadError::invalid(path, 0, message));
        }
    }
    Ok(())
}
