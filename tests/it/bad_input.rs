//! Bad input and awkward git states: `bump --force` repairs a version that
//! cannot be read, a detached HEAD and unrelated edits never make a release
//! commit, configuration errors exit 2 before anything is written, error
//! messages have no blanks, and `--format json` errors are JSON.

use crate::support::{git, tree, OutputExt, TestContext};

#[test]
fn force_with_a_version_repairs_a_version_that_cannot_be_read() {
    for (file, from, bad) in [
        (
            "Cargo.toml",
            "version = \"1.3.0\"",
            "version = \"1.3.0-rc1\"",
        ),
        (
            "Cargo.toml",
            "version = \"1.3.0\"",
            "version = \"1.2.3-foo\"",
        ),
        ("Cargo.toml", "version = \"1.3.0\"", "version = \"v1.2.3\""),
        (
            "pyproject.toml",
            "version = \"1.3.0\"",
            "version = \"1.2.3-foo\"",
        ),
        (
            "python/static_version/__init__.py",
            "\"1.3.0\"",
            "\"v1.2.3\"",
        ),
    ] {
        let ctx = TestContext::fixture("static-version").git_init();
        ctx.edit(file, from, bad);
        let out = ctx.run(&["check"]);
        assert_ne!(out.status.code(), Some(0), "{file}: {bad}");
        let said = out.stdout() + &out.stderr();
        assert!(said.contains(file), "{said}");
        let out = ctx.run(&["bump", "1.4.0", "--force", "--allow-dirty"]);
        assert!(out.status.success(), "{file} {bad}: {}", out.stderr());
        let out = ctx.run(&["check"]);
        assert!(out.status.success(), "{file} {bad}: {}", out.stderr());
        assert!(ctx.read(file).contains("1.4.0"), "{file}");
        assert!(!ctx.read(file).contains(bad), "{file}");
    }
}

#[test]
fn an_unreadable_version_without_force_names_the_way_out() {
    let ctx = TestContext::fixture("static-version").git_init();
    ctx.edit(
        "Cargo.toml",
        "version = \"1.3.0\"",
        "version = \"1.3.0-rc1\"",
    );
    let out = ctx.run(&["bump", "patch"]);
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr());
    let err = out.stderr();
    assert!(
        err.contains("Cargo.toml:3") && err.contains("1.3.0-rc1"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
}

#[test]
fn a_capital_v_is_read_as_a_version() {
    let ctx = TestContext::fixture("static-version");
    for given in ["V1.4.0", "v1.4.0"] {
        let out = ctx.run(&["bump", given, "--dry-run"]);
        assert!(out.status.success(), "{given}: {}", out.stderr());
        assert!(out.stdout().contains("+version = \"1.4.0\""), "{given}");
    }
}

#[test]
fn a_commit_on_a_detached_head_is_refused_unless_allowed() {
    let ctx = TestContext::fixture("static-version").git_init();
    git(ctx.path(), &["checkout", "-q", "--detach"]);
    let before = tree(ctx.path());
    for flag in ["--commit", "--tag"] {
        let out = ctx.run(&["bump", "patch", flag]);
        assert_eq!(out.status.code(), Some(1), "{flag}: {}", out.stderr());
        assert!(
            out.stderr().contains("--allow-detached"),
            "{}",
            out.stderr()
        );
        assert_eq!(before, tree(ctx.path()));
    }
    let out = ctx.run(&["bump", "patch", "--tag", "--allow-detached"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(git(ctx.path(), &["tag", "-l"]), "v1.3.1\n");
}

#[test]
fn allow_dirty_refuses_a_bumped_file_with_other_edits() {
    let ctx = TestContext::fixture("static-version").git_init();
    ctx.edit(
        "pyproject.toml",
        "description = ",
        "description = \"edited\"\n# ",
    );
    std::fs::write(ctx.path().join("src/lib.rs"), "// unrelated\n").unwrap();
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch", "--commit", "--allow-dirty"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    let err = out.stderr();
    assert!(err.contains("pyproject.toml"), "{err}");
    assert!(!err.contains("src/lib.rs"), "{err}");
    assert_eq!(before, tree(ctx.path()));
    // Unrelated edits alone are fine with --allow-dirty, and stay out of the commit.
    git(ctx.path(), &["checkout", "-q", "--", "pyproject.toml"]);
    let out = ctx.run(&["bump", "patch", "--commit", "--allow-dirty"]);
    assert!(out.status.success(), "{}", out.stderr());
    let files = git(ctx.path(), &["show", "--name-only", "--format=", "HEAD"]);
    assert!(!files.contains("src/lib.rs"), "{files}");
    assert_eq!(ctx.read("src/lib.rs"), "// unrelated\n");
}

fn with_config(ctx: &TestContext, line: &str) {
    let path = ctx.path().join("pyproject.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n[tool.cargo-pypi]\n{line}\n")).unwrap();
    git(ctx.path(), &["commit", "-qam", "config"]);
}

#[test]
fn configuration_errors_exit_2_before_writing_and_name_the_key() {
    for (line, key) in [
        ("commit-message = \"\"", "commit-message"),
        ("commit-message = \"   \"", "commit-message"),
        ("tag-name = \"bad name {version}\"", "tag-name"),
        ("tag-name = \"release\"", "tag-name"),
        ("tag-name = \"v{verison}\"", "tag-name"),
        ("release = { publish = \"yes\" }", "release.publish"),
        ("release = { staging = 1 }", "release.staging"),
    ] {
        let ctx = TestContext::fixture("static-version").git_init();
        with_config(&ctx, line);
        let before = tree(ctx.path());
        let out = ctx.run(&["bump", "patch", "--tag"]);
        assert_eq!(out.status.code(), Some(2), "{line}: {}", out.stderr());
        let err = out.stderr();
        assert!(
            err.contains("pyproject.toml:") && err.contains(key),
            "{line}: {err}"
        );
        assert!(!err.contains("Bumped"), "{line}: {err}");
        assert_eq!(before, tree(ctx.path()), "{line}");
    }
}

#[test]
fn git_errors_name_the_repository() {
    let ctx = TestContext::fixture("static-version");
    git(ctx.path(), &["init", "-q", "-b", "main"]);
    let out = ctx.run(&["bump", "patch", "--commit", "--allow-dirty"]);
    assert_eq!(out.status.code(), Some(1));
    let err = out.stderr();
    let repo = format!("no commit identity in {} (", ctx.path().display());
    assert!(err.contains(&repo), "{err}");
}

#[test]
fn help_lists_no_commit_and_no_tag_apart_from_the_global_options() {
    let ctx = TestContext::empty();
    let out = ctx.run(&["bump", "--help"]);
    let help = out.stdout();
    assert!(
        help.contains("--no-commit") && help.contains("--no-tag"),
        "{help}"
    );
    let global = help
        .find("Global options:")
        .expect("a Global options heading");
    let options = help.find("Options:").expect("an Options heading");
    assert!(options < global, "{help}");
    for flag in [
        "--manifest-path",
        "--package",
        "--verbose",
        "--quiet",
        "--color",
        "--format",
    ] {
        assert!(
            help[global..].contains(flag),
            "{flag} not under Global options: {help}"
        );
    }
    for flag in ["--dry-run", "--force", "--allow-dirty", "--no-commit"] {
        assert!(
            help[options..global].contains(flag),
            "{flag} not under Options: {help}"
        );
    }
}

#[test]
fn errors_are_json_with_format_json() {
    let ctx = TestContext::fixture("bad-toml");
    let out = ctx.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_str(&out.stdout())
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.stdout()));
    assert_eq!(value["kind"], "read", "{value}");
    assert!(
        value["error"].as_str().unwrap().contains("invalid TOML"),
        "{value}"
    );
    assert!(
        value["path"].as_str().unwrap().ends_with(".toml"),
        "{value}"
    );

    let ctx = TestContext::fixture("static-version");
    let out = ctx.run(&["bump", "patch", "--commit", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    assert_eq!(value["kind"], "refused", "{value}");
    assert!(value.get("path").is_none(), "{value}");
}
