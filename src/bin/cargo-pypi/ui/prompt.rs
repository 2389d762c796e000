//! Asking the user: only when both stdin and stderr are terminals; never waits
//! for input otherwise.

use std::io::{BufRead, IsTerminal, Write};

/// Whether a question can be asked at all.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks `question [y/N]`; `false` without a terminal or on anything but yes.
pub fn confirm(question: &str) -> bool {
    if !interactive() {
        return false;
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}
