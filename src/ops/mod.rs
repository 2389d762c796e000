//! The side-effect chokepoints: file writes, diffs for dry runs, terminal reporting.
//!
//! Commands never touch the file system or the terminal directly for output;
//! they go through these modules so that dry runs and tests are handled in one place.

pub mod diff;
pub mod fs;
pub mod process;
pub mod progress;
pub mod prompt;
pub mod report;
