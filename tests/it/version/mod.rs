//! Integration tests for `cargo_pypi::version`: the SemVer <-> PEP 440 mapping,
//! every refusal, every bump rule, and properties checked against the
//! `semver` and `pep440_rs` orderings directly.

mod bump;
mod parse;
mod properties;

use std::str::FromStr;

use cargo_pypi::version::{BumpError, BumpLevel, PreKind, ReleaseVersion, VersionError};
use proptest::prelude::*;

/// What maturin writes to the wheel for a Cargo version.
fn maturin(semver: &str) -> String {
    pep440_rs::Version::from_str(semver)
        .expect("valid PEP 440")
        .to_string()
}

fn sv(v: &ReleaseVersion) -> semver::Version {
    semver::Version::parse(&v.semver()).expect("valid SemVer")
}

fn pv(v: &ReleaseVersion) -> pep440_rs::Version {
    pep440_rs::Version::from_str(&v.pep440()).expect("valid PEP 440")
}

fn version(s: &str) -> ReleaseVersion {
    ReleaseVersion::parse_semver(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn level(name: &str) -> BumpLevel {
    *BumpLevel::ALL
        .iter()
        .find(|l| l.as_str() == name)
        .unwrap_or_else(|| panic!("no level {name}"))
}

/// Asserts the refusal names the value and that its reason holds every fragment.
fn assert_refused(result: Result<ReleaseVersion, VersionError>, input: &str, facts: &[&str]) {
    let err = match result {
        Ok(v) => panic!("{input} was accepted as {v}"),
        Err(e) => e,
    };
    assert_eq!(err.value, input);
    assert!(err.to_string().starts_with(&format!("version `{input}` ")));
    for fact in facts {
        assert!(
            err.reason.contains(fact),
            "{input}: reason {:?} lacks {fact:?}",
            err.reason
        );
    }
}
