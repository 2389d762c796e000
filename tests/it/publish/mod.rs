//! `cargo pypi publish` through the real binary against a real pypiserver:
//! the whole release path ([`cli`]), the files CI jobs leave
//! ([`ci_artifacts`]) and every failure path with a known token
//! that must never show ([`secrets`]); reading an index ([`index`]) and
//! URLs that hide their credentials ([`url`]); `-q` and `--format json`
//! ([`quiet`]); the stand-in Sigstore instance and the verifier that
//! attestation tests rely on, proven genuine ([`sigstore_standin`]).

mod attestation_spec;
mod attestations;
mod ci_artifacts;
mod cli;
mod index;
pub mod json_api;
mod quiet;
mod rounds;
mod secrets;
mod sigstore_standin;
mod url;

use crate::support::index::{sdist, wheel, USER};
use crate::support::TestContext;
use std::process::Output;

/// `cargo pypi <args>` with the test user and `password` in twine's variables.
pub fn run(ctx: &TestContext, args: &[&str], password: &str) -> Output {
    ctx.command(args)
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", password)
        .output()
        .expect("run cargo-pypi")
}

/// `bintool` 0.2.0's artifacts as CI jobs leave them: one folder per job
/// (actions/download-artifact without `merge-multiple`), under `dir`.
pub fn ci_artifacts(dir: &std::path::Path, name: &str, version: &str) {
    let folder = |sub: &str| {
        let path = dir.join(sub);
        std::fs::create_dir_all(&path).unwrap();
        path
    };
    let tags = [
        ("wheels-linux", "py3-none-manylinux_2_17_x86_64"),
        ("wheels-linux-arm", "py3-none-manylinux_2_17_aarch64"),
        ("wheels-macos", "py3-none-macosx_11_0_arm64"),
    ];
    for (sub, tag) in tags {
        wheel(&folder(sub), name, version, tag, "", sub.as_bytes());
    }
    sdist(&folder("sdist"), name, version, "sdist");
}
