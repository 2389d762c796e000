//! The steps of a release, each with a plan (computed with no side effect: what
//! a dry run shows) and an apply. Commands run one or a few of them; `release`
//! runs them all in order. Steps call down into the modules that do the work
//! (`sources`, `build`, `dist`, `publish`, `git`) and through `ops` for every
//! write; they never call a command, and they never print.

pub mod artifacts;
pub mod build;
pub mod bump;
pub mod check_dist;
pub mod context;
pub mod doctor;
pub mod error;
pub mod init;
pub mod lockstep;
pub mod publish;
pub mod readiness;
pub mod release;

pub use context::{Context, Selected};
pub use error::Error;
