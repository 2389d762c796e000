//! Errors of the read phase (discovering the project, reading its version
//! sources), and the exit codes every command shares.

use std::path::{Path, PathBuf};

/// Something in the project cannot be read or makes no sense.
/// Every variant names the file; most name the line and the value.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: invalid TOML: {message}")]
    Toml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A value is present but wrong; `line` 0 means the file as a whole.
    #[error("{}: {message}", at(.path, *.line))]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Discovery(String),
}

fn at(path: &Path, line: usize) -> String {
    if line == 0 {
        path.display().to_string()
    } else {
        format!("{}:{line}", path.display())
    }
}

impl ReadError {
    pub fn io(path: &Path, source: std::io::Error) -> ReadError {
        ReadError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn invalid(path: &Path, line: usize, message: impl Into<String>) -> ReadError {
        ReadError::Invalid {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

/// Exit codes shared by every command.
pub mod exit {
    /// Everything agrees / the command did what was asked.
    pub const OK: i32 = 0;
    /// The check found disagreeing sources, or a command refused to act.
    pub const FAILED: i32 = 1;
    /// Something could not be read or the input is invalid.
    pub const INPUT: i32 = 2;
}
