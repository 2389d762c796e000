//! Progress and diagnostics on their way to the terminal: the `Reporter` trait
//! that library code talks to, and the one implementation that writes stderr.

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};
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

/// Where library code sends progress. Results go back as values, never through here.
pub trait Reporter {
    /// A step done, cargo style: `    Bumping 1.2.3 -> 1.2.4`.
    fn status(&self, verb: &str, message: &str);
    fn warn(&self, message: &str);
    /// Shown with `-v` only.
    fn verbose(&self, message: &str);
}

/// A reporter that drops everything (tests, JSON output).
pub struct Silent;

impl Reporter for Silent {
    fn status(&self, _: &str, _: &str) {}
    fn warn(&self, _: &str) {}
    fn verbose(&self, _: &str) {}
}

/// Colour choice, resolved against the terminal and `NO_COLOR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn stream(self) -> anstream::ColorChoice {
        match self {
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
            // anstream's auto honours NO_COLOR, CLICOLOR_FORCE and whether stderr is a tty.
            ColorChoice::Auto => anstream::ColorChoice::Auto,
        }
    }
}

/// Writes cargo-style lines to stderr.
pub struct Terminal {
    err: Mutex<AutoStream<std::io::Stderr>>,
    verbosity: Verbosity,
}

const STATUS: Style = AnsiColor::Green.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();

impl Terminal {
    pub fn new(color: ColorChoice, verbosity: Verbosity) -> Terminal {
        Terminal {
            err: Mutex::new(AutoStream::new(std::io::stderr(), color.stream())),
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
        self.line(AnsiColor::Red.on_default().bold(), "error", false, message);
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
