//! Integration tests for `cargo_pypi::version`: the SemVer <-> PEP 440 mapping,
//! every refusal, every bump rule, and properties checked against the
//! `semver` and `pep440_rs` orderings directly.

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

// ---------------------------------------------------------------- mapping

const MAPPING: &[(&str, &str)] = &[
    ("1.2.0", "1.2.0"),
    ("1.2.0-alpha.1", "1.2.0a1"),
    ("1.2.0-beta.2", "1.2.0b2"),
    ("1.2.0-rc.1", "1.2.0rc1"),
    ("1.2.0-dev.5", "1.2.0.dev5"),
    ("1.2.0-post.1", "1.2.0.post1"),
    ("1.2.0-alpha.1.dev.2", "1.2.0a1.dev2"),
    ("1.2.0-beta.3.dev.0", "1.2.0b3.dev0"),
    ("1.2.0-rc.10.dev.4", "1.2.0rc10.dev4"),
    ("0.0.0", "0.0.0"),
    ("10.20.30-rc.0", "10.20.30rc0"),
];

#[test]
fn mapping_table_matches_maturin_and_roundtrips() {
    for &(cargo, python) in MAPPING {
        let v = version(cargo);
        assert_eq!(v.semver(), cargo);
        assert_eq!(v.to_string(), cargo);
        assert_eq!(v.pep440(), python, "{cargo}");
        assert_eq!(maturin(cargo), python, "{cargo}");
        assert_eq!(
            ReleaseVersion::parse_pep440(python),
            Ok(v.clone()),
            "{python}"
        );
        assert_eq!(ReleaseVersion::parse_any(cargo), Ok(v.clone()));
        assert_eq!(ReleaseVersion::parse_any(python), Ok(v));
    }
}

#[test]
fn parsed_fields() {
    let v = version("1.2.3-alpha.4.dev.5");
    let expected = ReleaseVersion {
        pre: Some((PreKind::Alpha, 4)),
        dev: Some(5),
        ..ReleaseVersion::new(1, 2, 3)
    };
    assert_eq!(v, expected);
    assert!(v.is_prerelease());
    assert_eq!(version("1.2.3-post.7").post, Some(7));
    assert!(!version("1.2.3-post.7").is_prerelease());
    assert!(version("1.2.3-dev.1").is_prerelease());
    assert!(!version("1.2.3").is_prerelease());
}

#[test]
fn pre_kind_words() {
    let words: Vec<_> = PreKind::ALL
        .iter()
        .map(|k| (k.semver_word(), k.pep440_word()))
        .collect();
    assert_eq!(words, [("alpha", "a"), ("beta", "b"), ("rc", "rc")]);
    assert!(PreKind::Alpha < PreKind::Beta && PreKind::Beta < PreKind::Rc);
}

// ---------------------------------------------------------------- SemVer refusals

const SUPPORTED: &str = "use -alpha.N, -beta.N, -rc.N, -dev.N or -post.N";

const SEMVER_REFUSALS: &[(&str, &[&str])] = &[
    (
        "1.2.0+build.5",
        &[
            "local version `+build.5` cannot be uploaded to PyPI",
            "Cargo ignores it",
        ],
    ),
    ("1.2.0-rc.1+abc", &["local version `+abc`"]),
    (
        "1.2.0-1",
        &[
            "`-1` sorts below 1.2.0 in SemVer but above it in PEP 440 (.post1)",
            "write -post.1 only if",
            "1.2.1",
        ],
    ),
    (
        "1.2.0-1.2",
        &["numeric pre-release", "no PEP 440 equivalent"],
    ),
    (
        "1.2.0-alpha10",
        &["missing the dot: write -alpha.10", "as text"],
    ),
    ("1.2.0-rc1", &["missing the dot: write -rc.1"]),
    ("1.2.0-dev3", &["missing the dot: write -dev.3"]),
    ("1.2.0-a1", &["missing the dot: write -alpha.1"]),
    (
        "1.2.0-pre.1",
        &["`-pre.1` would become rc1 in Python, colliding with -rc.1; write -rc.1"],
    ),
    (
        "1.2.0-preview.1",
        &["would become rc1", "colliding with -rc.1; write -rc.1"],
    ),
    (
        "1.2.0-c.1",
        &["would become rc1", "colliding with -rc.1; write -rc.1"],
    ),
    (
        "1.2.0-a.2",
        &["would become a2", "colliding with -alpha.2; write -alpha.2"],
    ),
    (
        "1.2.0-b.1.dev.3",
        &["would become b1.dev3", "write -beta.1.dev.3"],
    ),
    ("1.2.0-r.1", &["would become .post1", "write -post.1"]),
    ("1.2.0-rev.2", &["would become .post2", "write -post.2"]),
    ("1.2.0-nightly.1", &["has no PEP 440 equivalent", SUPPORTED]),
    (
        "1.2.0-alpha.beta",
        &["has no PEP 440 equivalent", SUPPORTED],
    ),
    ("1.2.0-rc.1.2", &["has no PEP 440 equivalent", SUPPORTED]),
    ("1.2.0-dev.1.dev.2", &["has no PEP 440 equivalent"]),
    ("1.2.0-alpha.1.beta.1", &["has no PEP 440 equivalent"]),
    (
        "1.2.0-alpha",
        &["no number after `alpha`", "a0", "write -alpha.1"],
    ),
    (
        "1.2.0-dev",
        &["no number after `dev`", ".dev0", "write -dev.1"],
    ),
    ("1.2.0-post", &["no number after `post`", "write -post.1"]),
    (
        "1.2.0-rc.2.dev",
        &["no number after `dev`", "rc2.dev0", "write -rc.2.dev.1"],
    ),
    (
        "1.2.0-ALPHA.1",
        &["lower case", "case-sensitively", "write -alpha.1"],
    ),
    ("1.2.0-Rc.1", &["lower case", "write -rc.1"]),
    (
        "1.2.0-rc.1.post.1",
        &["post release of a pre-release", "rc1.post1"],
    ),
    ("1.2.0-rc.1.post", &["post release of a pre-release"]),
    (
        "1.2.0-post.1.dev.1",
        &["dev release of a post release", "use -post.N alone"],
    ),
    (
        "1.2.0-alpha.1-dev.2",
        &["becomes 1.2.0a1.dev2", "1.2.0-alpha.1.dev.2"],
    ),
    (
        "1.2.0-alpha.99999999999999999999",
        &["99999999999999999999", "larger"],
    ),
    ("01.2.0", &["not valid SemVer", "leading zero"]),
    ("1.02.0", &["not valid SemVer", "leading zero"]),
    ("1.2.0-alpha.01", &["not valid SemVer", "leading zero"]),
    ("1.2", &["not valid SemVer"]),
    ("1.2.0.0", &["not valid SemVer"]),
    ("v1.2.0", &["not valid SemVer"]),
    ("1.2.0a1", &["not valid SemVer"]),
    ("", &["not valid SemVer"]),
];

#[test]
fn semver_refusals_explain_why() {
    for &(input, facts) in SEMVER_REFUSALS {
        assert_refused(ReleaseVersion::parse_semver(input), input, facts);
    }
}

#[test]
fn every_semver_refusal_is_also_refused_by_parse_any_or_reinterpreted_as_pep440() {
    for &(input, _) in SEMVER_REFUSALS {
        match ReleaseVersion::parse_any(input) {
            // Only strings that are not SemVer at all may be read as PEP 440.
            Ok(v) => {
                assert!(semver::Version::parse(input).is_err(), "{input} -> {v}");
                assert_eq!(ReleaseVersion::parse_pep440(input), Ok(v));
            }
            Err(e) => assert_eq!(e.value, input),
        }
    }
}

// ---------------------------------------------------------------- PEP 440

const PEP440_ACCEPTS: &[(&str, &str)] = &[
    ("1.2.0", "1.2.0"),
    ("1.2.0a1", "1.2.0-alpha.1"),
    ("1.2.0-alpha.1", "1.2.0-alpha.1"),
    ("1.2.0.a1", "1.2.0-alpha.1"),
    ("1.2.0alpha1", "1.2.0-alpha.1"),
    ("1.2.0-pre.1", "1.2.0-rc.1"),
    ("1.2.0c1", "1.2.0-rc.1"),
    ("1.2.0RC1", "1.2.0-rc.1"),
    ("v1.2.0", "1.2.0"),
    ("0!1.2.0", "1.2.0"),
    (" 1.2.0b2 ", "1.2.0-beta.2"),
    ("1.2.0-1", "1.2.0-post.1"),
    ("1.2.0post1", "1.2.0-post.1"),
    ("1.2.0-dev.5", "1.2.0-dev.5"),
    ("1.2.0a1-dev2", "1.2.0-alpha.1.dev.2"),
    ("1.2.0a01", "1.2.0-alpha.1"),
    ("01.2.0", "1.2.0"),
];

#[test]
fn pep440_accepts_any_spelling_in_the_subset() {
    for &(input, cargo) in PEP440_ACCEPTS {
        let v = ReleaseVersion::parse_pep440(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(v.semver(), cargo, "{input}");
        assert_eq!(v.pep440(), maturin(input), "{input}");
    }
}

const PEP440_REFUSALS: &[(&str, &[&str])] = &[
    ("1!1.2.0", &["epoch `1!`", "drop it"]),
    (
        "1.2.0+build.5",
        &["local version `+build.5` cannot be uploaded to PyPI"],
    ),
    ("1.2.0+Build_5", &["local version `+build.5`"]),
    (
        "1.2",
        &["2 release parts", "Cargo needs X.Y.Z", "write 1.2.0"],
    ),
    (
        "1",
        &["1 release part;", "Cargo needs X.Y.Z", "write 1.0.0"],
    ),
    (
        "1.2.0.0",
        &["4 release parts", "Cargo needs X.Y.Z", "write 1.2.0"],
    ),
    ("1.2.0.1", &["4 release parts", "Cargo needs X.Y.Z"]),
    ("1.2.0rc1.post1", &["post release of a pre-release"]),
    ("1.2.0.post1.dev1", &["dev release of a post release"]),
    ("1.2.0a", &["implicit", "1.2.0a0"]),
    ("1.2.0-rc", &["implicit", "1.2.0rc0"]),
    ("1.2.0.post", &["implicit", "1.2.0.post0"]),
    ("1.2.0.dev", &["implicit", "1.2.0.dev0"]),
    ("1.2.0a1.dev", &["implicit", "1.2.0a1.dev0"]),
    ("foo", &["not valid PEP 440"]),
    ("1.2.0-nightly.1", &["not valid PEP 440"]),
];

#[test]
fn pep440_refusals_explain_why() {
    for &(input, facts) in PEP440_REFUSALS {
        assert_refused(ReleaseVersion::parse_pep440(input), input, facts);
    }
}

#[test]
fn pep440_local_refusal_quotes_the_normalized_local_part() {
    let err = ReleaseVersion::parse_pep440("1.2.0+Build_5").unwrap_err();
    assert!(!err.reason.contains("Build_5"), "{}", err.reason);
}

// ---------------------------------------------------------------- parse_any

#[test]
fn parse_any_prefers_semver_and_the_more_helpful_error() {
    let ok = |s: &str| ReleaseVersion::parse_any(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    assert_eq!(ok("1.2.0-rc.1").semver(), "1.2.0-rc.1");
    assert_eq!(ok("1.2.0rc1").semver(), "1.2.0-rc.1");
    assert_eq!(ok("v1.2.0").semver(), "1.2.0");
    let refused = |s: &str, facts: &[&str]| assert_refused(ReleaseVersion::parse_any(s), s, facts);
    // Valid SemVer is judged as SemVer: `-pre.1` must not silently become rc1.
    refused("1.2.0-pre.1", &["colliding with -rc.1"]);
    refused("1.2.0-1", &["sorts below 1.2.0 in SemVer"]);
    refused("1.2.0+build.5", &["cannot be uploaded to PyPI"]);
    // Not SemVer, but PEP 440 with a precise reason.
    refused("1.2", &["Cargo needs X.Y.Z"]);
    refused("1!1.2.0", &["epoch"]);
    refused("1.2.0.0", &["Cargo needs X.Y.Z"]);
    refused("1.2.0a", &["implicit"]);
    // Neither: both parsers' messages.
    refused(
        "foo",
        &[
            "neither SemVer",
            "major version number",
            "nor PEP 440",
            "leading ASCII digits",
        ],
    );
}

// ---------------------------------------------------------------- bump

/// (from, level, Cargo, Python)
const BUMPS: &[(&str, &str, &str, &str)] = &[
    ("1.2.3", "major", "2.0.0", "2.0.0"),
    ("1.2.3", "minor", "1.3.0", "1.3.0"),
    ("1.2.3", "patch", "1.2.4", "1.2.4"),
    ("1.2.4-rc.1", "major", "2.0.0", "2.0.0"),
    ("1.2.4-rc.1", "minor", "1.3.0", "1.3.0"),
    ("1.2.4-rc.1", "patch", "1.2.5", "1.2.5"),
    ("1.2.4-alpha.1.dev.2", "patch", "1.2.5", "1.2.5"),
    ("1.2.4-dev.3", "minor", "1.3.0", "1.3.0"),
    ("1.2.3-post.1", "patch", "1.2.4", "1.2.4"),
    ("1.2.3-post.1", "major", "2.0.0", "2.0.0"),
    // alpha / beta / rc
    ("1.2.3", "alpha", "1.2.4-alpha.1", "1.2.4a1"),
    ("1.2.3", "beta", "1.2.4-beta.1", "1.2.4b1"),
    ("1.2.3", "rc", "1.2.4-rc.1", "1.2.4rc1"),
    ("1.2.3-post.1", "alpha", "1.2.4-alpha.1", "1.2.4a1"),
    ("1.2.3-post.1", "rc", "1.2.4-rc.1", "1.2.4rc1"),
    ("1.2.4-alpha.1", "alpha", "1.2.4-alpha.2", "1.2.4a2"),
    ("1.2.4-beta.9", "beta", "1.2.4-beta.10", "1.2.4b10"),
    ("1.2.4-rc.1", "rc", "1.2.4-rc.2", "1.2.4rc2"),
    ("1.2.4-alpha.3", "beta", "1.2.4-beta.1", "1.2.4b1"),
    ("1.2.4-alpha.3", "rc", "1.2.4-rc.1", "1.2.4rc1"),
    ("1.2.4-beta.2", "rc", "1.2.4-rc.1", "1.2.4rc1"),
    ("1.2.4-alpha.2.dev.1", "beta", "1.2.4-beta.1", "1.2.4b1"),
    ("1.2.4-beta.1.dev.4", "rc", "1.2.4-rc.1", "1.2.4rc1"),
    ("1.2.4-dev.3", "rc", "1.2.4-rc.1", "1.2.4rc1"),
    // post
    ("1.2.3-post.1", "post", "1.2.3-post.2", "1.2.3.post2"),
    // dev
    ("1.2.3", "dev", "1.2.4-dev.1", "1.2.4.dev1"),
    ("1.2.3-post.2", "dev", "1.2.4-dev.1", "1.2.4.dev1"),
    ("1.2.4-dev.1", "dev", "1.2.4-dev.2", "1.2.4.dev2"),
    (
        "1.2.4-alpha.1",
        "dev",
        "1.2.4-alpha.2.dev.1",
        "1.2.4a2.dev1",
    ),
    ("1.2.4-rc.3", "dev", "1.2.4-rc.4.dev.1", "1.2.4rc4.dev1"),
    (
        "1.2.4-alpha.2.dev.1",
        "dev",
        "1.2.4-alpha.2.dev.2",
        "1.2.4a2.dev2",
    ),
    // release
    ("1.2.4-rc.2", "release", "1.2.4", "1.2.4"),
    ("1.2.4-dev.3", "release", "1.2.4", "1.2.4"),
    ("1.2.4-alpha.2.dev.1", "release", "1.2.4", "1.2.4"),
    ("1.2.4-beta.1", "release", "1.2.4", "1.2.4"),
];

#[test]
fn bump_table() {
    for &(from, name, cargo, python) in BUMPS {
        let next = version(from)
            .bump(level(name))
            .unwrap_or_else(|e| panic!("{from} + {name}: {e}"));
        assert_eq!(next.semver(), cargo, "{from} + {name}");
        assert_eq!(next.pep440(), python, "{from} + {name}");
    }
}

#[test]
fn bump_table_covers_every_level() {
    for l in BumpLevel::ALL {
        assert!(
            BUMPS.iter().any(|&(_, name, _, _)| name == l.as_str()),
            "{l}"
        );
    }
}

enum Refusal {
    /// Inapplicable, with fragments of the hint.
    Inapplicable(&'static [&'static str]),
    /// NotIncreasing under this scheme, with fragments of the hint.
    NotIncreasing(&'static str, &'static [&'static str]),
}

use Refusal::{Inapplicable, NotIncreasing};

const BUMP_REFUSALS: &[(&str, &str, Refusal)] = &[
    (
        "1.2.4-rc.1",
        "beta",
        Inapplicable(&["backwards", "`rc` or `release`"]),
    ),
    (
        "1.2.4-rc.1",
        "alpha",
        Inapplicable(&["backwards", "`rc` or `release`"]),
    ),
    (
        "1.2.4-beta.2",
        "alpha",
        Inapplicable(&["backwards", "`beta`, `rc` or `release`"]),
    ),
    ("1.2.4-rc.1.dev.2", "beta", Inapplicable(&["backwards"])),
    (
        "1.2.4-alpha.2.dev.1",
        "alpha",
        NotIncreasing(
            "SemVer",
            &["longer pre-release", "`beta`, `rc`, `release`", "`dev`"],
        ),
    ),
    (
        "1.2.4-rc.1.dev.2",
        "rc",
        NotIncreasing(
            "SemVer",
            &[
                "1.2.4-rc.1 sorts below 1.2.4-rc.1.dev.2",
                "`release`",
                "`dev`",
            ],
        ),
    ),
    (
        "1.2.4-dev.3",
        "alpha",
        NotIncreasing(
            "SemVer",
            &["`-dev` sorts above `-alpha`", "use `rc` or `release`"],
        ),
    ),
    (
        "1.2.4-dev.3",
        "beta",
        NotIncreasing("SemVer", &["`-beta`", "use `rc` or `release`"]),
    ),
    (
        "1.2.3",
        "post",
        NotIncreasing(
            "SemVer",
            &["`-post.N` as a pre-release", "below 1.2.3", "use `patch`"],
        ),
    ),
    (
        "1.2.4-rc.1",
        "post",
        Inapplicable(&["follows a final release", "`release` first"]),
    ),
    ("1.2.4-dev.1", "post", Inapplicable(&["`release` first"])),
    (
        "1.2.4-alpha.1.dev.1",
        "post",
        Inapplicable(&["`release` first"]),
    ),
    (
        "1.2.3",
        "release",
        Inapplicable(&["already a release", "`patch`, `minor` or `major`"]),
    ),
    (
        "1.2.3-post.1",
        "release",
        Inapplicable(&["already a release"]),
    ),
];

#[test]
fn bump_refusals_explain_why() {
    for (from, name, expected) in BUMP_REFUSALS {
        let err = version(from)
            .bump(level(name))
            .expect_err(&format!("{from} + {name}"));
        let (hint, facts) = match (&err, expected) {
            (
                BumpError::Inapplicable {
                    level,
                    from: f,
                    hint,
                },
                Inapplicable(facts),
            ) => {
                assert_eq!((*level, f.as_str()), (*name, *from));
                (hint, *facts)
            }
            (BumpError::NotIncreasing { scheme, hint, .. }, NotIncreasing(want, facts)) => {
                assert_eq!(scheme, want, "{from} + {name}");
                (hint, *facts)
            }
            _ => panic!("{from} + {name}: unexpected {err:?}"),
        };
        for fact in facts {
            assert!(
                hint.contains(fact),
                "{from} + {name}: {hint:?} lacks {fact:?}"
            );
        }
    }
}

#[test]
fn bump_errors_display() {
    let err = version("1.2.3").bump(BumpLevel::Release).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot bump release from 1.2.3: it is already a release; use `patch`, `minor` or `major`"
    );
    let err = version("1.2.3").bump(BumpLevel::Post).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("1.2.3 -> 1.2.3-post.1 does not increase under SemVer ordering: "),
        "{err}"
    );
}

#[test]
fn bump_refuses_overflow() {
    let max = u64::MAX;
    let cases = [
        (ReleaseVersion::new(max, 0, 0), BumpLevel::Major),
        (ReleaseVersion::new(0, max, 0), BumpLevel::Minor),
        (ReleaseVersion::new(0, 0, max), BumpLevel::Patch),
        (ReleaseVersion::new(0, 0, max), BumpLevel::Rc),
        (ReleaseVersion::new(0, 0, max), BumpLevel::Dev),
        (version(&format!("1.0.0-rc.{max}")), BumpLevel::Rc),
        (version(&format!("1.0.0-post.{max}")), BumpLevel::Post),
        (version(&format!("1.0.0-alpha.1.dev.{max}")), BumpLevel::Dev),
    ];
    for (v, l) in cases {
        match v.bump(l) {
            Err(BumpError::Inapplicable { hint, .. }) => {
                assert!(hint.contains(&max.to_string()), "{hint}")
            }
            other => panic!("{v} + {l}: {other:?}"),
        }
    }
}

#[test]
fn bump_refuses_a_hand_built_value_outside_the_subset() {
    let v = ReleaseVersion {
        pre: Some((PreKind::Rc, 1)),
        post: Some(1),
        ..ReleaseVersion::new(1, 2, 3)
    };
    assert!(matches!(
        v.bump(BumpLevel::Major),
        Err(BumpError::Version(_))
    ));
    assert!(v.validate().is_err());
    let with_dev = ReleaseVersion { dev: Some(3), ..v };
    assert_eq!(with_dev.semver(), "1.2.3-rc.1.post.1.dev.3");
    assert_eq!(maturin(&with_dev.semver()), with_dev.pep440());
    assert!(version("1.2.3-post.1").validate().is_ok());
}

// ---------------------------------------------------------------- check_increase

/// (from, to, None when it increases, else the failing scheme and hint fragments)
type IncreaseCase = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static [&'static str])>,
);

const INCREASES: &[IncreaseCase] = &[
    ("1.2.3", "1.2.4", None),
    ("1.2.4-rc.1", "1.2.4", None),
    ("1.2.3", "1.2.3-post.1", Some(("SemVer", &["use `patch`"]))),
    ("1.2.3", "1.2.3", Some(("SemVer", &["equal to"]))),
    (
        "2.0.0",
        "1.9.9",
        Some(("SemVer", &["1.9.9 below 2.0.0", "always go up"])),
    ),
    (
        "1.2.4-dev.1",
        "1.2.4-alpha.1",
        Some(("SemVer", &["`-dev` sorts above"])),
    ),
    // Cargo sorts rc above post, pip sorts post above rc.
    (
        "1.2.3-post.1",
        "1.2.3-rc.1",
        Some((
            "PEP 440",
            &["post release above every pre-release", "1.2.3rc1"],
        )),
    ),
    // Cargo sorts the longer one higher, pip puts the dev release first.
    (
        "1.2.3-alpha.1",
        "1.2.3-alpha.1.dev.2",
        Some(("PEP 440", &["dev release below", "use `dev`"])),
    ),
    (
        "1.2.3-alpha.1.dev.2",
        "1.2.3-alpha.1",
        Some(("SemVer", &["longer pre-release"])),
    ),
    (
        "1.2.3-beta.1",
        "1.2.3-alpha.5",
        Some(("SemVer", &["below"])),
    ),
];

#[test]
fn check_increase_table() {
    for &(from, to, expected) in INCREASES {
        let result = version(from).check_increase(&version(to));
        match (result, expected) {
            (Ok(()), None) => {}
            (Err(BumpError::NotIncreasing { scheme, hint, .. }), Some((want, facts))) => {
                assert_eq!(scheme, want, "{from} -> {to}");
                for fact in facts {
                    assert!(
                        hint.contains(fact),
                        "{from} -> {to}: {hint:?} lacks {fact:?}"
                    );
                }
            }
            (other, _) => panic!("{from} -> {to}: unexpected {other:?}"),
        }
    }
}

#[test]
fn check_increase_names_the_scheme_spelling() {
    let from = version("1.2.3-post.1");
    let Err(BumpError::NotIncreasing { from: f, to, .. }) =
        from.check_increase(&version("1.2.3-rc.1"))
    else {
        panic!("expected NotIncreasing");
    };
    assert_eq!((f.as_str(), to.as_str()), ("1.2.3.post1", "1.2.3rc1"));
}

// ---------------------------------------------------------------- properties

/// Small numbers (so that pairs often compare equal), sometimes huge or `u64::MAX`.
fn arb_number(huge: bool) -> BoxedStrategy<u64> {
    match huge {
        true => prop_oneof![8 => 0u64..4, 1 => Just(u64::MAX), 1 => any::<u64>()].boxed(),
        false => (0u64..4).boxed(),
    }
}

fn arb_kind() -> impl Strategy<Value = PreKind> {
    prop_oneof![Just(PreKind::Alpha), Just(PreKind::Beta), Just(PreKind::Rc)]
}

type Tail = (Option<(PreKind, u64)>, Option<u64>, Option<u64>);

fn arb_tail(huge: bool) -> impl Strategy<Value = Tail> {
    let n = move || arb_number(huge);
    prop_oneof![
        Just((None, None, None)),
        (arb_kind(), n()).prop_map(|p| (Some(p), None, None)),
        (arb_kind(), n(), n()).prop_map(|(k, n, m)| (Some((k, n)), Some(m), None)),
        n().prop_map(|n| (None, Some(n), None)),
        n().prop_map(|n| (None, None, Some(n))),
    ]
}

/// Versions in the subset, with small numbers so that pairs often share `X.Y.Z`.
fn arb_version() -> impl Strategy<Value = ReleaseVersion> {
    arb_version_with(true)
}

/// Versions in the subset; without `huge`, every number can be incremented.
fn arb_version_with(huge: bool) -> impl Strategy<Value = ReleaseVersion> {
    let part = move || match huge {
        true => prop_oneof![9 => 0u64..3, 1 => Just(u64::MAX)].boxed(),
        false => (0u64..3).boxed(),
    };
    let core = (part(), part(), part());
    (core, arb_tail(huge)).prop_map(|((major, minor, patch), (pre, dev, post))| ReleaseVersion {
        major,
        minor,
        patch,
        pre,
        dev,
        post,
    })
}

/// Two versions that share `X.Y.Z` half of the time, where the orderings disagree.
fn arb_pair() -> impl Strategy<Value = (ReleaseVersion, ReleaseVersion)> {
    (arb_version(), arb_version(), any::<bool>()).prop_map(|(a, b, share)| match share {
        true => {
            let b = ReleaseVersion {
                major: a.major,
                minor: a.minor,
                patch: a.patch,
                ..b
            };
            (a, b)
        }
        false => (a, b),
    })
}

fn arb_level() -> impl Strategy<Value = BumpLevel> {
    proptest::sample::select(BumpLevel::ALL.to_vec())
}

/// Strings shaped like versions: mostly near misses of the subset.
fn arb_version_string() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("alpha"),
        Just("beta"),
        Just("rc"),
        Just("dev"),
        Just("post"),
        Just("pre"),
        Just("a"),
        Just("c"),
        Just("r"),
        Just("RC"),
        Just("x"),
        Just("0"),
        Just("1"),
        Just("2"),
        Just("10"),
        Just("01"),
    ];
    let sep = prop_oneof![4 => Just("."), 1 => Just(""), 1 => Just("-")];
    let pre = proptest::collection::vec((sep, word), 0..5);
    let lead = prop_oneof![Just(""), Just("v")];
    let tail = prop_oneof![4 => Just(""), 1 => Just("+b.1"), 1 => Just(".0")];
    (lead, 0u64..3, 0u64..3, 0u64..3, pre, tail).prop_map(|(lead, x, y, z, pre, tail)| {
        let pre: String = pre.iter().map(|(s, w)| format!("{s}{w}")).collect();
        let dash = if pre.is_empty() { "" } else { "-" };
        format!(
            "{lead}{x}.{y}.{z}{dash}{}{tail}",
            pre.trim_start_matches(['.', '-'])
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn semver_roundtrip(v in arb_version()) {
        prop_assert_eq!(ReleaseVersion::parse_semver(&v.semver()), Ok(v.clone()));
        prop_assert_eq!(ReleaseVersion::parse_any(&v.semver()), Ok(v));
    }

    #[test]
    fn pep440_roundtrip(v in arb_version()) {
        prop_assert_eq!(ReleaseVersion::parse_pep440(&v.pep440()), Ok(v.clone()));
        prop_assert_eq!(ReleaseVersion::parse_any(&v.pep440()), Ok(v));
    }

    #[test]
    fn pep440_is_what_maturin_derives(v in arb_version()) {
        prop_assert_eq!(maturin(&v.semver()), v.pep440());
    }

    #[test]
    fn check_increase_agrees_with_both_orderings((a, b) in arb_pair()) {
        let semver_up = sv(&a) < sv(&b);
        let pep_up = pv(&a) < pv(&b);
        match a.check_increase(&b) {
            Ok(()) => prop_assert!(semver_up && pep_up, "{} -> {}", a, b),
            Err(BumpError::NotIncreasing { scheme, .. }) => {
                prop_assert!(!(semver_up && pep_up));
                let expected = if semver_up { "PEP 440" } else { "SemVer" };
                prop_assert_eq!(scheme, expected);
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    #[test]
    fn bump_only_goes_up(v in arb_version(), l in arb_level()) {
        if let Ok(next) = v.bump(l) {
            prop_assert!(sv(&v) < sv(&next), "SemVer: {} + {} = {}", v, l, next);
            prop_assert!(pv(&v) < pv(&next), "PEP 440: {} + {} = {}", v, l, next);
            prop_assert_eq!(ReleaseVersion::parse_semver(&next.semver()), Ok(next));
        }
    }

    #[test]
    fn bump_succeeds_where_the_rules_say(v in arb_version_with(false)) {
        for l in [BumpLevel::Major, BumpLevel::Minor, BumpLevel::Patch, BumpLevel::Dev] {
            prop_assert!(v.bump(l).is_ok(), "{} + {}", v, l);
        }
        prop_assert_eq!(v.bump(BumpLevel::Release).is_ok(), v.is_prerelease());
        prop_assert_eq!(v.bump(BumpLevel::Post).is_ok(), v.post.is_some());
        if !v.is_prerelease() {
            for l in [BumpLevel::Alpha, BumpLevel::Beta, BumpLevel::Rc] {
                prop_assert!(v.bump(l).is_ok(), "{} + {}", v, l);
            }
        }
    }

    #[test]
    fn accepted_semver_strings_are_canonical(s in arb_version_string()) {
        match ReleaseVersion::parse_semver(&s) {
            Ok(v) => {
                prop_assert_eq!(v.semver(), s.clone());
                prop_assert_eq!(maturin(&s), v.pep440());
            }
            Err(e) => {
                prop_assert_eq!(e.value, s);
                prop_assert!(!e.reason.is_empty());
            }
        }
    }

    #[test]
    fn accepted_pep440_strings_keep_their_meaning(s in arb_version_string()) {
        if let Ok(v) = ReleaseVersion::parse_pep440(&s) {
            let original = pep440_rs::Version::from_str(&s).expect("accepted means valid");
            prop_assert_eq!(original, pv(&v));
        }
    }
}
