//! All-or-nothing replacement of a set of project files.
//!
//! Every new content is first written to a temporary file beside its target
//! (same directory, so the rename is atomic), then the temporaries are renamed
//! over the targets. If any step fails, targets already replaced get their old
//! content back, so a failed bump leaves the tree as it found it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// One file to replace: the content the plan was made from and the new content.
#[derive(Debug, Clone)]
pub struct FileChange {
    pub path: PathBuf,
    pub old: String,
    pub new: String,
}

/// Why the files could not be written. Nothing was changed unless `rollback` says so.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path} changed on disk since it was read; run the command again")]
    Changed { path: PathBuf },
    #[error("cannot write {path}: {source}{}", unrestored_note(.unrestored))]
    Io {
        path: PathBuf,
        source: std::io::Error,
        /// Files that could not be restored after a failure part-way (empty: all restored).
        unrestored: Vec<PathBuf>,
    },
}

/// Replaces every file in `changes`, or none of them.
pub fn apply_all(changes: &[FileChange]) -> Result<(), WriteError> {
    apply_with(changes, |from, to| std::fs::rename(from, to))
}

/// [`apply_all`] with the rename step injectable, so a failure part-way can be tested.
pub fn apply_with(
    changes: &[FileChange],
    mut rename: impl FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let mut staged = Vec::with_capacity(changes.len());
    for change in changes {
        let current = std::fs::read_to_string(&change.path).map_err(|e| io(&change.path, e))?;
        if current != change.old {
            return Err(WriteError::Changed {
                path: change.path.clone(),
            });
        }
        staged.push(stage(change)?);
    }
    for (done, (change, temp)) in changes.iter().zip(staged).enumerate() {
        let temp_path = temp.into_temp_path();
        if let Err(e) = rename(&temp_path, &change.path) {
            drop(temp_path);
            let unrestored = restore(&changes[..done]);
            return Err(WriteError::Io {
                path: change.path.clone(),
                source: e,
                unrestored,
            });
        }
    }
    Ok(())
}

/// Writes `change.new` to a synced temporary beside the target, with its permissions.
fn stage(change: &FileChange) -> Result<tempfile::NamedTempFile, WriteError> {
    let dir = change.path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".cargo-pypi-")
        .tempfile_in(dir)
        .map_err(|e| io(&change.path, e))?;
    temp.write_all(change.new.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| io(&change.path, e))?;
    if let Ok(meta) = std::fs::metadata(&change.path) {
        std::fs::set_permissions(temp.path(), meta.permissions())
            .map_err(|e| io(&change.path, e))?;
    }
    Ok(temp)
}

/// Puts the old content back into files already replaced; returns those that failed.
fn restore(done: &[FileChange]) -> Vec<PathBuf> {
    done.iter()
        .filter(|c| std::fs::write(&c.path, &c.old).is_err())
        .map(|c| c.path.clone())
        .collect()
}

fn unrestored_note(unrestored: &[PathBuf]) -> String {
    if unrestored.is_empty() {
        return String::new();
    }
    let list: Vec<String> = unrestored.iter().map(|p| p.display().to_string()).collect();
    format!(
        "; these files keep the new version and could not be restored: {}",
        list.join(", ")
    )
}

fn io(path: &Path, source: std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.to_path_buf(),
        source,
        unrestored: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(dir: &Path, name: &str, old: &str, new: &str) -> FileChange {
        let path = dir.join(name);
        std::fs::write(&path, old).unwrap();
        FileChange {
            path,
            old: old.into(),
            new: new.into(),
        }
    }

    #[test]
    fn replaces_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let changes = [
            change(dir.path(), "a", "1", "2"),
            change(dir.path(), "b", "x", "y"),
        ];
        apply_all(&changes).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("a")).unwrap(), "2");
        assert_eq!(std::fs::read_to_string(dir.path().join("b")).unwrap(), "y");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 2, "no temporary file is left behind");
    }

    #[test]
    fn failure_part_way_restores_the_files_already_replaced() {
        // Fault injection: the third rename fails.
        let dir = tempfile::tempdir().unwrap();
        let changes = [
            change(dir.path(), "a", "a-old", "a-new"),
            change(dir.path(), "b", "b-old", "b-new"),
            change(dir.path(), "c", "c-old", "c-new"),
        ];
        let mut calls = 0;
        let err = apply_with(&changes, |from, to| {
            calls += 1;
            if calls == 3 {
                return Err(std::io::Error::other("injected"));
            }
            std::fs::rename(from, to)
        })
        .unwrap_err();
        assert!(matches!(err, WriteError::Io { ref unrestored, .. } if unrestored.is_empty()));
        for (name, old) in [("a", "a-old"), ("b", "b-old"), ("c", "c-old")] {
            assert_eq!(std::fs::read_to_string(dir.path().join(name)).unwrap(), old);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }

    #[test]
    fn refuses_when_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut changes = vec![change(dir.path(), "a", "1", "2")];
        changes.push(change(dir.path(), "b", "x", "y"));
        std::fs::write(dir.path().join("b"), "edited").unwrap();
        let err = apply_all(&changes).unwrap_err();
        assert!(err.to_string().contains("changed on disk"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.path().join("a")).unwrap(), "1");
    }
}
