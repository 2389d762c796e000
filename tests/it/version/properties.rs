//! Properties checked against the `semver` and `pep440_rs` orderings directly.

use super::*;

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
