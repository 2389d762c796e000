//! The release workflow init writes, parsed as YAML (yaml-rust2) and checked
//! for its structure: the tag filter, the jobs and what each needs, the
//! permissions (only the publish job may mint an OIDC token, only the release
//! job may write), every action pinned to a full version, artifacts uploaded
//! by each build job and downloaded by the publish job. The whole text is
//! kept as a golden file per backend (`UPDATE_GOLDEN=1` rewrites them).

use super::initialized;
use crate::support::{assert_golden, root};
use yaml_rust2::{Yaml, YamlLoader};

const BUILD_JOBS: [&str; 5] = ["linux", "musllinux", "macos", "windows", "sdist"];

fn parsed(text: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(text).expect("the workflow is valid YAML");
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn keys(map: &Yaml) -> Vec<&str> {
    let map = map.as_hash().expect("a mapping");
    map.keys().map(|k| k.as_str().unwrap()).collect()
}

fn strings(list: &Yaml) -> Vec<&str> {
    let list = list.as_vec().expect("a list");
    list.iter().map(|v| v.as_str().unwrap()).collect()
}

/// Every `uses:` of a job.
fn uses(job: &Yaml) -> Vec<&str> {
    let steps = job["steps"].as_vec().expect("steps");
    steps.iter().filter_map(|s| s["uses"].as_str()).collect()
}

/// The structure every generated workflow has, whatever builds the wheels.
fn assert_structure(text: &str) {
    let doc = parsed(text);
    assert_eq!(strings(&doc["on"]["push"]["tags"]), ["v*"]);
    assert!(doc["on"]["push"]["branches"].is_badvalue(), "tags only");
    assert_eq!(keys(&doc["permissions"]), ["contents"]);
    assert_eq!(doc["permissions"]["contents"].as_str(), Some("read"));
    let jobs = &doc["jobs"];
    let expected: Vec<&str> = BUILD_JOBS
        .iter()
        .copied()
        .chain(["publish", "github-release"])
        .collect();
    assert_eq!(keys(jobs), expected);

    for name in BUILD_JOBS {
        let job = &jobs[name];
        assert!(
            job["permissions"].is_badvalue(),
            "{name}: the workflow's read-only default"
        );
        assert!(job["needs"].is_badvalue(), "{name} runs at once");
        let upload = job["steps"].as_vec().unwrap().iter().find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        });
        let upload = upload.unwrap_or_else(|| panic!("{name} uploads its files"));
        assert!(
            upload["with"]["name"]
                .as_str()
                .unwrap()
                .starts_with("dist-"),
            "{name}"
        );
    }

    let publish = &jobs["publish"];
    assert_eq!(strings(&publish["needs"]), BUILD_JOBS);
    assert_eq!(publish["environment"].as_str(), Some("pypi"));
    assert_eq!(keys(&publish["permissions"]), ["contents", "id-token"]);
    assert_eq!(publish["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(publish["permissions"]["contents"].as_str(), Some("read"));
    let steps = publish["steps"].as_vec().unwrap();
    let download = steps.iter().find(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/download-artifact@"))
    });
    let download = &download.expect("publish downloads the artifacts")["with"];
    assert_eq!(download["pattern"].as_str(), Some("dist-*"));
    assert_eq!(download["merge-multiple"].as_bool(), Some(true));
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        runs,
        [
            format!("pip install cargo-pypi=={version}"),
            "cargo-pypi publish --manifest-path pyproject.toml --dist-dir release-dist --complete --yes"
                .to_string()
        ]
    );
    assert!(publish["env"].is_badvalue(), "no token: trusted publishing");

    let release = &jobs["github-release"];
    assert_eq!(strings(&release["needs"]), ["publish"]);
    assert_eq!(keys(&release["permissions"]), ["contents"]);
    assert_eq!(release["permissions"]["contents"].as_str(), Some("write"));

    // Only the publish job may mint a token, only the release job may write.
    let write_jobs: Vec<&str> = keys(jobs)
        .into_iter()
        .filter(|j| text_of(&jobs[*j]["permissions"]).contains("write"))
        .collect();
    assert_eq!(write_jobs, ["publish", "github-release"]);

    let pinned = regex::Regex::new(r"^[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+$").unwrap();
    for job in keys(jobs) {
        for action in uses(&jobs[job]) {
            assert!(
                pinned.is_match(action),
                "{job}: `{action}` is not pinned to a full version"
            );
        }
    }
}

fn text_of(permissions: &Yaml) -> String {
    permissions
        .as_hash()
        .map(|m| {
            m.values()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// The workflow with this version's number replaced, so that the golden files
/// survive a release of cargo-pypi.
fn golden_text(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "{VERSION}")
}

#[test]
fn maturin_wheels_for_every_platform_then_one_publish_job() {
    let ctx = initialized("static-version");
    let text = ctx.read(".github/workflows/release.yml");
    assert_structure(&text);
    let doc = parsed(&text);
    let jobs = &doc["jobs"];
    let linux = &jobs["linux"];
    assert_eq!(
        strings(&linux["strategy"]["matrix"]["target"]),
        ["x86_64", "aarch64"]
    );
    let maturin = |job: &Yaml| {
        let steps = job["steps"].as_vec().unwrap();
        let step = steps.iter().find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("PyO3/maturin-action@"))
        });
        step.expect("built by maturin-action")["with"].clone()
    };
    assert_eq!(maturin(linux)["manylinux"].as_str(), Some("auto"));
    assert_eq!(
        maturin(&jobs["musllinux"])["manylinux"].as_str(),
        Some("musllinux_1_2")
    );
    assert_eq!(
        maturin(&jobs["macos"])["target"].as_str(),
        Some("universal2-apple-darwin")
    );
    assert_eq!(maturin(&jobs["windows"])["target"].as_str(), Some("x64"));
    assert_eq!(maturin(&jobs["sdist"])["command"].as_str(), Some("sdist"));
    assert_golden(
        &root().join("tests/golden/init/release-maturin.yml"),
        golden_text(&text).as_bytes(),
    );
}

#[test]
fn setuptools_rust_wheels_are_built_by_cibuildwheel() {
    let ctx = initialized("setuptools-rust");
    let text = ctx.read(".github/workflows/release.yml");
    assert_structure(&text);
    let doc = parsed(&text);
    for job in ["linux", "musllinux", "macos", "windows"] {
        let actions = uses(&doc["jobs"][job]);
        assert!(
            actions.iter().any(|a| a.starts_with("pypa/cibuildwheel@")),
            "{job}: {actions:?}"
        );
    }
    assert_golden(
        &root().join("tests/golden/init/release-setuptools-rust.yml"),
        golden_text(&text).as_bytes(),
    );
}

#[test]
fn a_bin_wheel_is_built_once_per_platform() {
    let ctx = initialized("bin-bindings");
    let text = ctx.read(".github/workflows/release.yml");
    assert_structure(&text);
    assert!(!text.contains("--find-interpreter"), "{text}");
}

#[test]
fn a_package_in_a_subfolder_is_built_and_published_from_there() {
    let ctx = initialized("python-subfolder");
    let text = ctx.read(".github/workflows/release.yml");
    let doc = parsed(&text);
    let steps = doc["jobs"]["linux"]["steps"].as_vec().unwrap();
    let with = |prefix: &str| {
        let step = steps
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)));
        step.unwrap()["with"].clone()
    };
    assert_eq!(
        with("PyO3/maturin-action@")["working-directory"].as_str(),
        Some("python")
    );
    assert_eq!(
        with("actions/upload-artifact@")["path"].as_str(),
        Some("python/dist")
    );
    let publish = doc["jobs"]["publish"]["steps"].as_vec().unwrap();
    let runs: Vec<&str> = publish.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.contains(&"cargo-pypi publish --manifest-path python/pyproject.toml --dist-dir release-dist --complete --yes"), "{runs:?}");
}
