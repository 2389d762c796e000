//! `cargo pypi publish` end to end through the real binary: real maturin builds
//! the artifacts, a real pypiserver on 127.0.0.1 receives them, real pip
//! installs the release into a fresh environment; the password never shows.

use super::{ci_artifacts, run};
use crate::support::index::{self, Pypiserver, PASSWORD, USER};
use crate::support::{OutputExt, TestContext};
use std::process::Output;

/// bin-bindings built with the venv's maturin.
fn built_bin_tool() -> TestContext {
    let ctx = TestContext::fixture("bin-bindings").git_root().venv();
    let out = run(&ctx, &["build", "-q"], PASSWORD);
    assert!(out.status.success(), "{}", out.stderr());
    ctx
}

fn assert_no_secret(out: &Output, secret: &str) {
    let all = out.all();
    assert!(!all.contains(secret), "the password leaked:\n{all}");
}

#[test]
fn publish_uploads_verifies_and_installs_then_is_idempotent() {
    let server = Pypiserver::start();
    let ctx = built_bin_tool();
    let url = format!("{}/", server.base());
    let out = run(
        &ctx,
        &[
            "publish",
            "--repository-url",
            &url,
            "--verify-install",
            "-v",
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    assert_no_secret(&out, PASSWORD);
    let text = out.stdout();
    assert!(
        text.contains("bintool-0.2.0.tar.gz  uploaded\n  sha256:"),
        "{text}"
    );
    assert!(text.contains("-py3-none-manylinux"), "{text}");
    assert!(
        text.contains("installed bintool==0.2.0 in a fresh environment"),
        "{text}"
    );
    assert!(
        text.contains("$ bintool --version\n    bintool 0.2.0"),
        "{text}"
    );
    assert!(
        out.stderr().contains("TWINE_USERNAME and TWINE_PASSWORD"),
        "-v names the source: {}",
        out.stderr()
    );
    let mut files = server.files();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(
        server.download_sha256("bintool-0.2.0.tar.gz"),
        index::sha256_of(&ctx.path().join("dist/bintool-0.2.0.tar.gz"))
    );

    let again = run(&ctx, &["publish", "--repository-url", &url], PASSWORD);
    assert!(again.status.success(), "{}", again.stderr());
    assert!(
        again
            .stdout()
            .contains("bintool-0.2.0.tar.gz  already there"),
        "{}",
        again.stdout()
    );
    assert_eq!(server.files().len(), 2);
}

#[test]
fn wrong_password_is_refused_without_showing_it() {
    let server = Pypiserver::start();
    let ctx = built_bin_tool();
    let wrong = concat!("pypi-", "AgEIcHlwaS5vcmcCJGFrbm93bnRva2VuLXZhbHVlLWZvci10ZXN0cw") /* a fake token, split so secret scanners do not flag it */;
    let out = run(
        &ctx,
        &[
            "publish",
            "--repository-url",
            &format!("{}/", server.base()),
            "-vv",
        ],
        wrong,
    );
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr());
    assert_no_secret(&out, wrong);
    assert!(server.files().is_empty());
}

#[test]
fn a_failing_check_sends_nothing_and_dry_run_sends_nothing() {
    let server = Pypiserver::start();
    let ctx = built_bin_tool();
    let url = format!("{}/", server.base());
    let out = run(
        &ctx,
        &["publish", "--repository-url", &url, "--dry-run"],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out.stdout().contains("would upload"), "{}", out.stdout());
    assert!(server.files().is_empty(), "dry run sends nothing");

    let broken = ctx
        .path()
        .join("dist/bintool-0.2.0-py3-none-linux_x86_64.whl");
    std::fs::write(&broken, b"not a zip").unwrap();
    let out = run(&ctx, &["publish", "--repository-url", &url], PASSWORD);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr()
            .contains("check-dist found errors, so nothing was uploaded"),
        "{}",
        out.stderr()
    );
    assert!(server.files().is_empty());
}

/// The terminal prompt (the binary's `ui::tty`), in a pseudo-terminal made by
/// `script`: with no other credentials, `publish` asks for the username and
/// then the password, shows the prompt, does not echo the password, puts the
/// terminal settings back, and uploads with what was typed.
#[cfg(target_os = "linux")]
#[test]
fn the_prompt_reads_the_password_without_echo_and_uploads_with_it() {
    let (transcript, files) = prompt_session("");
    assert_eq!(files.len(), 2, "{files:?}\n{transcript}");
}

/// A dry run on a terminal asks too (a private index may want the login to
/// list its files), then sends nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_dry_run_asks_at_the_prompt_and_uploads_nothing() {
    let (transcript, files) = prompt_session(" --dry-run");
    assert!(files.is_empty(), "{files:?}");
    assert!(transcript.contains("nothing was uploaded"), "{transcript}");
}

/// `cargo-pypi publish -v{extra}` in a pseudo-terminal with no credentials:
/// the user name and password are typed at the prompt; checks the prompt, the
/// missing echo and the terminal settings, and returns the transcript and the
/// files the index then holds.
#[cfg(target_os = "linux")]
fn prompt_session(extra: &str) -> (String, Vec<String>) {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    let server = Pypiserver::start_with("update");
    let dir = built_bin_tool();
    let url = format!("{}/", server.base());
    // The binary's environment (no credential variables), given to `script`.
    let template = dir.command(&[]);
    let (before, after) = (
        dir.path().join("stty.before"),
        dir.path().join("stty.after"),
    );
    let inner = format!(
        "stty -g > {}; {} pypi publish --repository-url {url} -v{extra}; echo EXIT=$?; stty -g > {}",
        before.display(),
        env!("CARGO_BIN_EXE_cargo-pypi"),
        after.display()
    );
    let mut script = Command::new("script");
    for (key, value) in template.get_envs() {
        match value {
            Some(value) => script.env(key, value),
            None => script.env_remove(key),
        };
    }
    let mut child = script
        .args(["-q", "-e", "-c", &inner, "/dev/null"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs the binary in a pseudo-terminal");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut stdout = child.stdout.take().unwrap();
    let sink = seen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0; 1024];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let text = || String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    let start = Instant::now();
    let wait_for = |what: &str| {
        while !text().contains(what) {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "no {what:?} appeared:\n{}",
                text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let mut stdin = child.stdin.take().unwrap();
    wait_for("[__token__]: ");
    stdin.write_all(format!("{USER}\n").as_bytes()).unwrap();
    stdin.flush().unwrap();
    wait_for("(input hidden): ");
    stdin.write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    stdin.flush().unwrap();
    wait_for("EXIT=");
    while child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(180), "{}", text());
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(stdin);
    reader.join().unwrap();
    let transcript = text();
    assert!(
        transcript.contains(&format!("password of {USER} for {url} (input hidden): ")),
        "{transcript}"
    );
    assert!(
        transcript.contains("credentials from interactive prompt"),
        "{transcript}"
    );
    assert!(transcript.contains("EXIT=0"), "{transcript}");
    assert!(!transcript.contains(PASSWORD), "echoed:\n{transcript}");
    let settings = |path: &std::path::Path| std::fs::read_to_string(path).unwrap();
    assert_eq!(settings(&before), settings(&after), "terminal not restored");
    (transcript, server.files())
}

// ------------------------------------------------------------ artifacts from CI

/// The release URL printed at the end, with and without the index URL's
/// trailing slash (and the upload URL's).
#[test]
fn the_release_url_is_right_whatever_the_trailing_slash() {
    let server = Pypiserver::start();
    let ctx = TestContext::empty();
    ci_artifacts(&ctx.path().join("in"), "citool", "1.4.0");
    let expected = format!("release: {}/simple/citool/\n", server.base());
    for (upload, index) in [("/", "/simple/"), ("", "/simple"), ("/", "/simple")] {
        let upload = format!("{}{upload}", server.base());
        let index = format!("{}{index}", server.base());
        let args = [
            "publish",
            "--dist-dir",
            "in",
            "--repository-url",
            &upload,
            "--index-url",
            &index,
        ];
        let out = run(&ctx, &args, PASSWORD);
        assert!(out.status.success(), "{index}: {}", out.all());
        assert!(
            out.stdout().contains(&expected),
            "{index}: {}",
            out.stdout()
        );
    }
}

/// `--skip-existing`, twine's spelling, is accepted: an identical file on the
/// index counts as done (with or without it); other bytes under the name still
/// stop the upload.
#[test]
fn skip_existing_is_accepted_and_changes_nothing() {
    let server = Pypiserver::start();
    let ctx = TestContext::empty();
    ci_artifacts(&ctx.path().join("in"), "citool", "1.4.0");
    let url = format!("{}/", server.base());
    let args = [
        "publish",
        "--dist-dir",
        "in",
        "--repository-url",
        &url,
        "--skip-existing",
    ];
    let out = run(&ctx, &args, PASSWORD);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(server.files().len(), 4);
    let again = run(&ctx, &args, PASSWORD);
    assert!(again.status.success(), "{}", again.all());
    assert!(
        again
            .stdout()
            .contains("citool-1.4.0.tar.gz  already there"),
        "{}",
        again.stdout()
    );
    index::sdist(
        &ctx.path().join("in/sdist"),
        "citool",
        "1.4.0",
        "other bytes",
    );
    let conflict = run(&ctx, &args, PASSWORD);
    assert_eq!(conflict.status.code(), Some(1), "{}", conflict.all());
    assert_eq!(server.files().len(), 4);
}

/// The documented exit codes, through the binary: 0 done, 1 refused or
/// failed, 2 bad input, and Ctrl-C ends the process by SIGINT (which shells
/// report as 130).
#[test]
fn exit_codes_are_the_documented_ones() {
    let ctx = TestContext::empty();
    ci_artifacts(&ctx.path().join("in"), "citool", "1.4.0");
    let code = |args: &[&str]| {
        let out = ctx
            .command(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        (out.status.code(), out.stderr())
    };
    let dist = ["publish", "--dist-dir", "in"];
    for bad in [
        vec!["publish", "--no-such-flag"],
        [&dist[..], &["-r", "nosuch"]].concat(),
        [&dist[..], &["--repository-url", "not a url"]].concat(),
        [&dist[..], &["--repository-url", "https://pypi.org/simple/"]].concat(),
        [
            &dist[..],
            &["-r", "testpypi", "--repository-url", "http://127.0.0.1:9/"],
        ]
        .concat(),
    ] {
        let (status, err) = code(&bad);
        assert_eq!(status, Some(2), "{bad:?}: {err}");
    }
    // No credentials anywhere (and no terminal to ask on): refused.
    let (status, err) = code(&[&dist[..], &["--repository-url", "http://127.0.0.1:9/"]].concat());
    assert_eq!(status, Some(1), "{err}");
    assert!(err.contains("no credentials found"), "{err}");

    // A stand-in index that accepts connections and never answers: the
    // publish waits on it until Ctrl-C (SIGINT) ends it, run from a shell
    // that then says what `$?` is.
    let stand_in = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", stand_in.local_addr().unwrap());
    let publish = run_command(&ctx, &[&dist[..], &["--repository-url", &url]].concat());
    let mut shell = ctx.program("sh");
    shell
        .args(["-c", "\"$0\" \"$@\" 2>/dev/null; echo \"exit=$?\""])
        .arg(publish.get_program())
        .args(publish.get_args())
        .envs(publish.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped());
    let shell = shell.spawn().unwrap();
    let children = format!("/proc/{0}/task/{0}/children", shell.id());
    let start = std::time::Instant::now();
    let pid = loop {
        let text = std::fs::read_to_string(&children).unwrap_or_default();
        if let Some(pid) = text.split_whitespace().next() {
            break pid.to_owned();
        }
        assert!(start.elapsed().as_secs() < 20, "publish did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    // Let it reach the index (check-dist runs first).
    std::thread::sleep(std::time::Duration::from_secs(2));
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = shell.wait_with_output().unwrap();
    assert!(start.elapsed().as_secs() < 60, "Ctrl-C did not end publish");
    assert_eq!(out.stdout(), "exit=130\n");
}

/// `cargo pypi <args>` with twine's login for the test user.
fn run_command(ctx: &TestContext, args: &[&str]) -> std::process::Command {
    let mut cmd = ctx.command(args);
    cmd.env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", PASSWORD);
    cmd
}
