//! `cargo pypi build` and `cargo pypi check-dist` through the real binary, with
//! real maturin from the test venv (`CARGO_PYPI_TEST_VENV`, set by scripts/test.sh).

use crate::support::{OutputExt, TestContext};

/// A copy of `fixtures/<name>` as a repository root, with the venv's tools.
fn project(name: &str) -> TestContext {
    TestContext::fixture(name).git_root().venv()
}

#[test]
fn build_then_check_dist_on_a_bin_tool() {
    let ctx = project("bin-bindings");
    let out = ctx.run(&["build"]);
    assert!(out.status.success(), "{}", out.stderr());
    let listed = out.stdout();
    assert!(listed.contains("dist/bintool-0.2.0.tar.gz  "), "{listed}");
    assert!(
        listed.contains("dist/bintool-0.2.0-py3-none-manylinux"),
        "{listed}"
    );
    assert!(
        out.stderr().contains("maturin 1."),
        "says which tool ran: {}",
        out.stderr()
    );
    assert!(
        ctx.path().join("target").is_dir(),
        "cargo builds reuse the repository's target folder"
    );

    let out = ctx.run(&["check-dist", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout(), out.stderr()));
    assert_eq!(json["files"].as_array().unwrap().len(), 2, "{json}");
    let errors: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(
        errors.is_empty(),
        "maturin's artifacts are accepted: {errors:?}"
    );
    assert_eq!(out.status.success(), json["ok"].as_bool().unwrap());
}

#[test]
fn check_dist_takes_only_this_versions_artifacts_and_given_files() {
    let ctx = project("bin-bindings");
    assert!(ctx.run(&["build", "-q"]).status.success());
    let dist = ctx.path().join("dist");
    let old = dist.join("bintool-0.1.9.tar.gz");
    std::fs::write(&old, b"not even gzip").unwrap();
    let out = ctx.run(&["check-dist"]);
    assert!(
        !out.stdout().contains("0.1.9"),
        "other versions are not checked: {}",
        out.stdout()
    );
    let out = ctx.run(&["check-dist", old.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stdout());
    assert!(
        out.stdout().contains("bintool-0.1.9.tar.gz"),
        "{}",
        out.stdout()
    );
}

#[test]
fn build_refuses_while_versions_disagree() {
    let ctx = project("disagree");
    let out = ctx.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr()
            .contains("pyproject.toml:7: found 1.2.0, expected 1.2.1"),
        "{}",
        out.stderr()
    );
    assert!(!ctx.path().join("dist").exists(), "nothing built");
}

#[test]
fn check_dist_without_artifacts_says_to_build() {
    let ctx = project("bin-bindings");
    let out = ctx.run(&["check-dist"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr().contains("cargo pypi build"),
        "{}",
        out.stderr()
    );
}

#[test]
fn build_names_ignored_files_and_warns_about_artifacts_in_the_sdist() {
    let ctx = project("bin-bindings");
    std::fs::create_dir(ctx.path().join("dist")).unwrap();
    std::fs::write(
        ctx.path().join("dist/bintool-0.1.0-py3-none-any.whl"),
        b"old build",
    )
    .unwrap();
    let out = ctx.run(&["build"]);
    assert!(out.status.success(), "{}", out.stderr());
    let err = out.stderr();
    assert!(
        err.contains("Ignored bintool-0.1.0-py3-none-any.whl"),
        "{err}"
    );
    assert!(
        err.contains("built artifact(s) from earlier builds"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(ctx.path().join("dist/bintool-0.1.0-py3-none-any.whl")).unwrap(),
        b"old build"
    );
    let staging = std::fs::read_dir(ctx.path().join("dist"))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains("staging"));
    assert!(!staging, "no staging folder is left in dist/");
}

#[test]
fn check_dist_given_a_folder_checks_the_release_files_in_it() {
    use crate::support::index::{sdist, wheel};
    let ctx = TestContext::fixture("bin-bindings").git_root();
    let dist = ctx.path().join("downloaded");
    std::fs::create_dir_all(dist.join("wheels")).unwrap();
    sdist(&dist, "bintool", "0.2.0", "folder");
    wheel(
        &dist.join("wheels"),
        "bintool",
        "0.2.0",
        "py3-none-any",
        "",
        b"x",
    );
    sdist(&dist, "bintool", "0.1.9", "an older release, not checked");
    let out = ctx.run(&["check-dist", "downloaded", "--format", "json"]);
    assert!(out.status.success(), "{}", out.all());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["bintool-0.2.0-py3-none-any.whl", "bintool-0.2.0.tar.gz"],
        "the same files as `check-dist --dist-dir downloaded`"
    );

    // Outside a project: every wheel and sdist in it, of one release.
    let outside = TestContext::empty();
    crate::publish::ci_artifacts(&outside.path().join("ci"), "citool", "1.4.0");
    let out = outside.run(&["check-dist", "ci"]);
    assert!(out.status.success(), "{}", out.all());
    assert!(
        out.stdout().contains("ok: 4 files checked"),
        "{}",
        out.stdout()
    );

    // A folder without distribution files is an error naming it.
    std::fs::create_dir(ctx.path().join("empty")).unwrap();
    let out = ctx.run(&["check-dist", "empty"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    let err = out.stderr();
    assert!(err.contains("in empty or its subfolders"), "{err}");
    assert!(!err.contains("Is a directory"), "{err}");
}
