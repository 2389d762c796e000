//! `status`, `check` and `bump` through the real binary on fixture copies: exit
//! codes, messages naming file, line and value, and nothing half-written.

mod common;

use common::{fixture, run, snapshot, stderr, stdout};

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
        let dir = fixture(name);
        let out = run(dir.path(), &["check"]);
        assert!(
            out.status.success(),
            "{name}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert_eq!(
            stdout(&out),
            "",
            "{name}: check prints nothing on stdout when all agree"
        );
    }
}

#[test]
fn status_lists_every_source_with_file_and_line() {
    let dir = fixture("workspace-inherit");
    let out = run(dir.path(), &["status", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
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
    let dir = fixture("static-version");
    let out = run(dir.path(), &["status"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
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
    let dir = fixture("disagree");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "pyproject.toml:7: found 1.2.0, expected 1.2.1 ([project].version)\npython/disagree/__init__.py:3: found 1.2.0, expected 1.2.1 (`__version__`)\n"
    );
}

#[test]
fn check_reports_stale_cargo_lock() {
    let dir = fixture("lock-thirdparty");
    let manifest = dir.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replacen(
        "version = \"1.0.0\"",
        "version = \"1.0.1\"",
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "Cargo.lock:13: found 1.0.0, expected 1.0.1 (Cargo.lock entry `samever`)\n"
    );
}

#[test]
fn check_requires_a_changelog_section() {
    let dir = fixture("static-version");
    let path = dir.path().join("CHANGELOG.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("## [Unreleased]", "## Notes")
        .replace("## [1.3.0]", "## [1.2.9]");
    std::fs::write(&path, text).unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("CHANGELOG.md: no `Unreleased` section and no section for 1.3.0"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn malformed_toml_exits_2_with_file_line_and_column() {
    let dir = fixture("bad-toml");
    let before = snapshot(dir.path());
    for args in [&["check"][..], &["status"], &["bump", "patch"]] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("pyproject.toml:7:17: invalid TOML"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn bump_refuses_disagreeing_sources_unless_forced() {
    let dir = fixture("disagree");
    let before = snapshot(dir.path());
    let out = run(dir.path(), &["bump", "patch"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("pyproject.toml:7: found 1.2.0, expected 1.2.1"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(before, snapshot(dir.path()), "nothing written");
    let out = run(dir.path(), &["bump", "patch", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pyproject = std::fs::read_to_string(dir.path().join("pyproject.toml")).unwrap();
    assert!(pyproject.contains("version = \"1.2.2\""), "{pyproject}");
    assert!(run(dir.path(), &["check"]).status.success());
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let dir = fixture("static-version");
    let before = snapshot(dir.path());
    let out = run(dir.path(), &["bump", "minor", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let diff = stdout(&out);
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
        stderr(&out).contains("dry run, nothing written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn pre_release_is_written_in_both_spellings() {
    let dir = fixture("static-version");
    let out = run(dir.path(), &["bump", "1.4.0-beta.2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let cargo = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
    let py = std::fs::read_to_string(dir.path().join("pyproject.toml")).unwrap();
    assert!(cargo.contains("version = \"1.4.0-beta.2\""), "{cargo}");
    assert!(py.contains("version = \"1.4.0b2\""), "{py}");
    let out = run(dir.path(), &["bump", "1.4.0rc1"]);
    assert!(
        out.status.success(),
        "PEP 440 spelling accepted: {}",
        stderr(&out)
    );
    let cargo = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
    assert!(cargo.contains("version = \"1.4.0-rc.1\""), "{cargo}");
}

#[test]
fn bad_targets_are_refused_and_change_nothing() {
    let dir = fixture("static-version");
    let before = snapshot(dir.path());
    let cases: [(&str, i32, &str); 4] = [
        ("sideways", 2, "unknown bump level `sideways`"),
        ("1.2.0", 1, "does not increase"),
        ("1.4.0-nightly.1", 2, "1.4.0-nightly.1"),
        ("1.4.0+local.1", 2, "local"),
    ];
    for (target, code, needle) in cases {
        let out = run(dir.path(), &["bump", target]);
        assert_eq!(out.status.code(), Some(code), "{target}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{target}: {}", stderr(&out));
    }
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn bump_refuses_without_an_unreleased_section() {
    let dir = fixture("pyo3-dynamic");
    let path = dir.path().join("CHANGELOG.md");
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("## [Unreleased]", "## Upcoming"),
    )
    .unwrap();
    let before = snapshot(dir.path());
    let out = run(dir.path(), &["bump", "patch"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("CHANGELOG.md"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Unreleased"), "{}", stderr(&out));
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn works_as_cargo_subcommand_and_standalone() {
    let dir = fixture("bin-bindings");
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_cargo-pypi"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let via_cargo = std::process::Command::new("cargo")
        .args(["pypi", "status", "--format", "json"])
        .current_dir(dir.path())
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(via_cargo.status.success(), "{}", stderr(&via_cargo));
    let standalone = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-pypi"))
        .args(["status", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(via_cargo.stdout, standalone.stdout);
    assert!(stdout(&standalone).contains("\"semver\": \"0.2.0\""));
}

#[test]
fn several_packages_need_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::root().join("fixtures/bin-bindings"),
        &dir.path().join("a"),
    );
    common::copy_dir(
        &common::root().join("fixtures/static-version"),
        &dir.path().join("b"),
    );
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let out = run(dir.path(), &["check"]);
    assert!(out.status.success(), "check covers both: {}", stderr(&out));
    let out = run(dir.path(), &["bump", "patch"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("choose one with -p/--package"),
        "{}",
        stderr(&out)
    );
    let out = run(dir.path(), &["bump", "patch", "-p", "static_version"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(dir.path().join("b/Cargo.toml"))
        .unwrap()
        .contains("1.3.1"));
    assert!(std::fs::read_to_string(dir.path().join("a/Cargo.toml"))
        .unwrap()
        .contains("0.2.0"));
}
