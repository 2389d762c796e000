//! The integration tests of cargo-pypi, in one test binary (one link of the
//! library instead of one per file). Each module is an area; `support` holds
//! what they share, above all [`support::TestContext`], the one way to run
//! the real `cargo-pypi` in a fixture copy, and the process-wide hermetic
//! environment (`support::env`), set before any test runs.
//!
//! Run one area with `cargo test --test it -- lockstep::`.

mod support;

mod architecture;
mod bad_input;
mod build;
mod bump_git;
mod bump_golden;
mod changelog;

mod credentials;
mod discovery;
#[cfg(unix)]
mod dist;
mod dist_cli;
mod docs;
mod git;
mod github;
mod init;
mod layouts;
mod lockstep;
mod output;
mod pre_commit;
mod publish;
mod readme;
mod regressions;
mod release;
mod self_wheel;
#[cfg(unix)]
mod upload;
mod version;
