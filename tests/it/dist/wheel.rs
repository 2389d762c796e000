//! Wheels: file names and platform tags, zip framing, `.dist-info`, `WHEEL`
//! and `RECORD`.

use super::*;

// ---------------------------------------------------------------- wheel names

#[test]
fn wheel_filename() {
    for file in [
        "demo_pkg-1.2.0-cp311-manylinux_2_17_x86_64.whl",
        "demo_pkg-1.2.0-x1-cp311-cp311-manylinux_2_17_x86_64.whl",
    ] {
        assert_rules(&check_wheel(&wheel().named(file)), &["wheel-filename"]);
    }
}

#[test]
fn wheel_filename_with_build_tag_is_fine() {
    let w = wheel().named("demo_pkg-1.2.0-1-cp311-cp311-manylinux_2_17_x86_64.whl");
    assert_rules(&check_wheel(&w), &[]);
}

#[test]
fn wheel_filename_name() {
    let mut w = wheel().named("Demo_Pkg-1.2.0-cp311-cp311-manylinux_2_17_x86_64.whl");
    w.dist_info = "Demo_Pkg-1.2.0.dist-info".into();
    let d = check_wheel(&w);
    assert_rules(&d, &["wheel-filename-name"]);
    assert!(d[0].message.contains("\"demo_pkg\""), "{}", d[0]);
}

#[test]
fn wheel_filename_version() {
    let mut w = wheel().named("demo_pkg-1.3.0-cp311-cp311-manylinux_2_17_x86_64.whl");
    w.dist_info = "demo_pkg-1.3.0.dist-info".into();
    assert_rules(&check_wheel(&w), &["wheel-filename-version"]);
}

#[test]
fn wheel_filename_version_form() {
    let mut w = wheel()
        .named("demo_pkg-1.2.0alpha1-cp311-cp311-manylinux_2_17_x86_64.whl")
        .meta("Version: 1.2.0", "Version: 1.2.0a1");
    w.dist_info = "demo_pkg-1.2.0a1.dist-info".into();
    assert_rules(&check_wheel(&w), &["wheel-filename-version-form"]);
}

#[test]
fn wheel_platform_tag() {
    for plat in [
        "linux_x86_64",
        "linux_aarch64",
        "freebsd_14_0_amd64",
        "macosx_11_3_arm64",
        "linux_riscv64",
        "pyodide_2024_0_wasm32",
        "emscripten_3_1_58_wasm32",
    ] {
        let d = check_wheel(&with_platform(plat));
        assert_rules(&d, &["wheel-platform-tag"]);
        if plat.starts_with("linux_") {
            assert!(
                d[0].message.contains("auditwheel repair") && d[0].message.contains("manylinux"),
                "{}",
                d[0]
            );
        }
    }
    for plat in [
        "musllinux_1_2_aarch64",
        "macosx_10_12_x86_64",
        "macosx_11_0_arm64",
        "win_amd64",
        "manylinux_2_17_x86_64.manylinux2014_x86_64",
        "ios_13_0_arm64_iphoneos",
        "ios_13_0_x86_64_iphonesimulator",
        "android_21_arm64_v8a",
        "android_24_x86_64",
        "pyemscripten_2026_0_wasm32",
        "manylinux_2_39_riscv64",
        "musllinux_1_2_riscv64",
        "macosx_26_0_arm64",
    ] {
        let mut w = with_platform(plat);
        let tags: Vec<String> = plat
            .split('.')
            .map(|p| format!("Tag: cp311-cp311-{p}"))
            .collect();
        w.wheel = Some(format!(
            "Wheel-Version: 1.0\nRoot-Is-Purelib: false\n{}\n",
            tags.join("\n")
        ));
        assert_rules(&check_wheel(&w), &[]);
    }
}

#[test]
fn wheel_platform_tag_legacy() {
    assert_rules(
        &check_wheel(&with_platform("linux_armv7l")),
        &["wheel-platform-tag-legacy"],
    );
}

// ---------------------------------------------------------------- wheel contents

/// Replaces `from` by `to` (same length) everywhere in `bytes`.
fn patch_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut n = 0;
    for i in 0..bytes.len().saturating_sub(from.len() - 1) {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + to.len()].copy_from_slice(to);
            n += 1;
        }
    }
    n
}

fn write_bytes(bytes: &[u8]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(WHEEL);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn framing_message(bytes: &[u8]) -> (Vec<Diagnostic>, String) {
    let (_dir, path) = write_bytes(bytes);
    let d = run(&path, &opts());
    let text = d
        .iter()
        .filter(|d| d.rule == "wheel-zip-framing")
        .map(|d| d.message.clone())
        .collect();
    (d, text)
}

#[test]
fn wheel_zip_framing_trailing_data_and_comment() {
    let mut bytes = wheel().bytes();
    bytes.extend_from_slice(b"trailing");
    let (d, text) = framing_message(&bytes);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("trailing"),
        "{d:#?}"
    );

    let mut w = wheel();
    w.comment = Some("hello".into());
    let (d, text) = framing_message(&w.bytes());
    assert_rules(&d, &["wheel-zip-framing"]);
    assert!(text.contains("comment"), "{text}");
}

#[test]
fn wheel_zip_framing_duplicate_names() {
    let mut w = wheel();
    w.payload.push(("demo_pkg/b.py".into(), b"x\n".to_vec()));
    w.payload.push(("demo_pkg/c.py".into(), b"x\n".to_vec()));
    w.record = Some(w.record_text());
    let mut bytes = w.bytes();
    assert_eq!(patch_all(&mut bytes, b"demo_pkg/c.py", b"demo_pkg/b.py"), 3);
    let (d, text) = framing_message(&bytes);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("duplicate"),
        "{d:#?}"
    );
}

#[test]
fn wheel_zip_framing_data_descriptor_and_prefix() {
    let bytes = wheel().bytes();
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let mut flagged = bytes.clone();
    flagged[central + 8] |= 0x08;
    let (d, text) = framing_message(&flagged);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("data descriptor"),
        "{d:#?}"
    );

    let mut prefixed = b"#!/bin/sh\n".to_vec();
    prefixed.extend_from_slice(&bytes);
    let (d, text) = framing_message(&prefixed);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("10 bytes of data before"),
        "{d:#?}"
    );
}

#[test]
fn wheel_dist_info() {
    let mut none = wheel();
    none.dist_info = "demo_pkg-1.2.0.info".into();
    assert_rules(&check_wheel(&none), &["wheel-dist-info"]);

    let mut other = wheel();
    other.dist_info = "other-1.2.0.dist-info".into();
    assert_rules(&check_wheel(&other), &["wheel-dist-info"]);

    let mut two = wheel();
    two.payload.push((
        "other-1.0.dist-info/METADATA".into(),
        b"Name: other\n".to_vec(),
    ));
    two.record = Some(two.record_text());
    assert_rules(&check_wheel(&two), &["wheel-dist-info"]);
}

#[test]
fn wheel_file_missing() {
    let mut w = wheel();
    w.wheel = None;
    let d = check_wheel(&w);
    assert_rules(&d, &["wheel-file-missing"]);
    assert!(
        d[0].message.contains("demo_pkg-1.2.0.dist-info/WHEEL"),
        "{}",
        d[0]
    );
}

#[test]
fn wheel_wheel_file() {
    for (from, to) in [
        ("Wheel-Version: 1.0", "Wheel-Version: 2.0"),
        ("Root-Is-Purelib: false\n", ""),
    ] {
        let mut w = wheel();
        w.wheel = Some(swap(WHEEL_FILE, from, to));
        assert_rules(&check_wheel(&w), &["wheel-wheel-file"]);
    }
}

#[test]
fn wheel_tags_mismatch() {
    let mut w = wheel();
    w.wheel = Some(swap(
        WHEEL_FILE,
        "cp311-cp311-manylinux_2_17_x86_64",
        "py3-none-any",
    ));
    assert_rules(&check_wheel(&w), &["wheel-tags-mismatch"]);
}

/// maturin 1.9.6 and older wrote the tags of a universal2 wheel as one
/// compressed `Tag:` line; PyPI and twine take such wheels.
#[test]
fn wheel_tags_compressed() {
    let plat = "macosx_10_12_x86_64.macosx_11_0_arm64.macosx_10_12_universal2";
    let d = check_wheel(&with_platform(plat));
    assert_rules(&d, &["wheel-tags-compressed"]);
    assert_eq!(d[0].severity, Severity::Warning);
    // The file name in another order (maturin sorts since 1.9.7): the same set.
    let mut sorted = with_platform(plat).named(
        "demo_pkg-1.2.0-cp311-cp311-macosx_10_12_universal2.macosx_10_12_x86_64.macosx_11_0_arm64.whl",
    );
    sorted.wheel = with_platform(plat).wheel;
    assert_rules(&check_wheel(&sorted), &["wheel-tags-compressed"]);
    // A compressed line that expands to other tags is still a mismatch.
    let mut short = with_platform(plat);
    short.wheel = Some(swap(
        WHEEL_FILE,
        "manylinux_2_17_x86_64",
        "macosx_10_12_x86_64.macosx_11_0_arm64",
    ));
    assert_rules(
        &check_wheel(&short),
        &["wheel-tags-mismatch", "wheel-tags-compressed"],
    );
}

#[test]
fn wheel_unsafe_path() {
    for name in [
        "../evil.py",
        "demo_pkg/../../evil.py",
        "/etc/evil.py",
        "C:/evil.py",
        "demo_pkg\\evil.py",
    ] {
        let mut w = wheel();
        w.payload.push((name.into(), b"x\n".to_vec()));
        let d = check_wheel(&w);
        assert!(ids(&d).contains("wheel-unsafe-path"), "{name}: {d:#?}");
        let found = d.iter().find(|d| d.rule == "wheel-unsafe-path").unwrap();
        assert!(found.message.contains(&format!("{name:?}")), "{found}");
    }
}

#[test]
fn wheel_zip_framing_compression_methods() {
    // Only stored (0) and deflate (8): patch the first entry to bzip2 (12).
    let bytes = wheel().bytes();
    let mut patched = bytes.clone();
    patched[8] = 12;
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    patched[central + 10] = 12;
    let (d, text) = framing_message(&patched);
    assert!(
        ids(&d).contains("wheel-zip-framing") && text.contains("compression method 12"),
        "{d:#?}"
    );
    let mut w = wheel();
    w.deflate = true;
    assert_rules(&check_wheel(&w), &[]);
}

const ENTRY_POINTS: &str = "demo_pkg-1.2.0.dist-info/entry_points.txt";

fn with_entry_points(text: &str) -> WheelSpec {
    let mut w = wheel();
    w.payload
        .push((ENTRY_POINTS.into(), text.as_bytes().to_vec()));
    w
}

#[test]
fn entry_points_invalid() {
    // Names outside console_scripts and gui_scripts are the application's business.
    let good = "[console_scripts]\ndemo-cli.x = demo_pkg.cli:main\n\n; a comment\n[demo.plugins]\nfoo/bar = demo_pkg.plugins:Foo.create [extra]\nmod = demo_pkg\n";
    assert_rules(&check_wheel(&with_entry_points(good)), &[]);
    for bad in [
        "demo = demo_pkg.cli:main\n",
        "[console_scripts]\ndemo = demo-pkg.cli:main\n",
        "[console_scripts]\nbin/demo = demo_pkg.cli:main\n",
        "[console_scripts]\ndemo = demo_pkg.cli:\n",
        "[console_scripts]\ndemo\n",
        "[console_scripts]\n = demo_pkg:main\n",
        "[console_scripts\ndemo = demo_pkg:main\n",
        "[console_scripts]\ndemo = demo_pkg:main\n[console_scripts]\nother = demo_pkg:main\n",
    ] {
        let d = check_wheel(&with_entry_points(bad));
        assert_rules(&d, &["entry-points-invalid"]);
        assert!(d[0].message.contains(ENTRY_POINTS), "{}", d[0]);
    }
}

fn with_record(edit: impl Fn(&str) -> String) -> WheelSpec {
    let mut w = wheel();
    w.record = Some(edit(&w.record_text()));
    w
}

#[test]
fn wheel_record_malformed() {
    let w = with_record(|r| {
        swap(
            r,
            "demo_pkg/__init__.py,sha256=",
            "demo_pkg/__init__.py;sha256=",
        )
    });
    let d = check_wheel(&w);
    assert!(ids(&d).contains("wheel-record-malformed"), "{d:#?}");
    assert_rules(&d, &["wheel-record-malformed", "wheel-record-unlisted"]);
}

#[test]
fn wheel_record_hash() {
    let init = b"from .demo_pkg import *\n";
    let right = b64(&Sha256::digest(init));
    let wrong = b64(&Sha256::digest(b"something else"));
    let cases = [
        swap(&wheel().record_text(), &right, &wrong),
        swap(
            &wheel().record_text(),
            &format!("{right},{}", init.len()),
            &format!("{right},999"),
        ),
        swap(&wheel().record_text(), &format!("sha256={right}"), ""),
        swap(
            &wheel().record_text(),
            &format!("sha256={right}"),
            "md5=abc",
        ),
    ];
    for record in cases {
        let mut w = wheel();
        w.record = Some(record);
        let d = check_wheel(&w);
        assert_rules(&d, &["wheel-record-hash"]);
        // PyPI takes such wheels (rustworkx 0.18.1's macOS x86_64 wheel has a
        // WHEEL that differs from its RECORD entry): a warning, not an error.
        assert_eq!(d[0].severity, Severity::Warning, "{}", d[0]);
    }
}

#[test]
fn wheel_record_algorithm() {
    let right = b64(&Sha256::digest(b"from .demo_pkg import *\n"));
    let w = with_record(|r| swap(r, &format!("sha256={right}"), "sha512=AAAA"));
    assert_rules(&check_wheel(&w), &["wheel-record-algorithm"]);
}

#[test]
fn wheel_record_unlisted() {
    let mut w = wheel();
    w.unlisted
        .push(("demo_pkg/sneaky.py".into(), b"import os\n".to_vec()));
    let d = check_wheel(&w);
    assert_rules(&d, &["wheel-record-unlisted"]);
    assert!(d[0].message.contains("demo_pkg/sneaky.py"), "{}", d[0]);
    let no_self = with_record(|r| swap(r, "demo_pkg-1.2.0.dist-info/RECORD,,\n", ""));
    assert_rules(&check_wheel(&no_self), &["wheel-record-unlisted"]);
}

#[test]
fn wheel_record_signature_files_need_no_listing() {
    let mut w = wheel();
    w.unlisted
        .push(("demo_pkg-1.2.0.dist-info/RECORD.jws".into(), b"{}".to_vec()));
    assert_rules(&check_wheel(&w), &[]);
}

#[test]
fn wheel_record_missing_file() {
    let w = with_record(|r| format!("{r}demo_pkg/ghost.py,sha256=AAAA,1\n"));
    assert_rules(&check_wheel(&w), &["wheel-record-missing-file"]);
}
