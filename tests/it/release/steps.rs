//! The release's runs: resumed after a failure, refused by the preflight,
//! `doctor`, a closed upload window, a missing platform, `publish = false`,
//! GitHub's latest release, and the workflow `init` writes.

use super::Release;
use crate::support::index::{PASSWORD, USER};
use crate::support::{git, OutputExt};

fn assert_released(r: &Release) {
    for server in [&r.staging, &r.production] {
        let files = server.files();
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(
            files.iter().any(|f| f == "bintool-0.2.1.tar.gz"),
            "{files:?}"
        );
        assert!(
            files
                .iter()
                .any(|f| f.starts_with("bintool-0.2.1-") && f.ends_with(".whl")),
            "{files:?}"
        );
    }
    assert_eq!(r.remote_tags(), "v0.2.1\n");
    let log = git(r.ctx.path(), &["log", "--format=%s", "origin/main"]);
    assert_eq!(log, "release 0.2.1\ninitial\n");
    assert_eq!(git(r.ctx.path(), &["status", "--porcelain"]), "");
    let releases = r.github.releases();
    assert_eq!(releases.len(), 1, "{releases:?}");
    let release = &releases[0];
    assert!(release.tag == "v0.2.1" && !release.draft, "{release:?}");
    let mut assets: Vec<&str> = release.assets.iter().map(|a| a.name.as_str()).collect();
    assets.sort();
    assert_eq!(assets.len(), 2, "{assets:?}");
    assert!(
        assets[0].starts_with("bintool-0.2.1-") && assets[0].ends_with(".whl"),
        "{assets:?}"
    );
    assert_eq!(assets[1], "bintool-0.2.1.tar.gz");
}

/// `make_latest` of the request that published the GitHub release.
fn made_latest(r: &Release) -> serde_json::Value {
    let seen = r.github.seen();
    let publish = seen.iter().rev().find(|s| s.method == "PATCH");
    publish.expect("the release was published").json()["make_latest"].clone()
}

#[test]
fn a_release_goes_from_bump_to_pushed_tag_and_resumes_after_a_failure() {
    let mut r = Release::new();
    // A dry run changes nothing and sends nothing.
    let out = r.run(&["release", "patch", "--dry-run"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    assert!(out.stdout().contains("planned"), "{}", out.stdout());
    assert!(
        out.stdout().contains("+version = \"0.2.1\""),
        "{}",
        out.stdout()
    );
    let github = format!(
        "release v0.2.1 on GitHub {} (token from GITHUB_TOKEN)",
        crate::github::stand_in::REPO
    );
    assert!(out.stdout().contains(&github), "{}", out.stdout());
    assert!(r.staging.files().is_empty() && r.production.files().is_empty());
    assert_eq!(r.remote_tags(), "");
    assert_eq!(git(r.ctx.path(), &["status", "--porcelain"]), "");
    assert!(r.github.releases().is_empty());

    // Production goes down once staging has the files (after the preflight
    // listed it): the release stops after staging.
    let kill = r.production.killer();
    let staging_files = r.staging.packages_dir();
    let watcher = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
        while std::time::Instant::now() < deadline {
            let count = std::fs::read_dir(&staging_files).map_or(0, |d| d.count());
            if count == 2 {
                kill();
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        false
    });
    let out = r.run(&["release", "patch", "--yes", "--wait", "30"]);
    assert!(
        watcher.join().unwrap(),
        "staging never got the files: {}",
        out.stderr()
    );
    assert_ne!(out.status.code(), Some(0), "{}", out.stdout());
    assert_eq!(r.staging.files().len(), 2);
    assert_eq!(r.remote_tags(), "");
    assert!(r.ctx.path().join(".git/cargo-pypi/release.toml").is_file());
    // Another level while it is in progress is refused, naming --abort.
    let out = r.run(&["release", "minor", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr().contains("--abort"), "{}", out.stderr());

    // The index is back: the same command goes on, bumping and uploading
    // nothing twice; a tag someone made meanwhile on another commit stops it
    // before the tag step.
    r.production.restart();
    git(r.ctx.path(), &["tag", "v0.2.1", "HEAD~1"]);
    let out = r.run(&["release", "patch", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    assert!(
        out.stderr().contains("tag `v0.2.1` points at"),
        "{}",
        out.stderr()
    );
    assert_eq!(r.remote_tags(), "");
    git(r.ctx.path(), &["tag", "-d", "v0.2.1"]);
    let out = r.run(&["release", "patch", "--yes"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    let text = out.stdout();
    assert!(text.contains("bump  already done"), "{text}");
    assert!(text.contains("staging  already done"), "{text}");
    assert!(text.contains("production  already done"), "{text}");
    assert!(text.contains("tag  done"), "{text}");
    assert_released(&r);
    assert_eq!(made_latest(&r), "true");

    // The same command again: the release is complete, nothing happens.
    let out = r.run(&["release", "patch", "--yes"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    assert!(!out.stdout().contains("  done"), "{}", out.stdout());
    assert_released(&r);
    // After a new commit, the completed state is dropped: a dry run plans 0.2.2.
    std::fs::write(r.ctx.path().join("src/next.rs"), "// next\n").unwrap();
    git(r.ctx.path(), &["add", "src/next.rs"]);
    git(r.ctx.path(), &["commit", "-qm", "next"]);
    let out = r.run(&["release", "patch", "--dry-run", "--no-push"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    assert!(out.stdout().contains("version 0.2.2"), "{}", out.stdout());
}

#[test]
fn preflight_lists_every_problem_and_changes_nothing() {
    let r = Release::new();
    git(r.ctx.path(), &["switch", "-q", "-c", "topic"]);
    std::fs::write(r.ctx.path().join("src/extra.rs"), "// not committed\n").unwrap();
    git(r.ctx.path(), &["add", "src/extra.rs"]);
    git(r.ctx.path(), &["tag", "v0.2.1"]);
    crate::support::index::sdist(&r.production.packages_dir(), "bintool", "0.2.1", "");
    // No build tool: a PATH with git and a Python that has no maturin.
    let bare = tempfile::tempdir().unwrap();
    let python = bare.path().join("python3");
    std::fs::write(
        &python,
        "#!/bin/sh\necho 'No module named maturin' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&python, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let git_dir = String::from_utf8(
        std::process::Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let git_dir = std::path::Path::new(git_dir.trim())
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths([bare.path().to_path_buf(), git_dir]).unwrap();
    let before = crate::support::tree(r.ctx.path());
    let out = r
        .ctx
        .command(&["release", "patch", "--yes"])
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", PASSWORD)
        .env("PATH", path)
        .env("CARGO_PYPI_PYTHON", &python)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    let err = out.stderr();
    for expected in [
        "uncommitted changes in src/extra.rs",
        "tag `v0.2.1` exists",
        "on branch `topic`",
        "has no upstream",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    assert_eq!(before, crate::support::tree(r.ctx.path()));
    assert!(r.staging.files().is_empty());
    assert_eq!(r.production.files(), ["bintool-0.2.1.tar.gz"]);
}

#[test]
fn doctor_says_ready_when_nothing_stops_a_release() {
    let r = Release::new();
    let out = r.run(&["doctor"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    let text = out.stdout();
    for line in [
        "ok  clean tree",
        "ok  upstream",
        "ok  versions",
        "ok  build tool",
        "advice  artifacts",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert!(
        text.contains("credentials from environment variables TWINE_USERNAME and TWINE_PASSWORD"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(out.stderr().contains("Ready"), "{}", out.stderr());
}

#[test]
fn doctor_names_each_blocker_with_its_fix() {
    let r = Release::new();
    let env = r.ctx.path().join(".env.local");
    std::fs::write(&env, "PYPI_API_TOKEN=pypi-secret-value\n").unwrap();
    std::fs::set_permissions(&env, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    git(r.ctx.path(), &["checkout", "-q", "--detach"]);
    let out = r
        .ctx
        .command(&["doctor", "--format", "json"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    let report: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    assert_eq!(report["ready"], false);
    let failed: Vec<String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["blocks"] == true)
        .map(|c| {
            format!(
                "{}: {}",
                c["name"].as_str().unwrap(),
                c["detail"].as_str().unwrap()
            )
        })
        .collect();
    let all = failed.join("\n");
    assert!(all.contains("branch: HEAD is detached"), "{all}");
    assert!(
        all.contains("credential file: ") && all.contains("chmod 600 .env.local"),
        "{all}"
    );
    assert!(all.contains("id-token: write"), "{all}");
    assert!(!out.all().contains("pypi-secret-value"));
}

#[test]
fn a_release_resumed_after_the_index_closed_the_version_moves_on() {
    // A stand-in for PyPI's JSON API says 0.2.1's first file came on 2026-11-01.
    use crate::publish::json_api::{stand_in, TWO_FILES};
    let r = Release::new();
    let pypi = stand_in(TWO_FILES);
    let pyproject = r.ctx.read("pyproject.toml");
    let staging_index = format!("{}/simple/", r.staging.base());
    let text = pyproject.replace(&staging_index, &format!("{pypi}/simple/"));
    std::fs::write(r.ctx.path().join("pyproject.toml"), text).unwrap();
    git(r.ctx.path(), &["commit", "-qam", "staging index"]);
    let state = "version = \"0.2.1\"\ntag = \"v0.2.1\"\nrequested = \"patch\"\ndone = [\"bump\", \"build\"]\nartifacts = []\ntag-message = \"release 0.2.1\"\n";
    std::fs::create_dir_all(r.ctx.path().join(".git/cargo-pypi")).unwrap();
    std::fs::write(r.ctx.path().join(".git/cargo-pypi/release.toml"), state).unwrap();
    let out = r.run(&["release", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    let err = out.stderr();
    assert!(
        err.contains("took the first file of bintool 0.2.1 on 2026-11-01, more than 14 days ago"),
        "{err}"
    );
    assert!(err.contains("--abort"), "{err}");
    assert!(r.staging.files().is_empty() && r.production.files().is_empty());
}

#[test]
fn a_platform_missing_from_the_expected_set_stops_the_release_before_any_upload() {
    let r = Release::new();
    r.ctx.edit(
        "pyproject.toml",
        "repository = \"production\"\n",
        "repository = \"production\"\nwheels = [\"manylinux_*_x86_64\", \"win_amd64\"]\n",
    );
    git(r.ctx.path(), &["commit", "-qam", "expect a windows wheel"]);
    let out = r.run(&["release", "patch", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    let err = out.stderr();
    assert!(err.contains("missing a wheel for `win_amd64`"), "{err}");
    assert!(!err.contains("manylinux_*_x86_64`"), "{err}");
    assert!(err.contains("nothing was uploaded"), "{err}");
    assert!(r.staging.files().is_empty() && r.production.files().is_empty());
    assert_eq!(r.remote_tags(), "");
}

#[test]
fn with_publish_false_the_release_stops_after_the_push_for_ci_to_publish() {
    let r = Release::new();
    // CI builds the platforms and checks the expected set when it publishes:
    // the local build only has to build.
    r.ctx.edit(
        "pyproject.toml",
        "repository = \"production\"\n",
        "repository = \"production\"\npublish = false\nwheels = [\"win_amd64\"]\n",
    );
    git(r.ctx.path(), &["commit", "-qam", "CI publishes"]);
    let out = r.run(&["release", "patch", "--dry-run"]);
    assert!(out.status.success(), "{}", out.stderr());
    let skipped =
        "github-release  skipped       not publishing (--no-publish or `publish = false`)";
    assert!(out.stdout().contains(skipped), "{}", out.stdout());

    let out = r.run(&["release", "patch", "--yes"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    let text = out.stdout();
    for step in ["staging", "production", "github-release"] {
        assert!(text.contains(&format!("{step}  skipped")), "{step}: {text}");
    }
    assert!(text.contains("push  done"), "{text}");
    // The files built are listed, each with its sha256, as not uploaded.
    let built = text.split_once("\nChecked, not uploaded:\n").unwrap().1;
    assert_eq!(built.matches("\n    sha256:").count(), 2, "{text}");
    assert_eq!(r.remote_tags(), "v0.2.1\n");
    assert!(r.staging.files().is_empty() && r.production.files().is_empty());
    assert!(r.github.releases().is_empty());
}

#[test]
fn a_fix_below_a_higher_tagged_version_is_not_made_githubs_latest_release() {
    let r = Release::new();
    git(r.ctx.path(), &["tag", "v1.0.0"]);
    git(r.ctx.path(), &["tag", "v2.0.0rc1"]);
    let out = r.run(&["release", "patch", "--dry-run"]);
    assert!(out.status.success(), "{}", out.stderr());
    let plan = out.stdout();
    assert!(
        plan.contains("not marked latest (a higher version is tagged)"),
        "{plan}"
    );
    let out = r.run(&["release", "patch", "--yes"]);
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    assert_eq!(made_latest(&r), "false");
}

#[test]
fn a_release_that_would_publish_what_the_init_workflow_publishes_asks_which_one() {
    let r = Release::new();
    // The project has its [tool.cargo-pypi] tables already: init leaves them.
    let out = r.run(&["init"]);
    assert!(out.status.success(), "{}", out.all());
    git(r.ctx.path(), &["add", "-A"]);
    git(r.ctx.path(), &["commit", "-qm", "init"]);
    git(r.ctx.path(), &["push", "-q"]);
    let out = r.run(&["release", "patch", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    let err = out.stderr();
    assert!(
        err.contains("publishing: .github/workflows/release.yml (written by `cargo pypi init`) publishes the tag's files from CI: set `publish = false`"),
        "{err}"
    );
    assert_eq!(r.remote_tags(), "");
    assert!(r.staging.files().is_empty() && r.production.files().is_empty());
    let out = r.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    assert!(
        out.stdout().contains("FAIL  publishing"),
        "{}",
        out.stdout()
    );
    // Either answer is accepted; here, publishing from this machine as well.
    r.ctx.edit(
        "pyproject.toml",
        "repository = \"production\"\n",
        "repository = \"production\"\npublish = true\n",
    );
    git(r.ctx.path(), &["commit", "-qam", "publish from here too"]);
    git(r.ctx.path(), &["push", "-q"]);
    let out = r.run(&["release", "patch", "--dry-run"]);
    assert!(out.status.success(), "{}", out.all());
}
