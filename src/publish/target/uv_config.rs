//! Where uv reads its project configuration, for `UV_PUBLISH_INDEX`: in a
//! workspace the search starts at the workspace root (a member's own
//! `[tool.uv]` is ignored), else at the project's folder (the current one
//! outside a project, as uv does), and goes up to the
//! first folder with a `uv.toml` (read over the pyproject.toml beside it) or
//! a pyproject.toml with a `[tool.uv]` table. (uv's user-level
//! `~/.config/uv/uv.toml` is not read.)

use crate::toml_doc::TomlFile;
use crate::toml_path;
use std::path::{Path, PathBuf};

/// A uv configuration file and where its indexes are.
pub(super) struct UvConfig {
    pub path: PathBuf,
    pub file: TomlFile,
    /// `uv.toml` (`[[index]]`) rather than pyproject.toml (`[[tool.uv.index]]`).
    pub uv_toml: bool,
}

impl UvConfig {
    /// The `[[index]]` tables (`[[tool.uv.index]]` in pyproject.toml).
    pub fn indexes(&self) -> impl Iterator<Item = &toml_edit::Table> {
        let item = match self.uv_toml {
            true => self.file.get(&toml_path!["index"]),
            false => self.file.get(&toml_path!["tool", "uv", "index"]),
        };
        item.and_then(|i| i.as_array_of_tables())
            .into_iter()
            .flat_map(|t| t.iter())
    }

    /// `[[index]]` or `[[tool.uv.index]]`, for messages.
    pub fn table_name(&self) -> &'static str {
        match self.uv_toml {
            true => "[[index]]",
            false => "[[tool.uv.index]]",
        }
    }
}

/// The configuration uv reads for the project in `project` (an absolute
/// folder); `None` when no folder at or above has one. A file that cannot be
/// read is an error naming it.
pub(super) fn find(project: &Path) -> Result<Option<UvConfig>, String> {
    let start = workspace_root(project)?.unwrap_or_else(|| project.to_path_buf());
    for dir in start.ancestors() {
        let uv_toml = dir.join("uv.toml");
        if uv_toml.is_file() {
            return read(uv_toml, true).map(Some);
        }
        let pyproject = dir.join("pyproject.toml");
        if pyproject.is_file() {
            let config = read(pyproject, false)?;
            if config.file.get(&toml_path!["tool", "uv"]).is_some() {
                return Ok(Some(config));
            }
        }
    }
    Ok(None)
}

/// The nearest folder at or above `project` whose pyproject.toml declares
/// `[tool.uv.workspace]`.
fn workspace_root(project: &Path) -> Result<Option<PathBuf>, String> {
    for dir in project.ancestors() {
        let pyproject = dir.join("pyproject.toml");
        if pyproject.is_file() {
            let config = read(pyproject, false)?;
            if config
                .file
                .get(&toml_path!["tool", "uv", "workspace"])
                .is_some()
            {
                return Ok(Some(dir.to_path_buf()));
            }
        }
    }
    Ok(None)
}

fn read(path: PathBuf, uv_toml: bool) -> Result<UvConfig, String> {
    let file = TomlFile::read(&path).map_err(|e| e.to_string())?;
    Ok(UvConfig {
        path,
        file,
        uv_toml,
    })
}
