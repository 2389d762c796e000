//! No hang: an index that accepts connections and never answers, or takes
//! the upload and then hangs on the listing, ends the run within `--timeout`
//! and the retry budget, saying each retry; a slow upload that keeps moving
//! is never cut off.

use super::*;
use crate::support::{OutputExt, TestContext};
use std::process::{Child, Stdio};

/// The old behaviour waited 300 s five times (25 minutes) for a silent index;
/// with `--timeout 2` the run must end well within this.
const BOUND: Duration = Duration::from_secs(90);

/// `cargo pypi publish` of a small demo release to `url` (as a separate
/// process, stdin and stderr not terminals), killed when it outlives `BOUND`.
fn publish_to(url: &str, extra: &[&str]) -> (Duration, Option<i32>, String) {
    let ctx = TestContext::fixture("bin-bindings");
    let dir = ctx.path().join("artifacts");
    std::fs::create_dir(&dir).unwrap();
    let artifacts = release(&dir, "1.0.0", &TAGS[..1], "a");
    let mut args = vec!["publish", "--repository-url", url, "--timeout", "2"];
    args.extend_from_slice(extra);
    let files: Vec<String> = artifacts
        .iter()
        .map(|a| a.path.display().to_string())
        .collect();
    args.extend(files.iter().map(String::as_str));
    let started = Instant::now();
    let child = ctx
        .command(&args)
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (code, stderr) = wait_at_most(child, BOUND);
    (started.elapsed(), code, stderr)
}

/// The exit code and stderr; `None` when `BOUND` passed and it was killed.
fn wait_at_most(mut child: Child, bound: Duration) -> (Option<i32>, String) {
    let deadline = Instant::now() + bound;
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let killed = child.try_wait().unwrap().is_none();
    if killed {
        child.kill().unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (if killed { None } else { out.status.code() }, out.stderr())
}

#[test]
fn a_silent_index_ends_the_run_within_the_timeout_and_retry_budget_saying_each_retry() {
    // A stand-in: accepts every connection and never answers.
    let silent = StandIn::silent();
    let (took, code, stderr) = publish_to(&format!("{}/", silent.base()), &[]);
    assert!(code.is_some(), "still running after {BOUND:?}:\n{stderr}");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(took < BOUND, "{took:?}");
    // Every retry is said, without a terminal too.
    let retries = stderr.lines().filter(|l| l.contains("Retrying")).count();
    assert!(retries >= 4, "{retries} retries said:\n{stderr}");
    assert!(stderr.contains("--timeout"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
}

#[test]
fn an_index_that_takes_the_upload_and_hangs_on_the_listing_ends_the_run() {
    // A stand-in: a simple index with no files, an upload taken, then every
    // listing held without an answer.
    let listed = std::sync::atomic::AtomicBool::new(false);
    let index = StandIn::scripted(move |request, _| {
        let page = "<html><body></body></html>".to_string();
        match (request.method.as_str(), request.target.as_str()) {
            ("POST", _) => Some((200, "OK".into())),
            ("GET", "/simple/") => Some((200, page)),
            ("GET", _) if !listed.swap(true, std::sync::atomic::Ordering::SeqCst) => {
                Some((404, "Not Found".into()))
            }
            _ => None,
        }
    });
    let (took, code, stderr) = publish_to(&format!("{}/", index.base()), &["--wait", "600"]);
    assert!(code.is_some(), "still running after {BOUND:?}:\n{stderr}");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(took < BOUND, "{took:?}");
    assert!(
        index.seen().iter().any(|r| r.starts_with("POST")),
        "{:?}",
        index.seen()
    );
    assert!(stderr.contains("does not answer"), "{stderr}");
    // Each listing that got no answer is said as it happens.
    let said = stderr
        .lines()
        .filter(|l| l.contains("Retrying the listing of"))
        .count();
    assert!(said >= 4, "{said} unanswered listings said:\n{stderr}");
    assert!(stderr.contains("--timeout"), "{stderr}");
}

#[test]
fn a_slow_upload_that_keeps_moving_is_not_cut_off() {
    // 24 MiB read by the index at 3 MiB/s: about 8 s, four times the
    // timeout, with bytes moving all the time.
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(
        server.port,
        Faults {
            upload_rate: 3 * 1024 * 1024,
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let artifacts = vec![read(&big_wheel(
        dir.path(),
        NAME,
        "1.0.0",
        24 * 1024 * 1024,
    ))];
    let opts = UploadOptions {
        timeout: Duration::from_secs(2),
        ..options()
    };
    let started = Instant::now();
    let progress = Recorder::default();
    let result = upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &opts,
        &progress,
    );
    let took = started.elapsed();
    assert_eq!(outcomes(&result.unwrap()), vec![Outcome::Uploaded]);
    assert!(
        took > Duration::from_secs(6),
        "not slow after all: {took:?}"
    );
    assert_eq!(progress.count("retrying"), 0, "{:#?}", progress.calls());
    assert_eq!(proxy.posts().len(), 1);
}
