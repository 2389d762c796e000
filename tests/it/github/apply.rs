//! `github::apply` against the stand-in: the order draft -> assets ->
//! publish, what each request carries, idempotence, a failed run completed,
//! and GitHub's refusals in words without the token.

use super::stand_in::{StandIn, REPO, TOKEN};
use super::{artifacts, plan_for, Lines, NOTES};
use cargo_pypi::github::{self, GithubError, Status};

#[test]
fn a_release_is_a_draft_then_its_assets_then_published() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let files = artifacts(dir.path());
    let lines = Lines::default();
    let outcome = github::apply(&plan_for(&server.base, &files), &lines).unwrap();

    let r = format!("/repos/{REPO}");
    let up = format!("/uploads/repos/{REPO}/releases/101/assets");
    assert_eq!(
        server.lines(),
        [
            format!("GET {r}/releases/tags/v1.2.3"),
            format!("GET {r}/git/ref/tags/v1.2.3"),
            format!("GET {r}/releases"),
            format!("POST {r}/releases"),
            format!("POST {up}"),
            format!("POST {up}"),
            format!("PATCH {r}/releases/101"),
        ]
    );
    let seen = server.seen();
    for request in &seen {
        assert_eq!(
            request.header("authorization"),
            Some(&*format!("Bearer {TOKEN}"))
        );
        assert_eq!(request.header("x-github-api-version"), Some("2022-11-28"));
        assert_eq!(
            request.header("accept"),
            Some("application/vnd.github+json")
        );
        assert!(request
            .header("user-agent")
            .unwrap()
            .starts_with("cargo-pypi/"));
    }
    let create = seen[3].json();
    assert_eq!(create["tag_name"], "v1.2.3");
    assert_eq!(create["name"], "v1.2.3");
    assert_eq!(create["body"], NOTES);
    assert_eq!(create["draft"], true);
    assert_eq!(create["prerelease"], false);
    for (upload, file) in seen[4..6].iter().zip(&files) {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            upload.target.split_once('?').unwrap().1,
            format!("name={name}")
        );
        assert_eq!(
            upload.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(upload.body, std::fs::read(file).unwrap());
    }
    assert_eq!(seen[6].json()["draft"], false);

    let releases = server.releases();
    assert_eq!(releases.len(), 1);
    assert!(!releases[0].draft);
    assert_eq!(releases[0].body, NOTES);
    assert_eq!(outcome.status, Status::Published);
    assert_eq!(
        outcome.url,
        format!("https://github.com/{REPO}/releases/tag/v1.2.3")
    );
    assert_eq!(outcome.uploaded.len(), 2);
    assert_eq!(
        lines.all(),
        [
            format!("Created draft release v1.2.3 ({REPO})"),
            "Uploaded demo-1.2.3-cp39-abi3-manylinux_2_17_x86_64.whl (3.1 KiB)".into(),
            "Uploaded demo-1.2.3.tar.gz (14 B)".into(),
            format!("Published GitHub release v1.2.3 ({})", outcome.url),
        ]
    );
}

#[test]
fn a_second_run_sends_nothing_and_says_already_released() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&server.base, &artifacts(dir.path()));
    github::apply(&plan, &Lines::default()).unwrap();
    let before = server.seen().len();

    let lines = Lines::default();
    let outcome = github::apply(&plan, &lines).unwrap();
    let again: Vec<String> = server.lines().split_off(before);
    assert_eq!(again, [format!("GET /repos/{REPO}/releases/tags/v1.2.3")]);
    assert_eq!(outcome.status, Status::AlreadyReleased);
    assert!(outcome.uploaded.is_empty());
    assert_eq!(outcome.already_attached.len(), 2);
    assert!(
        lines.text().contains("already released"),
        "{}",
        lines.text()
    );
    assert_eq!(server.releases().len(), 1);
}

#[test]
fn a_draft_left_by_a_failed_run_is_reused_and_completed() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&server.base, &artifacts(dir.path()));
    // The wheel goes up, the sdist's upload fails.
    server.fail_after(1, "POST", "/assets", 502, r#"{"message":"Bad Gateway"}"#);
    let err = github::apply(&plan, &Lines::default()).unwrap_err();
    assert!(matches!(err, GithubError::Unavailable(_)), "{err:?}");
    assert!(err.to_string().contains("run again"), "{err}");
    let releases = server.releases();
    assert!(releases[0].draft);
    assert_eq!(releases[0].assets.len(), 1);
    let before = server.seen().len();

    let lines = Lines::default();
    let outcome = github::apply(&plan, &lines).unwrap();
    let again: Vec<String> = server.lines().split_off(before);
    assert!(
        !again.contains(&format!("POST /repos/{REPO}/releases")),
        "{again:#?}"
    );
    let uploads = again.iter().filter(|l| l.ends_with("/assets")).count();
    assert_eq!(uploads, 1, "{again:#?}");
    assert_eq!(
        again.last().unwrap(),
        &format!("PATCH /repos/{REPO}/releases/101")
    );
    assert_eq!(outcome.status, Status::PublishedDraft);
    assert_eq!(outcome.uploaded, ["demo-1.2.3.tar.gz"]);
    assert!(
        lines.text().contains("Reusing draft release v1.2.3"),
        "{}",
        lines.text()
    );
    let releases = server.releases();
    assert_eq!(releases.len(), 1);
    assert!(!releases[0].draft);
    assert_eq!(releases[0].assets.len(), 2);
}

#[test]
fn an_attached_asset_of_another_size_stops_before_publishing() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let files = artifacts(dir.path());
    server.state.lock().unwrap().add_release(
        "v1.2.3",
        true,
        &[("demo-1.2.3.tar.gz", b"other bytes", "uploaded")],
    );
    let err = github::apply(&plan_for(&server.base, &files), &Lines::default()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("demo-1.2.3.tar.gz"), "{message}");
    assert!(
        message.contains(&files[1].display().to_string()),
        "{message}"
    );
    assert!(message.contains("11 bytes there, 14 here"), "{message}");
    let lines = server.lines();
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("PATCH") || l.ends_with("/assets")),
        "{lines:#?}"
    );
    assert!(server.releases()[0].draft);
}

#[test]
fn an_attached_asset_of_the_same_size_but_other_content_is_refused() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let files = artifacts(dir.path());
    let same_size = vec![b'x'; std::fs::metadata(&files[1]).unwrap().len() as usize];
    (server.state.lock().unwrap()).add_release(
        "v1.2.3",
        true,
        &[("demo-1.2.3.tar.gz", &same_size, "uploaded")],
    );
    let err = github::apply(&plan_for(&server.base, &files), &Lines::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("an asset named demo-1.2.3.tar.gz that is not"),
        "{err}"
    );
}

#[test]
fn an_upload_that_broke_off_is_removed_and_sent_again() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let files = artifacts(dir.path());
    let id = (server.state.lock().unwrap()).add_release(
        "v1.2.3",
        true,
        &[("demo-1.2.3.tar.gz", b"half", "starter")],
    );
    let outcome = github::apply(&plan_for(&server.base, &files), &Lines::default()).unwrap();
    assert_eq!(outcome.uploaded.len(), 2);
    let lines = server.lines();
    let asset_id = id + 1;
    assert!(
        lines.contains(&format!("DELETE /repos/{REPO}/releases/assets/{asset_id}")),
        "{lines:#?}"
    );
    let release = &server.releases()[0];
    assert!(!release.draft);
    assert_eq!(release.assets.len(), 2);
    assert_eq!(release.assets[1].bytes, std::fs::read(&files[1]).unwrap());
}

#[test]
fn a_draft_on_a_later_page_is_found() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let files = artifacts(dir.path());
    {
        let mut state = server.state.lock().unwrap();
        // Drafts come first: 120 other drafts put this one on page 2.
        let id = state.add_release("v1.2.3", true, &[]);
        for n in 0..120 {
            state.add_release(&format!("v0.{n}.0"), true, &[]);
        }
        assert_eq!(id, 101);
    }
    let outcome = github::apply(&plan_for(&server.base, &files), &Lines::default()).unwrap();
    assert_eq!(outcome.status, Status::PublishedDraft);
    let pages: Vec<String> = (server.seen().iter())
        .filter(|s| s.path().ends_with("/releases") && s.method == "GET")
        .map(|s| s.target.split_once('?').unwrap().1.to_owned())
        .collect();
    assert_eq!(pages, ["per_page=100&page=1", "per_page=100&page=2"]);
    assert!(!server
        .lines()
        .contains(&format!("POST /repos/{REPO}/releases")));
    // The reused draft's notes become this run's.
    let published = server.releases().into_iter().find(|r| r.id == 101).unwrap();
    assert!(!published.draft);
    assert_eq!(published.body, NOTES);
}

#[test]
fn a_published_release_missing_an_asset_gets_it_and_stays_published() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let files = artifacts(dir.path());
    let sdist = std::fs::read(&files[1]).unwrap();
    (server.state.lock().unwrap()).add_release(
        "v1.2.3",
        false,
        &[("demo-1.2.3.tar.gz", &sdist, "uploaded")],
    );
    let outcome = github::apply(&plan_for(&server.base, &files), &Lines::default()).unwrap();
    assert_eq!(outcome.status, Status::AlreadyReleased);
    assert_eq!(
        outcome.uploaded,
        ["demo-1.2.3-cp39-abi3-manylinux_2_17_x86_64.whl"]
    );
    assert_eq!(outcome.already_attached, ["demo-1.2.3.tar.gz"]);
    assert!(!server.lines().iter().any(|l| l.starts_with("PATCH")));
}

#[test]
fn a_tag_missing_on_github_is_refused_before_anything_is_created() {
    let server = StandIn::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&server.base, &artifacts(dir.path()));
    let err = github::apply(&plan, &Lines::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("the tag v1.2.3 is not on GitHub ({REPO}): push it first (`git push origin v1.2.3`), then run again")
    );
    assert!(!server.lines().iter().any(|l| l.starts_with("POST")));
    assert!(server.releases().is_empty());
}

/// `apply`'s error when the stand-in answers every `method` request to a
/// path ending with `path_end` with `status` and a body that echoes the token.
fn refused(status: u16, method: &'static str, path_end: &str) -> String {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&server.base, &artifacts(dir.path()));
    let body = format!(r#"{{"message":"refused, you sent {{auth}}","status":"{status}"}}"#);
    server.fail(method, path_end, status, &body);
    let err = github::apply(&plan, &Lines::default()).unwrap_err();
    let message = err.to_string();
    assert!(!message.contains(TOKEN), "{message}");
    assert!(!format!("{err:?}").contains(TOKEN), "{err:?}");
    assert!(
        message.contains("Bearer ***"),
        "GitHub's words are kept: {message}"
    );
    message
}

#[test]
fn refusals_say_what_to_do_without_the_token() {
    let m = refused(401, "GET", "/releases/tags/v1.2.3");
    assert!(
        m.starts_with(
            "cannot look up the release v1.2.3 of octo/demo: GitHub answered 401 Unauthorized ("
        ),
        "{m}"
    );
    assert!(m.ends_with("the token in GITHUB_TOKEN is invalid or expired: set a token that may write the contents of octo/demo"), "{m}");

    let m = refused(403, "POST", "/releases");
    assert!(
        m.starts_with(
            "cannot create the release v1.2.3 on octo/demo: GitHub answered 403 Forbidden"
        ),
        "{m}"
    );
    assert!(m.contains("lacks `contents: write` on octo/demo"), "{m}");

    let m = refused(404, "GET", "/releases");
    assert!(
        m.contains(
            "the repository octo/demo does not exist, or the token in GITHUB_TOKEN cannot see it"
        ),
        "{m}"
    );

    let m = refused(422, "POST", "/releases");
    assert!(
        m.contains("GitHub answered 422 Unprocessable Entity"),
        "{m}"
    );
    assert!(m.contains("(`git push origin v1.2.3`)"), "{m}");
}

#[test]
fn a_repository_github_does_not_show_is_named() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let mut plan = plan_for(&server.base, &artifacts(dir.path()));
    plan.repository = cargo_pypi::github::Repository::parse("octo/gone").unwrap();
    let err = github::apply(&plan, &Lines::default()).unwrap_err();
    assert!(
        matches!(
            err,
            GithubError::Refused {
                status: Some(404),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(
            "the repository octo/gone does not exist, or the token in GITHUB_TOKEN cannot see it"
        ),
        "{err}"
    );
}

#[test]
fn server_errors_and_rate_limits_are_worth_another_run() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&server.base, &artifacts(dir.path()));
    server.fail("PATCH", "/releases/101", 503, "<html>upstream down</html>");
    let err = github::apply(&plan, &Lines::default()).unwrap_err();
    assert!(matches!(err, GithubError::Unavailable(_)), "{err:?}");
    assert!(err.to_string().contains("GitHub answered 503 Service Unavailable (<html>upstream down</html>); run again to continue"), "{err}");
}

#[test]
fn no_answer_names_the_api_and_what_to_check() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let err =
        github::apply(&plan_for(&base, &artifacts(dir.path())), &Lines::default()).unwrap_err();
    assert!(matches!(err, GithubError::Unavailable(_)), "{err:?}");
    let m = err.to_string();
    assert!(
        m.contains(&format!(
            "no answer from {base}/repos/octo/demo/releases/tags/v1.2.3 (no connection)"
        )),
        "{m}"
    );
    assert!(m.contains("GITHUB_API_URL"), "{m}");
}

#[test]
fn a_secondary_rate_limit_is_worth_another_run() {
    let server = StandIn::start(&["v1.2.3"]);
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&server.base, &artifacts(dir.path()));
    server.fail(
        "POST",
        "/releases",
        403,
        r#"{"message":"You have exceeded a secondary rate limit"}"#,
    );
    server.state.lock().unwrap().faults[0].headers = "Retry-After: 60\r\n".into();
    let err = github::apply(&plan, &Lines::default()).unwrap_err();
    assert!(matches!(err, GithubError::Unavailable(_)), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("secondary rate limit); rate limit: wait, then run again"),
        "{err}"
    );
}

#[test]
fn an_unexpected_answer_still_ends_with_what_to_do() {
    let m = refused(422, "GET", "/releases/tags/v1.2.3");
    assert!(
        m.ends_with("; fix what GitHub names, then run again"),
        "{m}"
    );
    let m = refused(418, "PATCH", "/releases/101");
    assert!(
        m.starts_with(
            "cannot publish the release v1.2.3 on octo/demo: GitHub answered 418 I'm a teapot ("
        ),
        "{m}"
    );
}
