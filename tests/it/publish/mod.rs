//! `cargo pypi publish` through the real binary against a real pypiserver:
//! the whole release path ([`cli`]) and every failure path with a known token
//! that must never show ([`secrets`]).

mod cli;
mod secrets;
