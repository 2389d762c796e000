//! `publish::upload` against a real index: pypiserver from
//! `$CARGO_PYPI_TEST_VENV` (with pypiserver and passlib), behind a
//! fault-injecting proxy where a test needs failures, slowness or a count of
//! what was sent. Artifacts are small real wheels and sdists made here.

#![cfg(unix)]

mod common_index;

use cargo_pypi::dist::{Artifact, CoreMetadata, Kind};
use cargo_pypi::publish::upload::{
    upload_all, wait_until_listed_as, NoProgress, Outcome, Progress, UploadError, UploadOptions,
};
use common_index::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const NAME: &str = "demo-pkg";
const TAGS: [&str; 3] = [
    "cp311-cp311-manylinux_2_17_x86_64",
    "cp312-cp312-win_amd64",
    "cp311-cp311-macosx_11_0_arm64",
];

fn options() -> UploadOptions {
    UploadOptions {
        jobs: 4,
        attempts: 3,
        timeout: Duration::from_secs(20),
        dry_run: false,
    }
}

/// An sdist and one wheel per tag of `NAME` `version`; `flavour` varies the bytes.
fn release(dir: &Path, version: &str, tags: &[&str], flavour: &str) -> Vec<Artifact> {
    let mut paths = vec![sdist(dir, NAME, version, flavour)];
    for tag in tags {
        let module = format!("VALUE = 42  # {flavour}\n");
        paths.push(wheel(dir, NAME, version, tag, &module, flavour.as_bytes()));
    }
    paths.iter().map(|p| read(p)).collect()
}

fn file_name(a: &Artifact) -> String {
    a.path.file_name().unwrap().to_string_lossy().into_owned()
}

fn names(artifacts: &[Artifact]) -> Vec<String> {
    let mut names: Vec<String> = artifacts.iter().map(file_name).collect();
    names.sort();
    names
}

/// Called with the file name on each `finished`.
type Hook = Box<dyn FnMut(&str) + Send>;

/// Every progress call, as text, with an optional hook on `finished`.
#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<String>>,
    on_finished: Mutex<Option<Hook>>,
}

impl Recorder {
    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    fn count(&self, prefix: &str) -> usize {
        self.calls()
            .iter()
            .filter(|c| c.starts_with(prefix))
            .count()
    }
}

impl Progress for Recorder {
    fn started(&self, file: &str, size: u64) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("started {file} {size}"));
    }
    fn sent(&self, file: &str, bytes: u64) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("sent {file} {bytes}"));
    }
    fn retrying(&self, file: &str, attempt: u32, reason: &str) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("retrying {file} {attempt} {reason}"));
    }
    fn finished(&self, file: &str, outcome: &Outcome) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("finished {file} {outcome:?}"));
        if let Some(hook) = self.on_finished.lock().unwrap().as_mut() {
            hook(file);
        }
    }
}

/// The index's listing of `NAME`, read with its own HTML parser and credentials.
fn listed(server: &Pypiserver) -> Vec<(String, Option<String>)> {
    let client = reqwest::blocking::Client::new();
    let page = client
        .get(format!("{}/simple/{NAME}/", server.base()))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let mut files: Vec<(String, Option<String>)> = cargo_pypi::publish::index::parse_html(&page)
        .into_iter()
        .map(|f| (f.filename, f.sha256))
        .collect();
    files.sort();
    files
}

/// The index lists exactly `artifacts`, each once with its sha256, and serves
/// each with those bytes.
fn assert_on_index(server: &Pypiserver, artifacts: &[Artifact]) {
    let mut expected: Vec<(String, Option<String>)> = artifacts
        .iter()
        .map(|a| (file_name(a), Some(sha256_of(&a.path))))
        .collect();
    expected.sort();
    assert_eq!(listed(server), expected);
    assert_eq!(server.files(), names(artifacts));
    for a in artifacts {
        assert_eq!(
            server.download_sha256(&file_name(a)),
            sha256_of(&a.path),
            "{}",
            file_name(a)
        );
    }
}

fn outcomes(result: &[(PathBuf, Outcome)]) -> Vec<Outcome> {
    result.iter().map(|(_, o)| o.clone()).collect()
}

fn assert_no_secret(error: &UploadError) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(PASSWORD), "the password leaked: {text}");
        assert!(
            !text.contains("WRONG-pass-9876"),
            "the password leaked: {text}"
        );
    }
}

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

    // Progress: the sdist alone first, every file started, sent in full, finished.
    let calls = progress.calls();
    let sdist = file_name(&artifacts[0]);
    assert_eq!(calls[0], format!("started {sdist} {}", artifacts[0].size));
    let sdist_done = calls
        .iter()
        .position(|c| *c == format!("finished {sdist} Uploaded"))
        .unwrap();
    assert_eq!(
        calls[..sdist_done]
            .iter()
            .filter(|c| c.starts_with("started"))
            .count(),
        1,
        "{calls:#?}"
    );
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
    )
    .unwrap();
}

#[test]
fn waiting_for_a_file_the_index_never_gets_times_out_naming_it() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..1], "a");
    upload_all(
        &server.target(),
        &credentials(),
        &artifacts[..1],
        &options(),
        &NoProgress,
    )
    .unwrap();
    let started = Instant::now();
    let error = wait_until_listed_as(
        &server.target(),
        &credentials(),
        &artifacts,
        Duration::from_millis(800),
    )
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(matches!(error, UploadError::NotListed(_)), "{error:?}");
    let text = error.to_string();
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
    upload_all(
        &server.target(),
        &credentials(),
        &artifacts,
        &options(),
        &NoProgress,
    )
    .unwrap();
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
    assert_eq!(proxy.gets().len(), 1, "one listing for the one project");
    assert_eq!(progress.count("finished"), 4);
    assert_eq!(progress.count("sent"), 0);
    assert_on_index(&server, &artifacts);
}

#[test]
fn a_file_of_the_same_name_with_other_content_stops_everything_before_sending() {
    let server = Pypiserver::start();
    let first = tempfile::tempdir().unwrap();
    let old = release(first.path(), "1.0.0", &TAGS[..1], "old");
    upload_all(
        &server.target(),
        &credentials(),
        &old,
        &options(),
        &NoProgress,
    )
    .unwrap();
    // Rebuilt with other content under the same names, plus a new wheel.
    let second = tempfile::tempdir().unwrap();
    let new = release(second.path(), "1.0.0", &TAGS[..2], "new");
    assert_ne!(new[1].sha256, old[1].sha256);
    let proxy = FaultProxy::start(server.port, Faults::default());
    let error = upload_all(
        &proxy.target(),
        &credentials(),
        &new,
        &options(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(error, UploadError::Conflict(_)), "{error:?}");
    let text = error.to_string();
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
fn wrong_credentials_are_explained_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    let wrong = credentials_with("WRONG-pass-9876");

    // Listing files needs the password too: refused while reading the index.
    let server = Pypiserver::start();
    let error = upload_all(
        &server.target(),
        &wrong,
        &artifacts,
        &options(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(error, UploadError::Index(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("403 Forbidden"), "{text}");
    assert!(text.contains("refused the credentials"), "{text}");
    assert!(
        text.contains(&format!("{}/simple/demo-pkg/", server.base())),
        "{text}"
    );
    assert_no_secret(&error);

    // Open listing: refused at the upload.
    let open = Pypiserver::start_with("update");
    let error =
        upload_all(&open.target(), &wrong, &artifacts, &options(), &NoProgress).unwrap_err();
    assert!(matches!(error, UploadError::Rejected(_)), "{error:?}");
    let text = error.to_string();
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
    let error = upload_all(&target, &wrong, &artifacts, &options(), &NoProgress).unwrap_err();
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
    let error = upload_all(
        &open.target(),
        &credentials_with("WRONG-pass-9876"),
        &artifacts,
        &options(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(error, UploadError::Rejected(_)), "{error:?}");
    let text = error.to_string();
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
    assert_eq!(
        killed.lock().unwrap().as_deref(),
        Some(file_name(&artifacts[0]).as_str())
    );
    assert!(matches!(error, UploadError::Unavailable(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains(&format!("{}/", server.base())), "{text}");
    assert!(text.contains("no connection"), "{text}");
    assert!(
        text.contains("1 uploaded and 0 already there of 4 files"),
        "{text}"
    );
    assert!(progress.count("retrying") >= 1);

    server.restart();
    let result = upload_all(
        &server.target(),
        &credentials(),
        &artifacts,
        &options(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(
        outcomes(&result),
        vec![
            Outcome::AlreadyThere,
            Outcome::Uploaded,
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
    let sdist = file_name(&artifacts[0]);
    assert!(
        retries[0].starts_with(&format!(
            "retrying {sdist} 2 the index answered 503 Service Unavailable"
        )),
        "{retries:?}"
    );
    assert!(
        retries[1].starts_with(&format!("retrying {sdist} 3 ")),
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
    assert!(matches!(error, UploadError::Unavailable(_)), "{error:?}");
    let text = error.to_string();
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
    let sdist = file_name(&artifacts[0]);
    assert!(
        retries[0].starts_with(&format!("retrying {sdist} 2 timed out")),
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

#[test]
fn an_index_url_given_as_upload_url_is_explained() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &[], "a");
    let mut target = server.target();
    target.upload_url = format!("{}/simple/", server.base()).parse().unwrap();
    let error =
        upload_all(&target, &credentials(), &artifacts, &options(), &NoProgress).unwrap_err();
    assert!(matches!(error, UploadError::Rejected(_)), "{error:?}");
    let text = error.to_string();
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
    upload_all(
        &server.target(),
        &credentials(),
        &artifacts[..1],
        &options(),
        &NoProgress,
    )
    .unwrap();
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
    assert_eq!(proxy.gets().len(), 1);
    assert_eq!(server.files(), names(&artifacts[..1]));
}

#[test]
fn the_form_carries_the_digests_every_metadata_field_and_the_file() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(server.port, Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let artifacts = release(dir.path(), "1.0.0", &TAGS[..1], "a");
    upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &options(),
        &NoProgress,
    )
    .unwrap();
    let posts = proxy.posts();
    assert_eq!(posts.len(), 2);
    for (post, artifact) in posts.iter().zip(&artifacts) {
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
        assert_eq!(
            post.header("authorization"),
            Some(format!("Basic {basic}").as_str())
        );
        assert_eq!(post.header("accept"), Some("application/json"));
        assert!(post
            .header("user-agent")
            .unwrap()
            .starts_with("cargo-pypi/"));
        let parts = multipart(post);
        let one = |name: &str| -> Vec<&str> {
            parts
                .iter()
                .filter(|(n, _, _)| n == name)
                .map(|(_, _, v)| std::str::from_utf8(v).unwrap())
                .collect()
        };
        let bytes = std::fs::read(&artifact.path).unwrap();
        let blake2 = {
            use blake2::digest::consts::U32;
            hex(&blake2::Blake2b::<U32>::digest(&bytes))
        };
        let wheel = artifact.kind == Kind::Wheel;
        let expected: Vec<(&str, Vec<&str>)> = vec![
            (":action", vec!["file_upload"]),
            ("protocol_version", vec!["1"]),
            ("metadata_version", vec!["2.4"]),
            ("name", vec![NAME]),
            ("version", vec!["1.0.0"]),
            (
                "filetype",
                vec![if wheel { "bdist_wheel" } else { "sdist" }],
            ),
            ("pyversion", vec![if wheel { "cp311" } else { "source" }]),
            ("sha256_digest", vec![&artifact.sha256]),
            ("blake2_256_digest", vec![&blake2]),
            ("summary", vec!["A package for upload tests"]),
            ("keywords", vec!["upload,test"]),
            ("author_email", vec!["Jane Doe <jane@example.org>"]),
            ("maintainer", vec!["John Roe"]),
            ("license_expression", vec!["MIT OR Apache-2.0"]),
            ("license_file", vec!["LICENSE"]),
            (
                "classifiers",
                vec![
                    "Programming Language :: Rust",
                    "Programming Language :: Python :: 3",
                ],
            ),
            (
                "requires_dist",
                vec!["numpy>=1.24", "rich ; extra == 'cli'"],
            ),
            ("provides_extra", vec!["cli"]),
            ("requires_python", vec![">=3.9"]),
            (
                "project_urls",
                vec![
                    "Source, https://example.org/demo",
                    "Issues, https://example.org/demo/issues",
                ],
            ),
            (
                "description_content_type",
                vec!["text/markdown; charset=UTF-8; variant=GFM"],
            ),
            (
                "description",
                vec!["# demo-pkg\n\nUploaded by the tests.\n"],
            ),
        ];
        for (name, values) in &expected {
            assert_eq!(&one(name), values, "field {name}");
        }
        assert_eq!(
            Sha256::digest(&bytes).as_slice(),
            hex_bytes(&artifact.sha256)
        );
        let content: Vec<_> = parts.iter().filter(|(n, _, _)| n == "content").collect();
        assert_eq!(content.len(), 1);
        let (_, headers, data) = content[0];
        assert!(
            headers.contains(&format!("filename=\"{}\"", file_name(artifact))),
            "{headers}"
        );
        assert!(
            headers.contains("Content-Type: application/octet-stream"),
            "{headers}"
        );
        assert_eq!(data, &bytes);
        assert_eq!(parts.last().unwrap().0, "content", "the file comes last");
    }
}

fn hex_bytes(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The parts of a multipart body: name, part headers, value.
fn multipart(post: &Seen) -> Vec<(String, String, Vec<u8>)> {
    let content_type = post.header("content-type").unwrap();
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let body = post.body.as_ref().expect("body kept");
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = &body[..];
    while let Some(start) = find(rest, &delimiter) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        rest = &rest[2..]; // CRLF
        let end = find(rest, &delimiter).unwrap();
        let part = &rest[..end - 2]; // CRLF before the delimiter
        let split = find(part, b"\r\n\r\n").unwrap();
        let headers = String::from_utf8_lossy(&part[..split]).into_owned();
        let name = headers
            .split("name=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        parts.push((name, headers, part[split + 4..].to_vec()));
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn after_the_first_file_uploads_run_in_parallel() {
    let server = Pypiserver::start();
    let delay = Duration::from_millis(400);
    let proxy = FaultProxy::start(
        server.port,
        Faults {
            delays: vec![delay; 100],
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let tags = [
        "cp39-cp39-manylinux_2_17_x86_64",
        "cp310-cp310-manylinux_2_17_x86_64",
        "cp311-cp311-manylinux_2_17_x86_64",
        "cp312-cp312-manylinux_2_17_x86_64",
        "cp313-cp313-manylinux_2_17_x86_64",
        "cp39-cp39-win_amd64",
        "cp310-cp310-win_amd64",
    ];
    let artifacts = release(dir.path(), "1.0.0", &tags, "a");
    let started = Instant::now();
    let result = upload_all(
        &proxy.target(),
        &credentials(),
        &artifacts,
        &options(),
        &NoProgress,
    )
    .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(outcomes(&result), vec![Outcome::Uploaded; 8]);
    let posts = proxy.posts();
    let first = posts.iter().min_by_key(|p| p.started).unwrap();
    assert!(
        posts
            .iter()
            .filter(|p| p.started != first.started)
            .all(|p| p.started >= first.ended),
        "the first file goes alone"
    );
    let most = proxy.max_uploads_at_once();
    assert!((2..=4).contains(&most), "{most} uploads at once");
    // One by one, eight answers would take 3.2 s.
    assert!(elapsed < delay * 6, "{elapsed:?}");
    assert_on_index(&server, &artifacts);
}

#[test]
fn the_uploaded_wheel_installs_with_pip() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let wheel = wheel(
        dir.path(),
        NAME,
        "2.1.0",
        "py3-none-any",
        "VALUE = 4711\n",
        b"",
    );
    let artifacts = vec![read(&sdist(dir.path(), NAME, "2.1.0", "x")), read(&wheel)];
    upload_all(
        &server.target(),
        &credentials(),
        &artifacts,
        &options(),
        &NoProgress,
    )
    .unwrap();
    let target = tempfile::tempdir().unwrap();
    let venv = venv();
    let out = Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-cache-dir",
            "--disable-pip-version-check",
        ])
        .args(["--only-binary", ":all:", "--target"])
        .arg(target.path())
        .arg("--index-url")
        .arg(format!(
            "http://{USER}:{PASSWORD}@127.0.0.1:{}/simple/",
            server.port
        ))
        .arg(format!("{NAME}==2.1.0"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pip install failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(venv.join("bin/python"))
        .args(["-c", "import demo_pkg; print(demo_pkg.VALUE)"])
        .env("PYTHONPATH", target.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "4711",
        "{out:?}"
    );
}

// ------------------------------------------------------------------ memory

const BIG: u64 = 200 * 1024 * 1024;
const MAX_GROWTH: u64 = 64 * 1024 * 1024;

/// Peak resident memory of this process (`VmHWM`), in bytes.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// User and system CPU time of this process so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which may hold spaces): utime is the
    // 12th, stime the 13th, in clock ticks of 1/100 s.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|f| f.parse().unwrap())
        .collect();
    Duration::from_millis((fields[0] + fields[1]) * 10)
}

#[test]
fn memory_stays_flat_for_a_large_file() {
    let server = Pypiserver::start();
    let dir = tempfile::tempdir().unwrap();
    let path = big_wheel(dir.path(), NAME, "3.0.0", BIG);
    // Measured in a process of its own: other tests share this one.
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "memory_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("UPLOAD_CHILD_FILE", &path)
        .env("UPLOAD_CHILD_BASE", server.base())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.find("MEMORY ").map(|at| &l[at..]))
        .unwrap_or_else(|| panic!("no MEMORY line: {stdout}"));
    let value = |key: &str| -> u64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .unwrap()
            .parse()
            .unwrap()
    };
    let (before, after) = (value("before="), value("after="));
    let growth = after.saturating_sub(before);
    eprintln!(
        "peak memory for a {} MiB upload: {} MiB before, {} MiB after, growth {:.1} MiB ({})",
        BIG >> 20,
        before >> 20,
        after >> 20,
        growth as f64 / 1048576.0,
        line.split_whitespace()
            .skip(4)
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(line.contains("outcome=Uploaded"), "{line}");
    assert!(
        growth < MAX_GROWTH,
        "peak memory grew by {growth} bytes for a {BIG}-byte file"
    );
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(server.files(), std::slice::from_ref(&file));
    assert_eq!(
        listed(&server),
        [(file, Some(sha256_of(&path)))],
        "listed with the file's sha256"
    );
}

#[test]
#[ignore = "the child process of memory_stays_flat_for_a_large_file"]
fn memory_child() {
    let path = PathBuf::from(std::env::var_os("UPLOAD_CHILD_FILE").unwrap());
    let base = std::env::var("UPLOAD_CHILD_BASE").unwrap();
    // Built by hand: dist::read would load the whole file.
    let artifact = Artifact {
        size: std::fs::metadata(&path).unwrap().len(),
        path,
        kind: Kind::Wheel,
        name: NAME.into(),
        version: "3.0.0".into(),
        sha256: String::new(),
        pyversion: "py3".into(),
        metadata: Some(CoreMetadata::parse(&metadata(NAME, "3.0.0"))),
    };
    let before = peak_memory();
    let (cpu_before, wall) = (cpu_time(), Instant::now());
    let result = upload_all(
        &target_at(&base),
        &credentials(),
        &[artifact],
        &options(),
        &NoProgress,
    )
    .unwrap();
    let after = peak_memory();
    let cpu = cpu_time() - cpu_before;
    println!(
        "MEMORY before={before} after={after} outcome={:?} cpu={:.2}s wall={:.2}s",
        result[0].1,
        cpu.as_secs_f64(),
        wall.elapsed().as_secs_f64()
    );
}
