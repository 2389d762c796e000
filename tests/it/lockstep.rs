//! `status`, `check` and `bump` through the real binary on fixture copies: exit
//! codes, messages naming file, line and value, and nothing half-written.

use crate::support::{self, tree, OutputExt, TestContext};

#[test]
fn check_passes_on_every_consistent_fixture() {
    for name in [
        "pyo3-dynamic",
        "static-version",
        "workspace-inherit",
        "python-subfolder",
        "bin-bindings",
        "setuptools-rust",
        "two-lines",
        "lock-thirdparty",
        "config-files",
    ] {
        let ctx = TestContext::fixture(name);
        let out = ctx.run(&["check"]);
        assert!(
            out.status.success(),
            "{name}: {}{}",
            out.stdout(),
            out.stderr()
        );
        assert_eq!(
            out.stdout(),
            "",
            "{name}: check prints nothing on stdout when all agree"
        );
    }
}

#[test]
fn status_lists_every_source_with_file_and_line() {
    let ctx = TestContext::fixture("workspace-inherit");
    let out = ctx.run(&["status", "--format", "json"]);
    assert!(out.status.success(), "{}", out.stderr());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = &json["packages"][0];
    assert_eq!(package["name"], "ws-python");
    assert_eq!(package["semver"], "2.1.0");
    let mut places: Vec<String> = package["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{}:{}", s["file"].as_str().unwrap(), s["line"]))
        .collect();
    places.sort();
    let expected = [
        "Cargo.lock:14",
        "Cargo.lock:18",
        "Cargo.lock:7",
        "Cargo.toml:13",
        "Cargo.toml:6",
        "bindings/python/Cargo.toml:14",
        "python/ws_python/__init__.py:3",
        "uv.lock:16",
    ];
    assert_eq!(places, expected);
    assert_eq!(package["changelog"]["unreleased"], 8);
    assert_eq!(package["derived"][0]["file"], "pyproject.toml");
}

#[test]
fn status_human_output() {
    let ctx = TestContext::fixture("static-version");
    let out = ctx.run(&["status"]);
    assert!(out.status.success(), "{}", out.stderr());
    let text = out.stdout();
    assert!(
        text.starts_with("static-version 1.3.0  [maturin, pyproject.toml]\n"),
        "{text}"
    );
    assert!(text.contains("pyproject.toml:7"), "{text}");
    assert!(
        text.contains("python/static_version/__init__.py:5"),
        "{text}"
    );
    assert!(text.contains("all sources agree"), "{text}");
}

#[test]
fn check_names_each_disagreeing_source() {
    let ctx = TestContext::fixture("disagree");
    let out = ctx.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    assert_eq!(
        out.stdout(),
        "pyproject.toml:7: found 1.2.0, expected 1.2.1 ([project].version)\npython/disagree/__init__.py:3: found 1.2.0, expected 1.2.1 (`__version__`)\n"
    );
}

#[test]
fn check_warns_about_a_stale_cargo_lock_and_bump_rewrites_it() {
    let ctx = TestContext::fixture("lock-thirdparty");
    let manifest = ctx.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replacen(
        "version = \"1.0.0\"",
        "version = \"1.0.1\"",
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    // cargo brings its lock file up to date on the next build: a warning, not a failure.
    let out = ctx.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr());
    assert_eq!(out.stdout(), "");
    assert!(out.stderr().contains(
        "warning: Cargo.lock:13: found 1.0.0, expected 1.0.1 (Cargo.lock entry `samever`): the lock file is behind"
    ), "{}", out.stderr());
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    let lock = std::fs::read_to_string(ctx.path().join("Cargo.lock")).unwrap();
    assert!(
        lock.contains("name = \"samever\"\nversion = \"1.0.2\""),
        "{lock}"
    );
}

#[test]
fn check_requires_a_changelog_section() {
    let ctx = TestContext::fixture("static-version");
    let path = ctx.path().join("CHANGELOG.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("## [Unreleased]", "## Notes")
        .replace("## [1.3.0]", "## [1.2.9]");
    std::fs::write(&path, text).unwrap();
    let out = ctx.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout()
            .starts_with("CHANGELOG.md: no `Unreleased` section and no section for 1.3.0"),
        "{}",
        out.stdout()
    );
}

#[test]
fn malformed_toml_exits_2_with_file_line_and_column() {
    let ctx = TestContext::fixture("bad-toml");
    let before = tree(ctx.path());
    for args in [&["check"][..], &["status"], &["bump", "patch"]] {
        let out = ctx.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", out.stderr());
        assert!(
            out.stderr().contains("pyproject.toml:7:17: invalid TOML"),
            "{args:?}: {}",
            out.stderr()
        );
    }
    assert_eq!(before, tree(ctx.path()));
}

#[test]
fn bump_refuses_disagreeing_sources_unless_forced() {
    let ctx = TestContext::fixture("disagree");
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch"]);
    assert_eq!(out.status.code(), Some(1));
    let err = out.stderr();
    assert!(
        err.contains("pyproject.toml:7: found 1.2.0, expected 1.2.1"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(before, tree(ctx.path()), "nothing written");
    let out = ctx.run(&["bump", "patch", "--force"]);
    assert!(out.status.success(), "{}", out.stderr());
    let pyproject = std::fs::read_to_string(ctx.path().join("pyproject.toml")).unwrap();
    assert!(pyproject.contains("version = \"1.2.2\""), "{pyproject}");
    assert!(ctx.run(&["check"]).status.success());
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let ctx = TestContext::fixture("static-version");
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "minor", "--dry-run"]);
    assert!(out.status.success(), "{}", out.stderr());
    let diff = out.stdout();
    assert!(
        diff.contains("--- a/pyproject.toml\n+++ b/pyproject.toml\n"),
        "{diff}"
    );
    assert!(
        diff.contains("-version = \"1.3.0\"\n+version = \"1.4.0\"\n"),
        "{diff}"
    );
    assert!(diff.contains("+## [1.4.0] - 2026-11-21"), "{diff}");
    assert!(
        out.stderr().contains("dry run, nothing written"),
        "{}",
        out.stderr()
    );
    assert_eq!(before, tree(ctx.path()));
}

#[test]
fn pre_release_is_written_in_both_spellings() {
    let ctx = TestContext::fixture("static-version");
    let out = ctx.run(&["bump", "1.4.0-beta.2"]);
    assert!(out.status.success(), "{}", out.stderr());
    let cargo = std::fs::read_to_string(ctx.path().join("Cargo.toml")).unwrap();
    let py = std::fs::read_to_string(ctx.path().join("pyproject.toml")).unwrap();
    assert!(cargo.contains("version = \"1.4.0-beta.2\""), "{cargo}");
    assert!(py.contains("version = \"1.4.0b2\""), "{py}");
    let out = ctx.run(&["bump", "1.4.0rc1"]);
    assert!(
        out.status.success(),
        "PEP 440 spelling accepted: {}",
        out.stderr()
    );
    let cargo = std::fs::read_to_string(ctx.path().join("Cargo.toml")).unwrap();
    assert!(cargo.contains("version = \"1.4.0-rc.1\""), "{cargo}");
}

#[test]
fn bad_targets_are_refused_and_change_nothing() {
    let ctx = TestContext::fixture("static-version");
    let before = tree(ctx.path());
    let cases: [(&str, i32, &str); 4] = [
        ("sideways", 2, "unknown bump level `sideways`"),
        ("1.2.0", 1, "does not increase"),
        ("1.4.0-nightly.1", 2, "1.4.0-nightly.1"),
        ("1.4.0+local.1", 2, "local"),
    ];
    for (target, code, needle) in cases {
        let out = ctx.run(&["bump", target]);
        assert_eq!(out.status.code(), Some(code), "{target}: {}", out.stderr());
        assert!(out.stderr().contains(needle), "{target}: {}", out.stderr());
    }
    assert_eq!(before, tree(ctx.path()));
}

#[test]
fn bump_without_an_unreleased_section_adds_one_for_the_version() {
    let ctx = TestContext::fixture("pyo3-dynamic");
    let path = ctx.path().join("CHANGELOG.md");
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("## [Unreleased]", "## Notes"),
    )
    .unwrap();
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(
        out.stderr().contains(
            "warning: CHANGELOG.md: added a section for 0.4.3; its notes are still to be written"
        ),
        "{}",
        out.stderr()
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\n## [0.4.3] - 2026-11-21\n\n## [0.4.2] - 2025-03-14\n"),
        "{text}"
    );
}

#[test]
fn works_as_cargo_subcommand_and_standalone() {
    let ctx = TestContext::fixture("bin-bindings");
    let bin_dir = std::path::Path::new(support::BIN)
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let via_cargo = ctx
        .program("cargo")
        .args(["pypi", "status", "--format", "json"])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(via_cargo.status.success(), "{}", via_cargo.stderr());
    let standalone = ctx
        .program(support::BIN)
        .args(["status", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(via_cargo.stdout, standalone.stdout);
    assert!(standalone.stdout().contains("\"semver\": \"0.2.0\""));
}

#[test]
fn several_packages_need_a_choice() {
    let ctx = TestContext::empty().git_root();
    support::copy_dir(&support::fixture_dir("bin-bindings"), &ctx.path().join("a"));
    support::copy_dir(
        &support::fixture_dir("static-version"),
        &ctx.path().join("b"),
    );
    let out = ctx.run(&["check"]);
    assert!(out.status.success(), "check covers both: {}", out.stderr());
    let out = ctx.run(&["bump", "patch"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr().contains("choose one with -p/--package"),
        "{}",
        out.stderr()
    );
    let out = ctx.run(&["bump", "patch", "-p", "static_version"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(std::fs::read_to_string(ctx.path().join("b/Cargo.toml"))
        .unwrap()
        .contains("1.3.1"));
    assert!(std::fs::read_to_string(ctx.path().join("a/Cargo.toml"))
        .unwrap()
        .contains("0.2.0"));
}

#[test]
fn an_unpublished_crate_on_another_major_keeps_its_own_line() {
    // bcrypt's shape: setuptools-rust or maturin with a static version, the
    // crate `publish = false` at 0.1.0.
    let ctx = TestContext::fixture("static-version");
    ctx.edit("Cargo.toml", "version = \"1.3.0\"", "version = \"0.1.0\"");
    ctx.edit("Cargo.lock", "version = \"1.3.0\"", "version = \"0.1.0\"");
    let out = ctx.run(&["check"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    let status = ctx.run(&["status"]).stdout();
    assert!(
        status.contains("crate `static-version` 0.1.0 keeps a version of its own"),
        "{status}"
    );
    let before = std::fs::read_to_string(ctx.path().join("Cargo.toml")).unwrap();
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(
        before,
        std::fs::read_to_string(ctx.path().join("Cargo.toml")).unwrap()
    );
    let pyproject = std::fs::read_to_string(ctx.path().join("pyproject.toml")).unwrap();
    assert!(pyproject.contains("version = \"1.3.1\""), "{pyproject}");
}

#[test]
fn a_crate_that_can_be_published_or_shares_the_major_is_held_to_the_package() {
    for (publish, version) in [("true", "0.1.0"), ("false", "1.2.0")] {
        let ctx = TestContext::fixture("static-version");
        ctx.edit(
            "Cargo.toml",
            "publish = false",
            &format!("publish = {publish}"),
        );
        ctx.edit(
            "Cargo.toml",
            "version = \"1.3.0\"",
            &format!("version = \"{version}\""),
        );
        ctx.edit(
            "Cargo.lock",
            "version = \"1.3.0\"",
            &format!("version = \"{version}\""),
        );
        let out = ctx.run(&["check"]);
        assert_eq!(out.status.code(), Some(1), "publish = {publish}, {version}");
    }
}

#[test]
fn a_changelog_that_stopped_long_ago_is_not_checked_or_edited() {
    let ctx = TestContext::fixture("static-version");
    let stale = "# Changelog\n\n## 0.9.0\n\n- The last notes written here.\n";
    std::fs::write(ctx.path().join("CHANGELOG.md"), stale).unwrap();
    let out = ctx.run(&["check"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    let status = ctx.run(&["status"]).stdout();
    assert!(
        status.contains("its newest section is 0.9.0, long before 1.3.0"),
        "{status}"
    );
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    let text = std::fs::read_to_string(ctx.path().join("CHANGELOG.md")).unwrap();
    assert_eq!(text, stale);

    // One minor line back is a changelog whose notes for this release are missing.
    let ctx = TestContext::fixture("static-version");
    let behind = "# Changelog\n\n## 1.2.0\n\n- Notes.\n";
    std::fs::write(ctx.path().join("CHANGELOG.md"), behind).unwrap();
    let out = ctx.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout().contains("no section for 1.3.0"),
        "{}",
        out.stdout()
    );
}
