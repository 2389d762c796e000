//! Parsing: the SemVer <-> PEP 440 mapping, every refusal with its reason, and
//! `parse_any`.

use super::*;

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
