//! cargo-pypi: release a Rust crate shipped as a Python package.
//!
//! The library holds every behaviour; `src/bin/cargo-pypi/` only parses the
//! command line, renders reports and maps errors to exit codes. Library code
//! never prints (enforced below): progress goes through
//! [`report::Reporter`], results come back as values.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod changelog;
pub mod commands;
pub mod config;
pub mod digest;
pub mod display;
pub mod dist;
pub mod env_vars;
pub mod error;
pub mod git;
pub mod github;
pub mod ops;
pub mod project;
pub mod publish;
pub mod report;
pub mod sources;
pub mod steps;
pub mod toml_doc;
pub mod version;
