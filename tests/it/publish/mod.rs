//! `cargo pypi publish` through the real binary against a real pypiserver:
//! the whole release path ([`cli`]) and every failure path with a known token
//! that must never show ([`secrets`]); reading an index ([`index`]) and
//! URLs that hide their credentials ([`url`]); `-q` and `--format json`
//! ([`quiet`]).

mod attestation_spec;
mod attestations;
mod cli;
mod index;
pub mod json_api;
mod quiet;
mod rounds;
mod secrets;
mod url;
