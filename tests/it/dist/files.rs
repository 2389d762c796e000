//! Valid artifacts stay clean; what is reported for each file; unreadable,
//! unknown and oversized files; sdist names, layout and unsafe paths.

use super::*;

// ---------------------------------------------------------------- valid

#[test]
fn valid_wheel_and_sdist_are_clean() {
    assert_rules(&check_wheel(&wheel()), &[]);
    assert_rules(&check_sdist(&sdist()), &[]);
}

#[test]
fn check_reports_identity_size_and_hash_of_each_file() {
    let dir = TempDir::new().unwrap();
    let paths = vec![wheel().write(dir.path()), sdist().write(dir.path())];
    let (artifacts, diagnostics) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&diagnostics, &[]);
    let bytes = std::fs::read(&paths[0]).unwrap();
    let w = &artifacts[0];
    assert_eq!(
        (w.kind, w.name.as_str(), w.version.as_str()),
        (Kind::Wheel, "demo-pkg", "1.2.0")
    );
    assert_eq!(w.size, bytes.len() as u64);
    assert_eq!(w.sha256, format!("{:x}", Sha256::digest(&bytes)));
    assert_eq!(w.pyversion, "cp311");
    assert_eq!(artifacts[1].kind, Kind::Sdist);
    assert_eq!(artifacts[1].pyversion, "source");
    assert_eq!(
        artifacts[1]
            .metadata
            .as_ref()
            .and_then(|m| m.get("Summary"))
            .as_deref(),
        Some("A demo package")
    );
}

#[test]
fn a_missing_path_is_an_error_not_a_diagnostic() {
    let err = dist::check(&[PathBuf::from("/nonexistent/x-1.0.tar.gz")], &opts()).unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/x-1.0.tar.gz"),
        "{err}"
    );
}

#[test]
fn diagnostics_are_sorted_by_file_then_errors_first() {
    let dir = TempDir::new().unwrap();
    // The platform warning is found before the metadata error; the sdist sorts last.
    let a = with_platform("linux_armv7l")
        .meta("Version: 1.2.0\n", "Version: 1.2.0\nX-Odd: 1\n")
        .write(dir.path());
    let b = sdist().meta(BODY, "\n").write(dir.path());
    let (_, d) = dist::check(&[b, a], &opts()).unwrap();
    let order: Vec<&str> = d.iter().map(|d| d.rule).collect();
    assert_eq!(
        order,
        [
            "metadata-unknown-field",
            "wheel-platform-tag-legacy",
            "description-missing"
        ]
    );
    assert!(d[0].file.ends_with(".whl") && d[2].file.ends_with(".tar.gz"));
}

// ---------------------------------------------------------------- files

#[test]
fn file_unreadable() {
    let dir = TempDir::new().unwrap();
    for name in [WHEEL, SDIST] {
        let path = dir.path().join(name);
        std::fs::write(&path, b"this is not an archive at all").unwrap();
        assert_rules(&run(&path, &opts()), &["file-unreadable"]);
    }
    let mut truncated = sdist().bytes();
    truncated.truncate(truncated.len() / 2);
    let path = dir.path().join(SDIST);
    std::fs::write(&path, truncated).unwrap();
    assert_rules(&run(&path, &opts()), &["file-unreadable"]);
}

#[test]
fn file_format() {
    let dir = TempDir::new().unwrap();
    for name in [
        "demo_pkg-1.2.0.zip",
        "demo_pkg-1.2.0-py3.11.egg",
        "demo_pkg-1.2.0.tar.bz2",
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, wheel().bytes()).unwrap();
        assert_rules(&run(&path, &opts()), &["file-format"]);
    }
}

#[test]
fn file_too_large() {
    let dir = TempDir::new().unwrap();
    let path = wheel().write(dir.path());
    let small = CheckOptions {
        max_size: 100,
        ..opts()
    };
    let d = run(&path, &small);
    assert_rules(&d, &["file-too-large"]);
    assert!(d[0].message.contains("100 bytes"), "{}", d[0]);
}

// ---------------------------------------------------------------- sdists

#[test]
fn sdist_filename() {
    let mut upper = sdist();
    upper.file = "Demo-Pkg-1.2.0.tar.gz".into();
    upper.top = "Demo-Pkg-1.2.0".into();
    let d = check_sdist(&upper);
    assert_rules(&d, &["sdist-filename"]);
    assert!(
        d[0].message.contains("\"demo_pkg-1.2.0.tar.gz\""),
        "{}",
        d[0]
    );

    let mut unnormalized = sdist();
    unnormalized.file = "demo_pkg-1.2.0.0.tar.gz".into();
    unnormalized.top = "demo_pkg-1.2.0.0".into();
    assert_rules(&check_sdist(&unnormalized), &["sdist-filename"]);
}

#[test]
fn sdist_layout() {
    let d = check_sdist(&sdist().raw("setup.py", tar::EntryType::Regular, None));
    assert_rules(&d, &["sdist-layout"]);
    let other_dir = sdist().raw("other-1.0/setup.py", tar::EntryType::Regular, None);
    assert_rules(&check_sdist(&other_dir), &["sdist-layout"]);
}

#[test]
fn sdist_top_level_name() {
    let mut s = sdist();
    s.top = "demo-pkg-1.2.0".into();
    assert_rules(&check_sdist(&s), &["sdist-top-level-name"]);
}

#[test]
fn sdist_pkg_info_missing() {
    let mut s = sdist();
    s.pkg_info = None;
    assert_rules(&check_sdist(&s), &["sdist-pkg-info-missing"]);
    let nested = s.raw("demo_pkg-1.2.0/sub/PKG-INFO", tar::EntryType::Regular, None);
    assert_rules(&check_sdist(&nested), &["sdist-pkg-info-missing"]);
}

#[test]
fn sdist_unsafe_path() {
    use tar::EntryType::*;
    let cases = [
        ("demo_pkg-1.2.0/../../evil.py", Regular, None),
        ("demo_pkg-1.2.0/link", Symlink, Some("../../etc/passwd")),
        ("demo_pkg-1.2.0/abs", Symlink, Some("/etc/passwd")),
        ("demo_pkg-1.2.0/hard", Link, Some("etc/passwd")),
        ("demo_pkg-1.2.0/dev", Char, None),
    ];
    for (name, kind, link) in cases {
        let d = check_sdist(&sdist().raw(name, kind, link));
        assert_rules(&d, &["sdist-unsafe-path"]);
    }
    let fine = sdist().raw("demo_pkg-1.2.0/src/readme", Symlink, Some("../LICENSE"));
    assert_rules(&check_sdist(&fine), &[]);
    let absolute = sdist().raw("/demo_pkg-1.2.0/x", Regular, None);
    assert!(ids(&check_sdist(&absolute)).contains("sdist-unsafe-path"));
}

#[test]
fn sdist_member_type() {
    use tar::EntryType;
    for kind in [EntryType::GNUSparse, EntryType::new(b'V')] {
        let d = check_sdist(&sdist().raw("demo_pkg-1.2.0/data.bin", kind, None));
        assert_rules(&d, &["sdist-member-type"]);
        assert!(d[0].message.contains("demo_pkg-1.2.0/data.bin"), "{}", d[0]);
    }
    let contiguous = sdist().raw("demo_pkg-1.2.0/c.txt", EntryType::Continuous, None);
    assert_rules(&check_sdist(&contiguous), &[]);
}
