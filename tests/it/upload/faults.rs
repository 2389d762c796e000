//! Failures on the way: wrong credentials, an index that goes down, answers
//! that fail, come slowly or ask to wait.

use super::*;

#[test]
fn wrong_credentials_are_explained_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    let wrong = credentials_with("WRONG-pass-9876");

    // Listing files needs the password too: refused while reading the index.
    let server = Pypiserver::start();
    let error = upload(&server.target(), &wrong, &artifacts).unwrap_err();
    let text = failed(&error, UploadErrorKind::Index);
    assert!(text.contains("403 Forbidden"), "{text}");
    assert!(text.contains("refused the credentials"), "{text}");
    assert!(
        text.contains(&format!("{}/simple/demo-pkg/", server.base())),
        "{text}"
    );
    assert_no_secret(&error);

    // Open listing: refused at the upload.
    let open = Pypiserver::start_with("update");
    let error = upload(&open.target(), &wrong, &artifacts).unwrap_err();
    let text = failed(&error, UploadErrorKind::Rejected);
    assert!(
        text.starts_with(&format!("cannot upload {}", file_name(&artifacts[0]))),
        "{text}"
    );
    assert!(text.contains(&format!("{}/", open.base())), "{text}");
    assert!(text.contains("403 Forbidden"), "{text}");
    assert!(
        text.contains(
            "refused these credentials (credentials from the test harness, username \"alice\")"
        ),
        "{text}"
    );
    assert_no_secret(&error);
    assert!(open.files().is_empty());

    // Credentials in the URL are redacted too.
    let mut target = open.target();
    target.upload_url = format!("http://{USER}:{PASSWORD}@127.0.0.1:{}/", open.port)
        .parse()
        .unwrap();
    let error = upload(&target, &wrong, &artifacts).unwrap_err();
    assert!(
        error.to_string().contains("http://***@127.0.0.1:"),
        "{error}"
    );
    assert_no_secret(&error);
}

#[test]
fn wrong_credentials_refused_before_a_large_body_is_read_are_explained() {
    // pypiserver answers 403 and closes without reading the 24 MiB body.
    let open = Pypiserver::start_with("update");
    let dir = tempfile::tempdir().unwrap();
    let path = big_wheel(dir.path(), NAME, "1.0.0", 24 * 1024 * 1024);
    let artifacts = vec![read(&path)];
    let started = Instant::now();
    let error = upload(
        &open.target(),
        &credentials_with("WRONG-pass-9876"),
        &artifacts,
    )
    .unwrap_err();
    let text = failed(&error, UploadErrorKind::Rejected);
    assert!(text.contains("403 Forbidden"), "{text}");
    assert!(text.contains("refused these credentials"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "no retries: {:?}",
        started.elapsed()
    );
    assert_no_secret(&error);
    assert!(open.files().is_empty());
}

#[test]
fn an_upload_cut_off_by_the_index_going_down_completes_on_the_next_run() {
    let mut server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS, "a");
    let killed = std::sync::Arc::new(Mutex::new(None::<String>));
    let progress = Recorder::default();
    {
        // Kill the server once the first file is confirmed.
        let killed = killed.clone();
        let kill = server.killer();
        *progress.on_finished.lock().unwrap() = Some(Box::new(move |file: &str| {
            let mut killed = killed.lock().unwrap();
            if killed.is_none() {
                kill();
                *killed = Some(file.to_string());
            }
        }));
    }
    let opts = UploadOptions {
        attempts: 2,
        ..options()
    };
    let error = upload_all(
        &server.target(),
        &credentials(),
        &artifacts,
        &opts,
        &progress,
    )
    .unwrap_err();
    // The first file sent is a wheel (the sdist goes last).
    assert_eq!(
        killed.lock().unwrap().as_deref(),
        Some(file_name(&artifacts[1]).as_str())
    );
    let text = failed(&error, UploadErrorKind::Unavailable);
    assert!(text.contains(&format!("{}/", server.base())), "{text}");
    assert!(text.contains("no connection"), "{text}");
    assert!(
        text.contains("1 uploaded and 0 already there of 4 files"),
        "{text}"
    );
    assert!(progress.count("retrying") >= 1);

    server.restart();
    let result = upload(&server.target(), &credentials(), &artifacts).unwrap();
    assert_eq!(
        outcomes(&result),
        vec![
            Outcome::Uploaded,
            Outcome::AlreadyThere,
            Outcome::Uploaded,
            Outcome::Uploaded
        ]
    );
    assert_on_index(&server, &artifacts);
}

#[test]
fn server_errors_are_retried_until_the_upload_goes_through() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(
        server.port,
        Faults {
            fail_uploads: 2,
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..1], "a");
    let progress = Recorder::default();
    let result = upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &options(),
        &progress,
    )
    .unwrap();
    assert_eq!(outcomes(&result), vec![Outcome::Uploaded; 2]);
    let statuses: Vec<u16> = proxy.posts().iter().map(|p| p.status).collect();
    assert_eq!(statuses, [503, 503, 200, 200]);
    let retries: Vec<String> = progress
        .calls()
        .into_iter()
        .filter(|c| c.starts_with("retrying"))
        .collect();
    assert_eq!(retries.len(), 2, "{retries:#?}");
    // The first file sent: the wheel (the sdist goes last).
    let first = file_name(&artifacts[1]);
    assert!(
        retries[0].starts_with(&format!(
            "retrying {first} 2 the index answered 503 Service Unavailable"
        )),
        "{retries:?}"
    );
    assert!(
        retries[1].starts_with(&format!("retrying {first} 3 ")),
        "{retries:?}"
    );
    assert_on_index(&server, &artifacts);

    // Attempts run out: the last failure is named, with the file and URL.
    let again = FaultProxy::start(
        server.port,
        Faults {
            fail_uploads: 10,
            ..Faults::default()
        },
    );
    let more = release(dir.path(), "1.0.1", &[], "b");
    let opts = UploadOptions {
        attempts: 2,
        ..options()
    };
    let error = upload_all(&again.target(), &credentials(), &more, &opts, &NoProgress).unwrap_err();
    let text = failed(&error, UploadErrorKind::Unavailable);
    assert!(
        text.contains(&format!(
            "cannot upload {} to {}/",
            file_name(&more[0]),
            again.base()
        )),
        "{text}"
    );
    assert!(text.contains("503 Service Unavailable"), "{text}");
    assert!(text.contains("attempt 2 of 2"), "{text}");
    assert_eq!(again.posts().len(), 2);
}

#[test]
fn slow_answers_are_waited_for_and_timeouts_retried_without_duplicates() {
    let server = Pypiserver::start();
    // The first upload's answer comes after the timeout (the index has the
    // file by then), the third's slowly but in time.
    let proxy = FaultProxy::start(
        server.port,
        Faults {
            delays: vec![
                Duration::from_millis(2500),
                Duration::ZERO,
                Duration::from_millis(600),
            ],
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..2], "a");
    let progress = Recorder::default();
    let opts = UploadOptions {
        timeout: Duration::from_millis(1500),
        jobs: 1,
        ..options()
    };
    let result = upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &opts,
        &progress,
    )
    .unwrap();
    assert_eq!(outcomes(&result), vec![Outcome::Uploaded; 3]);
    let retries: Vec<String> = progress
        .calls()
        .into_iter()
        .filter(|c| c.starts_with("retrying"))
        .collect();
    assert_eq!(retries.len(), 1, "{retries:#?}");
    // The first file sent: a wheel (the sdist goes last).
    let first = file_name(&artifacts[1]);
    assert!(
        retries[0].starts_with(&format!("retrying {first} 2 timed out")),
        "{retries:#?}"
    );
    // Re-sent after the timeout: pypiserver answered 409 (already there),
    // which the listing showed to be this very file.
    let posts = proxy.posts();
    let statuses: Vec<u16> = posts.iter().map(|p| p.status).collect();
    assert_eq!(statuses, [200, 409, 200, 200], "{statuses:?}");
    let slow = posts[2].ended.duration_since(posts[2].started);
    assert!(slow >= Duration::from_millis(600), "{slow:?}");
    assert_on_index(&server, &artifacts);
}

#[test]
fn a_rate_limit_is_waited_out_as_retry_after_asks() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(
        server.port,
        Faults {
            rate_limit_uploads: 1,
            retry_after: 2,
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    let progress = Recorder::default();
    let result = upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &options(),
        &progress,
    )
    .unwrap();
    assert_eq!(outcomes(&result), vec![Outcome::Uploaded]);
    let posts = proxy.posts();
    assert_eq!(
        posts.iter().map(|p| p.status).collect::<Vec<_>>(),
        [429, 200]
    );
    let gap = posts[1].started.duration_since(posts[0].ended);
    assert!(gap >= Duration::from_millis(1900), "waited only {gap:?}");
    assert!(gap < Duration::from_secs(4), "waited {gap:?}");
    let calls = progress.calls();
    let retry = calls.iter().find(|c| c.starts_with("retrying")).unwrap();
    assert!(retry.contains("429 Too Many Requests"), "{retry}");
    assert!(retry.contains("in 2.0 s"), "{retry}");
    assert_on_index(&server, &artifacts);
}
