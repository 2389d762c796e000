//! Bumping: the table of every level, every refusal, overflow, and
//! `check_increase`.

use super::*;

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
