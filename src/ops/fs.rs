//! All-or-nothing replacement (and creation) of a set of project files.
//!
//! Every new content is first written to a temporary file beside its target
//! (same directory, so the rename is atomic), then the temporaries are renamed
//! over the targets. If any step fails, targets already replaced get their old
//! content back, and files and folders made for new files are removed, so a
//! failed bump or init leaves the tree as it found it.

use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// One file to replace: the content the plan was made from and the new content.
#[derive(Debug, Clone)]
pub struct FileChange {
    pub path: PathBuf,
    pub old: String,
    pub new: String,
}

/// One file to create: it did not exist when the plan was made.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub path: PathBuf,
    pub content: String,
}

/// Why the files could not be written. Nothing was changed unless `rollback` says so.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path} changed on disk since it was read; run the command again")]
    Changed { path: PathBuf },
    #[error("{path} exists now, but did not when it was read; run the command again")]
    Exists { path: PathBuf },
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
    write_all(changes, &[])
}

/// Replaces every file in `changes` and creates every file in `new` (with
/// the folders it needs), or none of them.
pub fn write_all(changes: &[FileChange], new: &[NewFile]) -> Result<(), WriteError> {
    write_with(changes, new, |from, to| std::fs::rename(from, to))
}

/// [`apply_all`] with the rename step injectable, so a failure part-way can be tested.
pub fn apply_with(
    changes: &[FileChange],
    rename: impl FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    write_with(changes, &[], rename)
}

/// [`write_all`] with the rename step injectable.
pub fn write_with(
    changes: &[FileChange],
    new: &[NewFile],
    mut rename: impl FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let mut temps = Vec::with_capacity(changes.len() + new.len());
    for change in changes {
        let current = std::fs::read_to_string(&change.path).map_err(|e| io(&change.path, e))?;
        if current != change.old {
            return Err(WriteError::Changed {
                path: change.path.clone(),
            });
        }
        temps.push(Some(stage(&change.path, &change.new, true)?));
    }
    if let Some(file) = new.iter().find(|f| f.path.symlink_metadata().is_ok()) {
        return Err(WriteError::Exists {
            path: file.path.clone(),
        });
    }
    let mut made = Vec::new();
    let staged_new = make_parents(new, &mut made).and_then(|()| {
        new.iter()
            .map(|f| stage(&f.path, &f.content, false).map(Some))
            .collect::<Result<Vec<_>, _>>()
    });
    match staged_new {
        Ok(staged) => temps.extend(staged),
        Err(e) => {
            remove_dirs(&made);
            return Err(e);
        }
    }
    let targets: Vec<&Path> = changes
        .iter()
        .map(|c| c.path.as_path())
        .chain(new.iter().map(|f| f.path.as_path()))
        .collect();
    for (done, target) in targets.iter().enumerate() {
        let temp = temps[done].take().expect("each temporary is renamed once");
        if let Err(e) = rename(&temp, target) {
            drop(temp);
            temps.clear();
            let restored = done.min(changes.len());
            let mut unrestored = restore(&changes[..restored]);
            unrestored.extend(remove_new(&new[..done - restored]));
            remove_dirs(&made);
            return Err(WriteError::Io {
                path: target.to_path_buf(),
                source: e,
                unrestored,
            });
        }
        // Renamed: nothing is left to delete under the temporary name.
        let _ = temp.keep();
    }
    Ok(())
}

/// Creates the missing folders above each new file, recording each one made
/// (outermost first) so that a failure can remove them.
fn make_parents(new: &[NewFile], made: &mut Vec<PathBuf>) -> Result<(), WriteError> {
    for file in new {
        let Some(parent) = file.path.parent() else {
            continue;
        };
        let mut missing: Vec<&Path> = parent.ancestors().take_while(|d| !d.exists()).collect();
        missing.reverse();
        for dir in missing {
            std::fs::create_dir(dir).map_err(|e| io(&file.path, e))?;
            made.push(dir.to_path_buf());
        }
    }
    Ok(())
}

/// Removes folders made for new files, innermost first (only if empty).
fn remove_dirs(made: &[PathBuf]) {
    for dir in made.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Removes new files already in place; returns those that could not be removed.
fn remove_new(done: &[NewFile]) -> Vec<PathBuf> {
    done.iter()
        .filter(|f| std::fs::remove_file(&f.path).is_err())
        .map(|f| f.path.clone())
        .collect()
}

/// Writes `content` to a synced temporary beside `target`, with the target's
/// permissions (`existing`), else those of a file made by hand (0644).
fn stage(target: &Path, content: &str, existing: bool) -> Result<TempPath, WriteError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".cargo-pypi-")
        .tempfile_in(dir)
        .map_err(|e| io(target, e))?;
    temp.write_all(content.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| io(target, e))?;
    let permissions = match existing {
        true => std::fs::metadata(target).ok().map(|m| m.permissions()),
        false => new_file_permissions(),
    };
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temp.path(), permissions).map_err(|e| io(target, e))?;
    }
    Ok(temp.into_temp_path())
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
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

    #[test]
    fn creates_new_files_and_their_folders_with_the_changes() {
        let dir = tempfile::tempdir().unwrap();
        let changes = [change(dir.path(), "a", "1", "2")];
        let new = [NewFile {
            path: dir.path().join(".github/workflows/release.yml"),
            content: "name: Release\n".into(),
        }];
        write_all(&changes, &new).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("a")).unwrap(), "2");
        let created = dir.path().join(".github/workflows/release.yml");
        assert_eq!(
            std::fs::read_to_string(&created).unwrap(),
            "name: Release\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&created).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o777,
                0o644,
                "a new file is readable by all, like one made by hand"
            );
        }
    }

    #[test]
    fn failure_part_way_removes_the_new_files_and_folders_it_made() {
        let dir = tempfile::tempdir().unwrap();
        let changes = [change(dir.path(), "a", "a-old", "a-new")];
        let new = [
            NewFile {
                path: dir.path().join("b"),
                content: "b".into(),
            },
            NewFile {
                path: dir.path().join("deep/er/c"),
                content: "c".into(),
            },
        ];
        let mut calls = 0;
        let err = write_with(&changes, &new, |from, to| {
            calls += 1;
            if calls == 3 {
                return Err(std::io::Error::other("injected"));
            }
            std::fs::rename(from, to)
        })
        .unwrap_err();
        assert!(matches!(err, WriteError::Io { ref unrestored, .. } if unrestored.is_empty()));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a")).unwrap(),
            "a-old"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            ["a"],
            "the new file and the folders made for it are gone"
        );
    }

    #[test]
    fn refuses_a_new_file_that_appeared_since_the_plan() {
        let dir = tempfile::tempdir().unwrap();
        let changes = [change(dir.path(), "a", "1", "2")];
        std::fs::write(dir.path().join("b"), "someone else's").unwrap();
        let new = [NewFile {
            path: dir.path().join("b"),
            content: "ours".into(),
        }];
        let err = write_all(&changes, &new).unwrap_err();
        assert!(err.to_string().contains("b exists now"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.path().join("a")).unwrap(), "1");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b")).unwrap(),
            "someone else's"
        );
    }
}
