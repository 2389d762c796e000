//! The side-effect chokepoints: file writes, diffs for dry runs, child processes.
//!
//! Commands never touch the file system or run programs directly; they go
//! through these modules so that dry runs and tests are handled in one place.

pub mod diff;
pub mod fs;
pub mod process;
