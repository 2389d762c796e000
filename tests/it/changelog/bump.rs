//! `bump`, `check` and `status` on every changelog shape, end to end: the
//! `changelog-shapes` fixture gets a changelog from `tests/golden/changelog/`
//! at the place real repositories keep it, and the binary runs there.

use std::path::Path;

use cargo_pypi::changelog::Format;

use super::shapes::{released_name, SHAPES};
use super::{assert_same_text, read, Changelog};
use crate::support::{tree, OutputExt, TestContext};

/// Where a repository keeps the changelog of golden case `input`.
fn place(input: &str) -> &'static str {
    match input {
        "changes.rst" | "rst-unreleased.rst" => "CHANGES.rst",
        "history.rst" => "HISTORY.rst",
        "docs-changelog.rst" => "docs/changelog.rst",
        _ => "CHANGELOG.md",
    }
}

/// The fixture at `version`, with golden case `input` in its place.
pub(crate) fn with_changelog(input: &str, version: &str) -> TestContext {
    let ctx = TestContext::fixture("changelog-shapes");
    for file in ["Cargo.toml", "Cargo.lock"] {
        let path = ctx.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("version = \"1.2.0\"", &format!("version = \"{version}\""));
        std::fs::write(&path, text).unwrap();
    }
    let path = ctx.path().join(place(input));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, read(input)).unwrap();
    ctx
}

fn newest(input: &str) -> String {
    let cl = Changelog::parse_as(&read(input), Format::of(Path::new(input)));
    cl.sections()[0].version.clone()
}

fn changed(
    before: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    ctx: &TestContext,
) -> Vec<String> {
    let after = tree(ctx.path());
    after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(b))
        .map(|(p, _)| p.display().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn sorted<const N: usize>(files: [&str; N]) -> Vec<String> {
    let mut files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    files.sort();
    files
}

#[test]
fn bump_patch_adds_a_section_on_every_shape_without_unreleased() {
    for (input, version, ..) in SHAPES {
        let ctx = with_changelog(input, &newest(input));
        let before = tree(ctx.path());
        let out = ctx.run(&["bump", "patch"]);
        assert!(out.status.success(), "{input}: {}", out.stderr());
        let file = place(input);
        let text = std::fs::read_to_string(ctx.path().join(file)).unwrap();
        assert_same_text(input, &text, &read(&released_name(input)));
        let warning = format!(
            "warning: {file}: added a section for {version}; its notes are still to be written"
        );
        assert!(out.stderr().contains(&warning), "{input}: {}", out.stderr());
        assert_eq!(
            changed(&before, &ctx),
            sorted(["Cargo.lock", "Cargo.toml", file]),
            "{input}"
        );
        let check = ctx.run(&["check"]);
        assert!(check.status.success(), "{input}: {}", check.all());
    }
}

#[test]
fn bump_rotates_an_rst_unreleased_section() {
    let ctx = with_changelog("rst-unreleased.rst", "1.2.0");
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(!out.stderr().contains("warning"), "{}", out.stderr());
    let text = std::fs::read_to_string(ctx.path().join("CHANGES.rst")).unwrap();
    assert_same_text(
        "rst-unreleased",
        &text,
        &read("rst-unreleased.released.rst"),
    );
}

#[test]
fn bump_warns_when_the_rotated_unreleased_section_is_empty() {
    let ctx = TestContext::fixture("static-version");
    let path = ctx.path().join("CHANGELOG.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("- `answer()` is now documented.\n", "")).unwrap();
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(
        out.stderr().contains("warning: CHANGELOG.md: the Unreleased section was empty, so the notes for 1.3.1 are still to be written"),
        "{}",
        out.stderr()
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("## [Unreleased]\n\n## [1.3.1] - 2026-11-21\n"),
        "{text}"
    );
}

#[test]
fn bump_no_changelog_leaves_it_for_one_run() {
    let ctx = TestContext::fixture("static-version");
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch", "--no-changelog"]);
    assert!(out.status.success(), "{}", out.stderr());
    let files = changed(&before, &ctx);
    assert!(!files.contains(&"CHANGELOG.md".to_string()), "{files:?}");
    assert!(files.contains(&"pyproject.toml".to_string()), "{files:?}");
    // The next run rotates it again.
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    let text = std::fs::read_to_string(ctx.path().join("CHANGELOG.md")).unwrap();
    assert!(
        text.contains("## [Unreleased]\n\n## [1.3.2] - 2026-11-21\n"),
        "{text}"
    );
}

#[test]
fn a_file_without_version_headings_is_not_checked_or_edited() {
    let ctx = with_changelog("notes-moved.md", "1.2.0");
    let status = ctx.run(&["status"]);
    assert!(status.status.success(), "{}", status.all());
    assert!(
        status.stdout().contains("skipped  CHANGELOG.md    changelog: no version heading, so not a changelog: not checked or edited"),
        "{}",
        status.stdout()
    );
    let check = ctx.run(&["check"]);
    assert!(check.status.success(), "{}", check.all());
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(changed(&before, &ctx), ["Cargo.lock", "Cargo.toml"]);
}

#[test]
fn discovery_prefers_a_file_that_keeps_versions() {
    let ctx = with_changelog("docs-changelog.rst", "46.0.3");
    std::fs::write(ctx.path().join("CHANGELOG.md"), read("notes-moved.md")).unwrap();
    let status = ctx.run(&["status"]);
    assert!(
        status.stdout().contains("docs/changelog.rst:6"),
        "{}",
        status.stdout()
    );
}

#[test]
fn towncrier_assembles_the_changelog_so_cargo_pypi_leaves_it() {
    let setups = [
        "[tool.towncrier]",
        "towncrier.toml",
        "changelog.d/",
        "newsfragments/",
    ];
    for what in setups {
        // 1.3.0 has no section: towncrier writes it at release time.
        let ctx = with_changelog("kac-released.md", "1.3.0");
        use_towncrier(ctx.path(), what);
        let status = ctx.run(&["status"]);
        assert!(status.status.success(), "{what}: {}", status.all());
        assert!(
            status.stdout().contains(&format!(
                "changelog: assembled by towncrier ({what}): not checked or edited"
            )),
            "{what}: {}",
            status.stdout()
        );
        let check = ctx.run(&["check"]);
        assert!(check.status.success(), "{what}: {}", check.all());
        let before = tree(ctx.path());
        let out = ctx.run(&["bump", "patch"]);
        assert!(out.status.success(), "{what}: {}", out.stderr());
        assert_eq!(
            changed(&before, &ctx),
            ["Cargo.lock", "Cargo.toml"],
            "{what}"
        );
    }
}

#[test]
fn an_explicit_changelog_path_is_kept_even_with_towncrier() {
    let ctx = with_changelog("changes.rst", "1.2.0");
    std::fs::create_dir(ctx.path().join("docs")).unwrap();
    std::fs::rename(
        ctx.path().join("CHANGES.rst"),
        ctx.path().join("docs/releases.rst"),
    )
    .unwrap();
    std::fs::create_dir(ctx.path().join("changelog.d")).unwrap();
    let path = ctx.path().join("pyproject.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text + "\n[tool.cargo-pypi]\nchangelog = \"docs/releases.rst\"\n",
    )
    .unwrap();
    let out = ctx.run(&["bump", "patch"]);
    assert!(out.status.success(), "{}", out.stderr());
    let text = std::fs::read_to_string(ctx.path().join("docs/releases.rst")).unwrap();
    assert_same_text("changes.rst", &text, &read("changes.released.rst"));
}

#[test]
fn changelog_false_turns_it_off() {
    let ctx = with_changelog("kac-released.md", "1.3.0");
    assert_eq!(ctx.run(&["check"]).status.code(), Some(1));
    let path = ctx.path().join("pyproject.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text + "\n[tool.cargo-pypi]\nchangelog = false\n").unwrap();
    let check = ctx.run(&["check"]);
    assert!(check.status.success(), "{}", check.all());
    let before = tree(ctx.path());
    assert!(ctx.run(&["bump", "patch"]).status.success());
    assert_eq!(changed(&before, &ctx), ["Cargo.lock", "Cargo.toml"]);
}

#[test]
fn check_names_the_real_fix_for_a_missing_section() {
    let ctx = with_changelog("changes.rst", "1.3.0");
    let out = ctx.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    assert_eq!(
        out.stdout(),
        "CHANGES.rst: no `Unreleased` section and no section for 1.3.0: write one (`1.3.0 (YYYY-MM-DD)`), or set `changelog = false` in `[tool.cargo-pypi]`\n"
    );
    assert!(!out.stderr().contains("--force"), "{}", out.stderr());
    assert!(
        out.stderr().contains("changelog = false"),
        "{}",
        out.stderr()
    );
}

/// Makes `dir` a towncrier user the way `what` says.
fn use_towncrier(dir: &Path, what: &str) {
    match what {
        "[tool.towncrier]" => {
            let path = dir.join("pyproject.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            let config =
                "\n[tool.towncrier]\nfilename = \"CHANGELOG.md\"\ndirectory = \"changes\"\n";
            std::fs::write(&path, text + config).unwrap();
        }
        "towncrier.toml" => {
            std::fs::write(dir.join("towncrier.toml"), "[tool.towncrier]\n").unwrap()
        }
        "changelog.d/" => {
            std::fs::create_dir(dir.join("changelog.d")).unwrap();
            std::fs::write(dir.join("changelog.d/123.bugfix.md"), "Fixed it.\n").unwrap();
        }
        _ => {
            std::fs::create_dir(dir.join("newsfragments")).unwrap();
            std::fs::write(dir.join("newsfragments/.gitignore"), "!.gitignore\n").unwrap();
        }
    }
}

#[test]
fn a_changelog_outside_the_repository_is_refused() {
    for how in ["changelog = \"../CHANGELOG.md\"", "symlink"] {
        let ctx = TestContext::fixture("changelog-shapes").git_root();
        let outside = ctx.path().parent().unwrap().join("CHANGELOG.md");
        std::fs::write(&outside, read("kac-released.md")).unwrap();
        if how == "symlink" {
            std::os::unix::fs::symlink(&outside, ctx.path().join("CHANGELOG.md")).unwrap();
        } else {
            let path = ctx.path().join("pyproject.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text + "\n[tool.cargo-pypi]\n" + how + "\n").unwrap();
        }
        let out = ctx.run(&["bump", "patch"]);
        assert_eq!(out.status.code(), Some(2), "{how}: {}", out.all());
        let needle = format!(
            "the changelog leads outside the repository, to {}",
            outside.display()
        );
        assert!(out.stderr().contains(&needle), "{how}: {}", out.stderr());
        assert_eq!(
            std::fs::read_to_string(&outside).unwrap(),
            read("kac-released.md")
        );
    }
}
