//! `github::plan`: where the repository, token and API come from, when the
//! release is skipped and why, and that planning sends nothing.

use super::stand_in::StandIn;
use super::{artifacts, env};
use cargo_pypi::github::{self, GithubError, Plan, Planned, Request, Skip};
use std::path::PathBuf;

/// `plan` for `v1.2.3` with no assets, the configured repository, the remote and `vars`.
fn planned(
    repository: Option<&str>,
    remote: Option<&str>,
    vars: &[(&str, &str)],
) -> Result<Planned, GithubError> {
    let vars = env(vars);
    github::plan(&Request {
        repository,
        remote_url: remote,
        tag: "v1.2.3",
        notes: "",
        prerelease: false,
        latest: true,
        assets: &[],
        env: &vars,
    })
}

fn release(planned: Result<Planned, GithubError>) -> Plan {
    match planned.unwrap() {
        Planned::Release(plan) => *plan,
        Planned::Skip(skip) => panic!("skipped: {}", skip.reason),
    }
}

fn skip(planned: Result<Planned, GithubError>) -> Skip {
    match planned.unwrap() {
        Planned::Skip(skip) => skip,
        Planned::Release(plan) => panic!("not skipped: {plan:?}"),
    }
}

const TOKEN: (&str, &str) = ("GITHUB_TOKEN", "ghp_plan_token");

#[test]
fn the_repository_comes_from_the_configuration_then_the_variable_then_the_remote() {
    let remote = Some("git@github.com:from/remote.git");
    let vars = [TOKEN, ("GITHUB_REPOSITORY", "from/variable")];
    let plan = release(planned(Some("from/config"), remote, &vars));
    assert_eq!(plan.repository.to_string(), "from/config");
    assert_eq!(
        plan.repository_source,
        "`github` in [tool.cargo-pypi.release]"
    );
    let plan = release(planned(None, remote, &vars));
    assert_eq!(plan.repository.to_string(), "from/variable");
    assert_eq!(plan.repository_source, "GITHUB_REPOSITORY");
    let plan = release(planned(None, remote, &[TOKEN, ("GITHUB_REPOSITORY", "")]));
    assert_eq!(plan.repository.to_string(), "from/remote");
    assert_eq!(
        plan.repository_source,
        "the remote git@github.com:from/remote.git"
    );
    assert_eq!(plan.api_url.as_str(), "https://api.github.com/");
    assert_eq!(
        (plan.tag.as_str(), plan.name.as_str()),
        ("v1.2.3", "v1.2.3")
    );
}

#[test]
fn a_token_in_a_remote_url_is_not_repeated() {
    let remote = "https://x-access-token:ghs_secret123@github.com/o/n.git";
    let plan = release(planned(None, Some(remote), &[TOKEN]));
    assert_eq!(
        plan.repository_source,
        "the remote https://***@github.com/o/n.git"
    );
    let remote = "https://x-access-token:ghs_secret123@gitlab.com/o/n.git";
    let reason = skip(planned(None, Some(remote), &[TOKEN])).reason;
    assert!(!reason.contains("ghs_secret123"), "{reason}");
}

#[test]
fn github_token_comes_before_gh_token_and_empty_counts_as_unset() {
    let repo = ("GITHUB_REPOSITORY", "o/n");
    let both = [repo, ("GITHUB_TOKEN", "first"), ("GH_TOKEN", "second")];
    let plan = release(planned(None, None, &both));
    assert_eq!(
        (plan.token.expose(), plan.token_source),
        ("first", "GITHUB_TOKEN")
    );
    let plan = release(planned(
        None,
        None,
        &[repo, ("GITHUB_TOKEN", ""), ("GH_TOKEN", "second")],
    ));
    assert_eq!(
        (plan.token.expose(), plan.token_source),
        ("second", "GH_TOKEN")
    );
    let debug = format!("{plan:?}");
    assert!(!debug.contains("second"), "{debug}");
}

#[test]
fn without_a_repository_or_a_token_the_release_is_skipped_with_what_to_set() {
    let reason = skip(planned(None, Some("git@gitlab.com:o/n.git"), &[TOKEN])).reason;
    assert_eq!(
        reason,
        "no GitHub repository: the remote git@gitlab.com:o/n.git is not on GitHub; set GITHUB_REPOSITORY or `github` in [tool.cargo-pypi.release] (`owner/name`)"
    );
    let reason = skip(planned(None, None, &[TOKEN])).reason;
    assert!(
        reason.starts_with("no GitHub repository: there is no remote; set GITHUB_REPOSITORY"),
        "{reason}"
    );
    let reason = skip(planned(Some("o/n"), None, &[("GH_TOKEN", " ")])).reason;
    assert_eq!(
        reason,
        "no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that may write the contents of o/n"
    );
}

#[test]
fn an_enterprise_remote_counts_when_its_api_and_server_are_named() {
    let remote = Some("https://ghe.example.com/team/tool.git");
    let ghe = [
        TOKEN,
        ("GITHUB_API_URL", "https://ghe.example.com/api/v3"),
        ("GITHUB_SERVER_URL", "https://ghe.example.com"),
    ];
    let plan = release(planned(None, remote, &ghe));
    assert_eq!(plan.repository.to_string(), "team/tool");
    assert_eq!(plan.api_url.as_str(), "https://ghe.example.com/api/v3");
    // The server alone does not say where its API is.
    skip(planned(None, remote, &[TOKEN, ghe[2]]));
    skip(planned(None, remote, &[TOKEN, ghe[1]]));
}

#[test]
fn malformed_values_are_errors_that_name_them() {
    let err = planned(Some("just-a-name"), None, &[TOKEN]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid GitHub repository `just-a-name` in `github` in [tool.cargo-pypi.release]: expected `owner/name`, as in `PyO3/maturin`"
    );
    let err = planned(None, None, &[TOKEN, ("GITHUB_REPOSITORY", "a/b/c")]).unwrap_err();
    assert!(
        err.to_string().contains("`a/b/c` in GITHUB_REPOSITORY"),
        "{err}"
    );
    let vars = [
        TOKEN,
        ("GITHUB_REPOSITORY", "o/n"),
        ("GITHUB_API_URL", "ftp://x"),
    ];
    let err = planned(None, None, &vars).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid GITHUB_API_URL `ftp://x`: not an http(s) URL"),
        "{err}"
    );
    let vars = [("GITHUB_REPOSITORY", "o/n"), ("GITHUB_TOKEN", "ghp_a b")];
    let err = planned(None, None, &vars).unwrap_err();
    assert!(!err.to_string().contains("ghp_a"), "{err}");
}

#[test]
fn assets_are_read_and_two_of_one_name_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let files = artifacts(dir.path());
    let plan = super::plan_for("http://127.0.0.1:9", &files);
    let names: Vec<(&str, u64)> = plan
        .assets
        .iter()
        .map(|a| (a.name.as_str(), a.size))
        .collect();
    assert_eq!(
        names,
        [
            ("demo-1.2.3-cp39-abi3-manylinux_2_17_x86_64.whl", 3200),
            ("demo-1.2.3.tar.gz", 14)
        ]
    );
    std::fs::create_dir(dir.path().join("other")).unwrap();
    let twin = dir.path().join("other/demo-1.2.3.tar.gz");
    std::fs::write(&twin, "x").unwrap();
    let vars = env(&[TOKEN, ("GITHUB_REPOSITORY", "o/n")]);
    let assets = [files[1].clone(), twin];
    let request = Request {
        repository: None,
        remote_url: None,
        tag: "v1",
        notes: "",
        prerelease: false,
        latest: true,
        assets: &assets,
        env: &vars,
    };
    let err = github::plan(&request).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("two release assets are named demo-1.2.3.tar.gz"),
        "{err}"
    );
    let missing = [PathBuf::from("/nonexistent/x.whl")];
    let request = Request {
        assets: &missing,
        ..request
    };
    let err = github::plan(&request).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cannot read /nonexistent/x.whl: "),
        "{err}"
    );
}

#[test]
fn planning_sends_nothing() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let plan = super::plan_for(&server.base, &artifacts(dir.path()));
    assert!(server.seen().is_empty());
    assert_eq!(plan.assets.len(), 2);
}
