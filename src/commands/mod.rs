//! Subcommands. Each turns its options into the steps it runs (`crate::steps`:
//! a plan, then an apply) and returns a report value that the binary renders.

pub mod build;
pub mod bump;
pub mod check;
pub mod check_dist;
pub mod doctor;
pub mod init;
pub mod publish;
pub mod release;
pub mod status;

pub use crate::steps::{Context, Error};

/// A command's report as the binary shows it: JSON (serde), or text on
/// stdout, a closing status line and an error line on stderr.
pub trait Render: serde::Serialize {
    /// What stdout shows.
    fn human(&self) -> String;
    /// A closing cargo-style status line on stderr (`Would bump`, `Finished`).
    fn closing_status(&self) -> Option<(&'static str, String)> {
        None
    }
    /// The `error:` line when the command found problems.
    fn failure(&self) -> Option<String> {
        None
    }
    /// `false`: the command found problems (exit 1).
    fn ok(&self) -> bool {
        true
    }
}
