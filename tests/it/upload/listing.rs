//! What the index ends up holding: uploads it lists with their sha256, waiting
//! for the listing, second runs, files that clash, a wrong URL, dry runs.

use super::*;

#[test]
fn uploads_an_sdist_and_wheels_that_the_index_lists_with_their_sha256() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS, "a");
    let progress = Recorder::default();
    let result = upload_all(
        &server.target(),
        &credentials(),
        &artifacts,
        &options(),
        &progress,
    )
    .unwrap();
    assert_eq!(
        result.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        artifacts.iter().map(|a| a.path.clone()).collect::<Vec<_>>()
    );
    assert_eq!(outcomes(&result), vec![Outcome::Uploaded; 4]);
    assert_on_index(&server, &artifacts);

    // Progress: a wheel alone first (it creates the release), the sdist
    // last (a run cut short never leaves a release of only the sdist, which
    // makes pip compile), every file started, sent in full, finished.
    let calls = progress.calls();
    let sdist = file_name(&artifacts[0]);
    let first = calls[0].split(' ').nth(1).unwrap().to_string();
    assert!(first.ends_with(".whl"), "{calls:#?}");
    let first_done = calls
        .iter()
        .position(|c| *c == format!("finished {first} Uploaded"))
        .unwrap();
    let started = |c: &&String| c.starts_with("started");
    assert_eq!(
        calls[..first_done].iter().filter(started).count(),
        1,
        "{calls:#?}"
    );
    let sdist_started = calls
        .iter()
        .position(|c| c.starts_with(&format!("started {sdist} ")))
        .unwrap();
    for wheel in &artifacts[1..] {
        let done = format!("finished {} Uploaded", file_name(wheel));
        let at = calls.iter().position(|c| *c == done).unwrap();
        assert!(
            at < sdist_started,
            "the sdist started before {done}: {calls:#?}"
        );
    }
    for a in &artifacts {
        let f = file_name(a);
        let mine: Vec<&String> = calls
            .iter()
            .filter(|c| c.split(' ').nth(1) == Some(f.as_str()))
            .collect();
        assert_eq!(mine.first().unwrap(), &&format!("started {f} {}", a.size));
        assert!(mine.contains(&&format!("sent {f} {}", a.size)), "{mine:?}");
        assert_eq!(mine.last().unwrap(), &&format!("finished {f} Uploaded"));
    }

    wait_until_listed_as(
        &server.target(),
        &credentials(),
        &artifacts,
        Duration::from_secs(5),
        &options(),
        &NoProgress,
    )
    .unwrap();
}

#[test]
fn waiting_for_a_file_the_index_never_gets_times_out_naming_it() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..1], "a");
    upload(&server.target(), &credentials(), &artifacts[..1]).unwrap();
    let started = Instant::now();
    let error = wait_until_listed_as(
        &server.target(),
        &credentials(),
        &artifacts,
        Duration::from_millis(800),
        &options(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    let text = failed(&error, UploadErrorKind::NotListed);
    assert!(text.contains(&file_name(&artifacts[1])), "{text}");
    assert!(!text.contains(&file_name(&artifacts[0])), "{text}");
    assert!(
        text.contains(&format!("{}/simple/", server.base())),
        "{text}"
    );
}

#[test]
fn a_second_run_finds_everything_there_and_sends_nothing() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS, "a");
    upload(&server.target(), &credentials(), &artifacts).unwrap();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let progress = Recorder::default();
    let result = upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &options(),
        &progress,
    )
    .unwrap();
    assert_eq!(outcomes(&result), vec![Outcome::AlreadyThere; 4]);
    assert_eq!(proxy.posts().len(), 0, "{:#?}", proxy.seen());
    assert_eq!(
        listings(&proxy),
        [format!("/simple/{NAME}/")],
        "one listing for the one project"
    );
    assert_eq!(progress.count("finished"), 4);
    assert_eq!(progress.count("sent"), 0);
    assert_on_index(&server, &artifacts);
}

#[test]
fn a_file_of_the_same_name_with_other_content_stops_everything_before_sending() {
    let server = Pypiserver::start();
    let first = tempfile::tempdir().unwrap();
    let old = release(first.path(), "1.0.0", &TAGS[..1], "old");
    upload(&server.target(), &credentials(), &old).unwrap();
    // Rebuilt with other content under the same names, plus a new wheel.
    let second = tempfile::tempdir().unwrap();
    let new = release(second.path(), "1.0.0", &TAGS[..2], "new");
    assert_ne!(new[1].sha256, old[1].sha256);
    let proxy = FaultProxy::start(server.port, Faults::default());
    let error = upload(&proxy.target(), &credentials(), &new).unwrap_err();
    let text = failed(&error, UploadErrorKind::Conflict);
    for a in &new[..2] {
        assert!(text.contains(&file_name(a)), "{text}");
    }
    assert!(!text.contains(&file_name(&new[2])), "{text}");
    assert!(text.contains(&proxy.base()), "{text}");
    assert!(text.contains("bump the version"), "{text}");
    assert!(text.contains(&new[1].sha256), "{text}");
    assert_eq!(proxy.posts().len(), 0, "nothing may be sent");
    assert_on_index(&server, &old);
}

#[test]
fn an_index_url_given_as_upload_url_is_explained() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    let mut target = server.target();
    target.upload_url = format!("{}/simple/", server.base()).parse().unwrap();
    let error = upload(&target, &credentials(), &artifacts).unwrap_err();
    let text = failed(&error, UploadErrorKind::Rejected);
    assert!(
        text.contains(&format!(
            "cannot upload {} to {}/simple/",
            file_name(&artifacts[0]),
            server.base()
        )),
        "{text}"
    );
    assert!(text.contains("405 Method Not Allowed"), "{text}");
    assert!(text.contains("not the simple index"), "{text}");
    assert!(text.contains("https://upload.pypi.org/legacy/"), "{text}");
    assert!(server.files().is_empty());
}

#[test]
fn a_dry_run_reads_the_index_and_sends_nothing() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..2], "a");
    // One file is there already.
    upload(&server.target(), &credentials(), &artifacts[..1]).unwrap();
    let opts = UploadOptions {
        dry_run: true,
        ..options()
    };
    let result = upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &opts,
        &NoProgress,
    )
    .unwrap();
    assert_eq!(
        outcomes(&result),
        [
            Outcome::AlreadyThere,
            Outcome::WouldUpload,
            Outcome::WouldUpload
        ]
    );
    assert_eq!(proxy.posts().len(), 0);
    assert_eq!(listings(&proxy), [format!("/simple/{NAME}/")]);
    assert_eq!(server.files(), names(&artifacts[..1]));
}

/// The project pages read through `proxy`: every GET but the one that asks
/// the index's root whether a simple index is there.
fn listings(proxy: &FaultProxy) -> Vec<String> {
    let gets = proxy.gets();
    let roots = gets.iter().filter(|g| g.path == "/simple/").count();
    assert_eq!(roots, 1, "{gets:#?}");
    gets.into_iter()
        .map(|g| g.path)
        .filter(|p| p != "/simple/")
        .collect()
}
