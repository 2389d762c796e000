//! The terminal: cargo-style status lines on stderr (the library's
//! [`Reporter`]), upload progress bars, and questions to the user. Only the
//! binary writes to the terminal.

pub mod progress;
pub mod prompt;
pub mod tty;

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};
use cargo_pypi::report::Reporter;
use std::io::Write;
use std::sync::Mutex;

/// How much to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
    Debug,
}

/// Writes cargo-style lines to stderr.
pub struct Terminal {
    err: Mutex<AutoStream<std::io::Stderr>>,
    verbosity: Verbosity,
}

const STATUS: Style = AnsiColor::Green.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();

impl Terminal {
    /// `color`: anstream's choice, whose `Auto` honours NO_COLOR, CLICOLOR_FORCE
    /// and whether stderr is a terminal.
    pub fn new(color: anstream::ColorChoice, verbosity: Verbosity) -> Terminal {
        Terminal {
            err: Mutex::new(AutoStream::new(std::io::stderr(), color)),
            verbosity,
        }
    }

    fn line(&self, style: Style, head: &str, right_align: bool, message: &str) {
        let mut err = self.err.lock().unwrap_or_else(|e| e.into_inner());
        let head = if right_align {
            format!("{head:>12}")
        } else {
            format!("{head}:")
        };
        let _ = writeln!(err, "{style}{head}{style:#} {message}");
    }

    /// An error line, shown even with `-q`.
    pub fn error(&self, message: &str) {
        self.line(ERROR, "error", false, message);
    }
}

impl Reporter for Terminal {
    fn status(&self, verb: &str, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            self.line(STATUS, verb, true, message);
        }
    }

    fn warn(&self, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            self.line(WARN, "warning", false, message);
        }
    }

    fn verbose(&self, message: &str) {
        if self.verbosity >= Verbosity::Verbose {
            self.line(NOTE, "note", false, message);
        }
    }
}
