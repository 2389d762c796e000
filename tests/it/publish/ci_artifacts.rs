//! `publish` with the files CI jobs leave: a folder per job under
//! `--dist-dir`, outside a project checkout, the command of the workflow
//! `init` writes, and `--complete`, which holds them to the expected set.

use super::{ci_artifacts, run};
use crate::support::index::{self, Pypiserver, PASSWORD};
use crate::support::{OutputExt, TestContext};

/// `publish --dist-dir DIR --repository-url URL`.
fn from_dir<'a>(dir: &'a str, url: &'a str) -> [&'a str; 5] {
    ["publish", "--dist-dir", dir, "--repository-url", url]
}

#[test]
fn publish_outside_a_project_takes_the_release_from_ci_artifacts_in_subfolders() {
    let server = Pypiserver::start();
    let ctx = TestContext::empty();
    let dist = ctx.path().join("release-dist");
    ci_artifacts(&dist, "citool", "1.4.0");
    let url = format!("{}/", server.base());
    let args = from_dir("release-dist", &url);
    let out = run(&ctx, &args, PASSWORD);
    assert!(out.status.success(), "{}", out.all());
    let files = server.files();
    assert_eq!(files.len(), 4, "{files:?}\n{}", out.all());
    assert!(
        files.contains(&"citool-1.4.0.tar.gz".to_string()),
        "{files:?}"
    );
    assert!(
        out.stdout().contains("release: ") && out.stdout().contains("/citool/"),
        "{}",
        out.stdout()
    );

    // Another release among them: refused, naming both, before anything is sent.
    let other = Pypiserver::start();
    index::sdist(&dist.join("sdist"), "citool", "1.3.0", "old");
    let url = format!("{}/", other.base());
    let args = from_dir("release-dist", &url);
    let out = run(&ctx, &args, PASSWORD);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    assert!(
        out.stderr().contains("1.3.0") && out.stderr().contains("1.4.0"),
        "{}",
        out.stderr()
    );
    assert!(other.files().is_empty());
}

#[test]
fn publish_given_a_folder_uploads_the_release_files_in_it() {
    let server = Pypiserver::start();
    let ctx = TestContext::empty();
    ci_artifacts(&ctx.path().join("release-dist"), "citool", "1.4.0");
    let url = format!("{}/", server.base());
    let args = ["publish", "release-dist", "--repository-url", &url];
    let out = run(&ctx, &args, PASSWORD);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(server.files().len(), 4, "{}", out.all());
}

#[test]
fn the_same_file_in_two_job_folders_goes_once_and_different_bytes_are_refused() {
    let server = Pypiserver::start();
    let ctx = TestContext::empty();
    let dist = ctx.path().join("dist-in");
    ci_artifacts(&dist, "citool", "1.4.0");
    std::fs::create_dir_all(dist.join("again")).unwrap();
    std::fs::copy(
        dist.join("sdist/citool-1.4.0.tar.gz"),
        dist.join("again/citool-1.4.0.tar.gz"),
    )
    .unwrap();
    let url = format!("{}/", server.base());
    let args = from_dir("dist-in", &url);
    let out = run(&ctx, &args, PASSWORD);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(server.files().len(), 4);

    index::sdist(&dist.join("again"), "citool", "1.4.0", "other bytes");
    let out = run(&ctx, &args, PASSWORD);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    let err = out.stderr();
    assert!(
        err.contains("again/citool-1.4.0.tar.gz") && err.contains("sdist/citool-1.4.0.tar.gz"),
        "{err}"
    );
}

#[test]
fn without_a_project_or_dist_dir_publish_says_what_to_pass() {
    let ctx = TestContext::empty();
    let out = run(
        &ctx,
        &["publish", "--repository-url", "http://127.0.0.1:9/"],
        PASSWORD,
    );
    assert_eq!(out.status.code(), Some(2), "{}", out.all());
    assert!(out.stderr().contains("--dist-dir"), "{}", out.stderr());
}

/// The release workflow `init` writes: its publish job's command, run against
/// the layout its download step makes (with the index swapped for a local
/// one), and against the layout without `merge-multiple` (a folder per job).
#[test]
fn the_generated_workflows_publish_command_works_with_the_layout_it_downloads() {
    use yaml_rust2::YamlLoader;
    let ctx = TestContext::fixture("bin-bindings").git_root();
    let out = ctx.run(&["init"]);
    assert!(out.status.success(), "{}", out.all());
    let text = ctx.read(".github/workflows/release.yml");
    let doc = YamlLoader::load_from_str(&text).unwrap().remove(0);
    let steps = doc["jobs"]["publish"]["steps"].as_vec().unwrap();
    let download = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/download-artifact"))
        })
        .expect("the publish job downloads the artifacts");
    let path = download["with"]["path"].as_str().unwrap();
    let merged = download["with"]["merge-multiple"]
        .as_bool()
        .unwrap_or(false);
    let command = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.contains(" publish "))
        .expect("a publish step");
    // `cargo pypi publish …` or `cargo-pypi publish …`: the arguments after `publish`.
    let (program, rest) = command.split_once(" publish ").unwrap();
    assert!(["cargo pypi", "cargo-pypi"].contains(&program), "{command}");
    for merge in [merged, false] {
        let server = Pypiserver::start();
        let dist = ctx.path().join(path);
        let _ = std::fs::remove_dir_all(&dist);
        ci_artifacts(&dist, "bintool", "0.2.0");
        if merge {
            for entry in std::fs::read_dir(&dist).unwrap() {
                let folder = entry.unwrap().path();
                for file in std::fs::read_dir(&folder).unwrap() {
                    let file = file.unwrap().path();
                    std::fs::rename(&file, dist.join(file.file_name().unwrap())).unwrap();
                }
                std::fs::remove_dir(folder).unwrap();
            }
        }
        let url = format!("{}/", server.base());
        let mut args: Vec<&str> = std::iter::once("publish")
            .chain(rest.split_whitespace())
            .collect();
        args.extend(["--repository-url", &url]);
        let out = run(&ctx, &args, PASSWORD);
        assert!(
            out.status.success(),
            "merged: {merge}; {command}\n{}",
            out.all()
        );
        assert_eq!(server.files().len(), 4, "{}", out.all());
    }
}

/// `--complete` (the release workflow's publish job): a platform the
/// project's `wheels` patterns want and no job delivered stops the upload
/// before anything is sent; the files as they are go without it.
#[test]
fn complete_refuses_a_release_missing_a_platform_before_sending_anything() {
    let server = Pypiserver::start();
    let ctx = TestContext::fixture("bin-bindings").git_root();
    let pyproject = ctx.read("pyproject.toml")
        + "\n[tool.cargo-pypi.release]\nwheels = [\"manylinux_*_x86_64\", \"win_amd64\"]\n";
    std::fs::write(ctx.path().join("pyproject.toml"), pyproject).unwrap();
    ci_artifacts(&ctx.path().join("release-dist"), "bintool", "0.2.0");
    let url = format!("{}/", server.base());
    let args = [&from_dir("release-dist", &url)[..], &["--yes"]].concat();
    let out = run(&ctx, &[&args[..], &["--complete"]].concat(), PASSWORD);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    let err = out.stderr();
    assert!(
        err.contains("the release is missing a wheel for `win_amd64`; nothing was uploaded"),
        "{err}"
    );
    assert!(server.files().is_empty(), "{:?}", server.files());
    let out = run(&ctx, &args, PASSWORD);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(server.files().len(), 4, "{:?}", server.files());
}
