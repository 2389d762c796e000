//! cargo-pypi: release a Rust crate shipped as a Python package.
//!
//! The library holds every behaviour; `src/bin/cargo-pypi.rs` only parses the
//! command line and maps errors to exit codes. Library code never prints:
//! output goes through [`ops::report::Reporter`].

pub mod changelog;
pub mod git;
pub mod version;
