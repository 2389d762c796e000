//! cargo-pypi: release a Rust crate shipped as a Python package.
//!
//! The library holds every behaviour; `src/bin/cargo-pypi.rs` only parses the
//! command line and maps errors to exit codes. Library code never prints:
//! progress goes through [`ops::report::Reporter`], results come back as values.

pub mod build;
pub mod changelog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod dist;
pub mod error;
pub mod git;
pub mod ops;
pub mod project;
pub mod publish;
pub mod sources;
pub mod toml_doc;
pub mod version;
