//! Every index: devpi (its simple index at `…/+simple/`) from the upload URL
//! alone, against a real devpi-server; listings without a sha256 (PEP 503
//! allows md5 or no hash: pypiserver's `--hash-algo`); a listing that cannot
//! be found, said at once; conflicts explained without pointing at words
//! that were never printed.

use super::*;
use cargo_pypi::publish::target::{resolve, TargetRequest};

#[test]
fn devpi_takes_the_upload_url_alone_and_a_rerun_finds_the_files() {
    let devpi = Devpi::start();
    let target = resolve(&TargetRequest {
        repository_url: Some(devpi.upload_url()),
        ..TargetRequest::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..2], "a");
    let result = upload(&target, &credentials(), &artifacts).unwrap();
    assert_eq!(outcomes(&result), vec![Outcome::Uploaded; 3]);
    let started = Instant::now();
    wait_until_listed_as(
        &target,
        &credentials(),
        &artifacts,
        Duration::from_secs(20),
        &options(),
        &NoProgress,
    )
    .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // devpi's own simple index holds every file with its sha256.
    let page = reqwest::blocking::get(format!("{}{NAME}/", devpi.simple_url()))
        .unwrap()
        .text()
        .unwrap();
    for a in &artifacts {
        let link = format!("{}#sha256={}", file_name(a), sha256_of(&a.path));
        assert!(page.contains(&link), "{link} not in {page}");
    }
    // The next run reads devpi's listing: nothing is sent again.
    let again = upload(&target, &credentials(), &artifacts).unwrap();
    assert_eq!(outcomes(&again), vec![Outcome::AlreadyThere; 3]);
    // Other bytes under a taken name: refused before anything is sent.
    let other_dir = tempfile::tempdir().unwrap();
    let other = release(other_dir.path(), "1.0.0", &[], "b");
    let error = upload(&target, &credentials(), &other).unwrap_err();
    let text = failed(&error, UploadErrorKind::Conflict);
    assert!(text.contains("nothing was uploaded"), "{text}");

    // The whole publish through the binary: the wait and the release's
    // address use devpi's simple index too.
    let ctx = crate::support::TestContext::fixture("bin-bindings");
    let next = release(ctx.path(), "1.0.1", &[], "c");
    let file = next[0].path.display().to_string();
    let url = devpi.upload_url();
    let out = ctx
        .command(&["publish", "--repository-url", &url, &file])
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    use crate::support::OutputExt;
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    let simple = devpi.simple_url();
    assert!(
        out.stderr().contains(&format!("for {simple} to list")),
        "{}",
        out.stderr()
    );
    assert!(
        out.stdout().contains(&format!("{simple}{NAME}/")),
        "{}",
        out.stdout()
    );
}

#[test]
fn a_listing_with_md5_or_no_hash_keeps_a_good_upload_good_and_a_rerun_no_conflict() {
    for algo in ["md5", "off"] {
        let server = Pypiserver::start_listing("update,download,list", algo);
        let dir = tempfile::tempdir().unwrap();
        let artifacts = release(dir.path(), "1.0.0", &TAGS[..1], "a");
        let result = upload(&server.target(), &credentials(), &artifacts).unwrap();
        assert_eq!(outcomes(&result), vec![Outcome::Uploaded; 2], "{algo}");
        wait_until_listed_as(
            &server.target(),
            &credentials(),
            &artifacts,
            Duration::from_secs(10),
            &options(),
            &NoProgress,
        )
        .unwrap_or_else(|e| panic!("{algo}: {e}"));
        let again = upload(&server.target(), &credentials(), &artifacts)
            .unwrap_or_else(|e| panic!("{algo}: {e}"));
        assert_eq!(outcomes(&again), vec![Outcome::AlreadyThere; 2], "{algo}");
        // Other bytes under the same name are still told apart.
        let other_dir = tempfile::tempdir().unwrap();
        let other = release(other_dir.path(), "1.0.0", &[], "b");
        let error = upload(&server.target(), &credentials(), &other).unwrap_err();
        let text = failed(&error, UploadErrorKind::Conflict);
        assert!(text.contains("other content"), "{algo}: {text}");
        let by = if algo == "md5" {
            "md5 "
        } else {
            "downloaded from the index"
        };
        assert!(text.contains(by), "{algo}: {text}");
        assert_eq!(server.files(), names(&artifacts), "{algo}");
    }
}

#[test]
fn a_simple_index_that_is_not_there_is_said_at_once_naming_index_url() {
    let server = Pypiserver::start();
    let mut target = server.target();
    target.index_url = format!("{}/nothing-here/", server.base()).parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    upload(&target, &credentials(), &artifacts).unwrap();
    let started = Instant::now();
    let error = wait_until_listed_as(
        &target,
        &credentials(),
        &artifacts,
        Duration::from_secs(60),
        &options(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let text = error.to_string();
    assert!(text.contains("--index-url"), "{text}");
    assert!(text.contains("nothing-here"), "{text}");
}

#[test]
fn a_refusal_without_words_does_not_point_at_a_message_above() {
    // A stand-in: a simple index with no files that answers an upload with
    // a bare 409 Conflict, no words.
    let index = StandIn::scripted(|request, _| match request.method.as_str() {
        "POST" => Some((409, String::new())),
        _ if request.target == "/simple/" => Some((200, "<html></html>".into())),
        _ => Some((404, String::new())),
    });
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    let error = upload(&target_at(&index.base()), &credentials(), &artifacts).unwrap_err();
    let text = error.to_string();
    assert!(!text.contains("above"), "{text}");
    assert!(text.contains("409 Conflict"), "{text}");
}
