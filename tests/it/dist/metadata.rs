//! Core metadata: versions of the format, every field's checks, classifiers
//! and licenses, each on both a wheel and an sdist.

use super::*;

#[test]
fn metadata_malformed() {
    check_meta_both(headers("this line is no header"), &["metadata-malformed"]);
    let mut latin1 = META.as_bytes().to_vec();
    latin1.extend_from_slice(b"caf\xe9\n");
    let mut s = sdist();
    s.pkg_info = None;
    s.files.push(("PKG-INFO".into(), latin1));
    let d = check_sdist(&s);
    assert_rules(&d, &["metadata-malformed"]);
    assert!(
        d[0].message
            .contains("demo_pkg-1.2.0/PKG-INFO is not UTF-8"),
        "{}",
        d[0]
    );
}

#[test]
fn metadata_version() {
    check_meta_both(
        replace("Metadata-Version: 2.4\n", ""),
        &["metadata-version"],
    );
    check_meta_both(
        replace("Metadata-Version: 2.4", "Metadata-Version: 2.0"),
        &["metadata-version"],
    );
    check_meta_both(
        replace("Metadata-Version: 2.4", "Metadata-Version: 3.0"),
        &["metadata-version"],
    );
}

/// Metadata 2.5 (PEP 794) adds Import-Name and Import-Namespace; PyPI takes it.
#[test]
fn metadata_version_2_5_is_accepted() {
    let v25 = |m: &str| {
        add_headers(
            &swap(m, "Metadata-Version: 2.4", "Metadata-Version: 2.5"),
            "Import-Name: demo_pkg\nImport-Name: demo_pkg._private; private\nImport-Namespace: demo",
        )
    };
    check_meta_both(v25, &[]);
    check_meta_both(
        headers("Import-Name: demo_pkg"),
        &["metadata-field-too-new"],
    );
}

#[test]
fn metadata_unknown_field() {
    check_meta_both(headers("X-Custom: 1"), &["metadata-unknown-field"]);
}

#[test]
fn metadata_duplicate_field() {
    check_meta_both(headers("Summary: again"), &["metadata-duplicate-field"]);
    check_meta_both(
        headers("Description: also in a header"),
        &["metadata-duplicate-field"],
    );
}

#[test]
fn metadata_field_too_new() {
    let v23_without_license_file = |m: &str| {
        swap(
            &swap(m, "Metadata-Version: 2.4", "Metadata-Version: 2.3"),
            "License-File: LICENSE\n",
            "",
        )
    };
    check_meta_both(v23_without_license_file, &["metadata-field-too-new"]);
    let v21_dynamic = |m: &str| {
        let m = swap(m, "Metadata-Version: 2.4", "Metadata-Version: 2.1");
        let m = swap(
            &m,
            "License-Expression: MIT OR Apache-2.0\nLicense-File: LICENSE\n",
            "License: MIT\n",
        );
        add_headers(&m, "Dynamic: Requires-Dist")
    };
    check_meta_both(v21_dynamic, &["metadata-field-too-new"]);
    let v12_extra = |m: &str| {
        let m = swap(m, "Metadata-Version: 2.4", "Metadata-Version: 1.2");
        let m = swap(
            &m,
            "License-Expression: MIT OR Apache-2.0\nLicense-File: LICENSE\n",
            "",
        );
        swap(&m, "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM\n\n# Demo\n\nHello *world*.\n", "Description: Demo\n")
    };
    check_meta_both(
        v12_extra,
        &["metadata-field-too-new", "description-content-type-missing"],
    );
}

#[test]
fn metadata_license_file_ignored() {
    let v22 = |m: &str| {
        let m = swap(m, "Metadata-Version: 2.4", "Metadata-Version: 2.2");
        swap(
            &m,
            "License-Expression: MIT OR Apache-2.0\n",
            "License: MIT\n",
        )
    };
    check_meta_both(v22, &["metadata-license-file-ignored"]);
}

#[test]
fn name_invalid() {
    check_meta_both(
        replace("Name: demo-pkg", "Name: -demo pkg-"),
        &["name-invalid"],
    );
    check_meta_both(replace("Name: demo-pkg\n", ""), &["name-invalid"]);
}

#[test]
fn version_invalid() {
    check_meta_both(
        replace("Version: 1.2.0\n", "Version: one.two\n"),
        &["version-invalid"],
    );
}

#[test]
fn version_local() {
    let mut w = wheel()
        .named("demo_pkg-1.2.0+local-cp311-cp311-manylinux_2_17_x86_64.whl")
        .meta("Version: 1.2.0\n", "Version: 1.2.0+local\n");
    w.dist_info = "demo_pkg-1.2.0+local.dist-info".into();
    assert_rules(&check_wheel(&w), &["version-local"]);
    let mut s = sdist().meta("Version: 1.2.0\n", "Version: 1.2.0+local\n");
    s.file = "demo_pkg-1.2.0+local.tar.gz".into();
    s.top = "demo_pkg-1.2.0+local".into();
    assert_rules(&check_sdist(&s), &["version-local"]);
}

#[test]
fn requires_dist_invalid() {
    check_meta_both(
        headers("Requires-Dist: foo >>= 1"),
        &["requires-dist-invalid"],
    );
    check_meta_both(
        headers("Obsoletes-Dist: (broken"),
        &["requires-dist-invalid"],
    );
}

#[test]
fn requires_dist_url() {
    check_meta_both(
        headers("Requires-Dist: foo @ https://example.org/foo-1.0.tar.gz"),
        &["requires-dist-url"],
    );
}

#[test]
fn requires_python_invalid() {
    check_meta_both(
        replace("Requires-Python: >=3.9", "Requires-Python: >=3.x"),
        &["requires-python-invalid"],
    );
}

#[test]
fn summary_too_long() {
    let long = format!("Summary: {}", "x".repeat(513));
    let edit = move |m: &str| swap(m, "Summary: A demo package", &long);
    check_meta_both(edit, &["summary-too-long"]);
    let exact = format!("Summary: {}", "é".repeat(512));
    let edit = move |m: &str| swap(m, "Summary: A demo package", &exact);
    check_meta_both(edit, &[]);
}

#[test]
fn summary_multiline() {
    check_meta_both(
        replace("Summary: A demo package", "Summary: A demo\n  package"),
        &["summary-multiline"],
    );
}

#[test]
fn project_url() {
    for line in [
        "Project-URL: nolabel",
        "Project-URL: Docs, ftp://example.org",
        "Project-URL: Source, https://example.org/other",
        "Project-URL: , https://example.org",
    ] {
        let edit = move |m: &str| add_headers(m, line);
        check_meta_both(edit, &["project-url"]);
    }
}

#[test]
fn project_url_label() {
    let line = format!("Project-URL: {}, https://example.org/x", "L".repeat(33));
    let edit = move |m: &str| add_headers(m, &line);
    check_meta_both(edit, &["project-url-label"]);
}

#[test]
fn url_invalid() {
    check_meta_both(headers("Home-page: example.org"), &["url-invalid"]);
    check_meta_both(
        headers("Download-URL: https://exa mple.org"),
        &["url-invalid"],
    );
}

#[test]
fn email_invalid() {
    check_meta_both(
        replace("Jane Doe <jane@example.org>", "Jane Doe"),
        &["email-invalid"],
    );
    check_meta_both(
        headers("Maintainer-email: a@b.org, broken@"),
        &["email-invalid"],
    );
    check_meta_both(headers("Maintainer-email: \"Doe, J\" <j@example.org>"), &[]);
}

#[test]
fn provides_extra_invalid() {
    check_meta_both(
        headers("Provides-Extra: -bad-"),
        &["provides-extra-invalid"],
    );
}

#[test]
fn dynamic_invalid() {
    check_meta_both(headers("Dynamic: Version"), &["dynamic-invalid"]);
    check_meta_both(headers("Dynamic: Colour"), &["dynamic-invalid"]);
    check_meta_both(headers("Dynamic: Requires-Dist"), &[]);
}

#[test]
fn classifier_unknown() {
    check_meta_both(
        headers("Classifier: Programming Language :: Klingon"),
        &["classifier-unknown"],
    );
}

#[test]
fn classifier_private() {
    check_meta_both(
        headers("Classifier: Private :: Do Not Upload"),
        &["classifier-private"],
    );
}

#[test]
fn classifier_deprecated() {
    let edit = headers("Classifier: License :: OSI Approved :: Intel Open Source License");
    check_meta_both(edit, &["classifier-deprecated"]);
    assert!(dist::is_accepted_classifier("Programming Language :: Rust"));
    assert!(
        dist::classifiers_version().starts_with("20"),
        "{}",
        dist::classifiers_version()
    );
}

#[test]
fn license_conflict() {
    check_meta_both(headers("License: MIT"), &["license-conflict"]);
}

#[test]
fn license_expression_invalid() {
    for expr in ["MIT AND", "Not-A-License", "MIT WITH Foo-exception", "(MIT"] {
        let to = format!("License-Expression: {expr}");
        let edit = move |m: &str| swap(m, "License-Expression: MIT OR Apache-2.0", &to);
        check_meta_both(edit, &["license-expression-invalid"]);
    }
}

#[test]
fn license_file_invalid() {
    for path in ["../LICENSE", "/LICENSE", "LICENSE*", "docs\\LICENSE"] {
        let to = format!("License-File: {path}");
        let edit = move |m: &str| swap(m, "License-File: LICENSE", &to);
        check_meta_both(edit, &["license-file-invalid"]);
    }
}

#[test]
fn license_file_missing() {
    let mut w = wheel();
    w.licenses.clear();
    let d = check_wheel(&w);
    assert_rules(&d, &["license-file-missing"]);
    assert!(
        d[0].message
            .contains("demo_pkg-1.2.0.dist-info/licenses/LICENSE"),
        "{}",
        d[0]
    );
    let mut s = sdist();
    s.files.retain(|(p, _)| p != "LICENSE");
    assert_rules(&check_sdist(&s), &["license-file-missing"]);
}
