//! Why a build failed: every variant names the tool, command or file, and what to do.

use crate::ops::process::{shell_quote, ProcessError};
use std::path::PathBuf;

/// Why a build failed; the message says what to install or what the build printed last.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Failed(String),

    /// The build tool cannot be found or started.
    #[error("{tool} not found ({detail}): install it with `{install}`")]
    ToolMissing {
        /// `maturin`, `python -m build` or `python`.
        tool: String,
        /// Where it was looked for.
        detail: String,
        install: String,
    },

    /// maturin is there but too old or too new for `[build-system] requires`.
    #[error(
        "maturin {found} ({program}) does not satisfy `{requirement}` from [build-system] requires \
         in {}: install a matching one with `pip install {}`",
        pyproject.display(),
        shell_quote(requirement)
    )]
    ToolVersion {
        found: String,
        program: String,
        /// As written in pyproject.toml.
        requirement: String,
        pyproject: PathBuf,
    },

    /// A build command exited with an error.
    #[error("{source}{}", hint.as_deref().map(|h| format!("\nhint: {h}")).unwrap_or_default())]
    Command {
        #[source]
        source: Box<ProcessError>,
        /// What probably went wrong, when it can be told.
        hint: Option<String>,
    },

    /// A built file's name or version is not the release's.
    #[error("{}: {what} is `{found}` but the release is `{expected}`{}", file.display(), note(what))]
    Mismatch {
        file: PathBuf,
        /// `version` or `project name`.
        what: &'static str,
        found: String,
        expected: String,
    },

    #[error("{}: {message}", path.display())]
    Io { path: PathBuf, message: String },
}

fn note(what: &str) -> &'static str {
    if what == "version" {
        "; update the version sources (`cargo pypi check` shows which disagree) and build again"
    } else {
        "; check `[project].name` in pyproject.toml"
    }
}

impl BuildError {
    pub(crate) fn io(path: impl Into<PathBuf>, error: std::io::Error) -> BuildError {
        BuildError::Io {
            path: path.into(),
            message: error.to_string(),
        }
    }

    pub(crate) fn command(source: ProcessError, hint: Option<String>) -> BuildError {
        BuildError::Command {
            source: Box::new(source),
            hint,
        }
    }
}
