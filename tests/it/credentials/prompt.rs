//! The interactive prompt, run in a pseudo-terminal: the token is read without
//! echo and the terminal settings come back.

use super::*;

/// Environment variable that turns [`prompt_child`] on.
const PROMPT_CHILD: &str = "CARGO_PYPI_TEST_PROMPT_CHILD";

/// Runs inside a pseudo-terminal made by `script` (see the test below): prompts
/// for the token and reports whether it arrived and the echo came back.
#[test]
#[ignore = "run by prompt_reads_the_token_without_echo inside a pseudo-terminal"]
fn prompt_child() {
    if std::env::var_os(PROMPT_CHILD).is_none() {
        return;
    }
    let settings = || {
        let tty = std::fs::File::open("/dev/tty").unwrap();
        let out = std::process::Command::new("stty")
            .arg("-g")
            .stdin(tty)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let before = settings();
    let place = Place::new();
    let empty = |_: &str| None;
    let found = credentials::find(&CredentialRequest {
        target: &Target::pypi(),
        token: None,
        repo_root: place.root().to_path_buf(),
        env: &empty,
        interactive: true,
        pypirc: Some(place.pypirc()),
    });
    let found = found.unwrap();
    let matches = found.password.expose() == KNOWN;
    println!(
        "RESULT source={} match={matches} restored={}",
        found.source,
        before == settings()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn prompt_reads_the_token_without_echo() {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    let exe = std::env::current_exe().unwrap();
    let inner = format!(
        "{} {} --exact --ignored --nocapture --test-threads=1",
        exe.display(),
        support::test_name(module_path!(), "prompt_child")
    );
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &inner, "/dev/null"])
        .env(PROMPT_CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs the prompt in a pseudo-terminal");
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
    while !text().contains("(input hidden): ") {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no prompt appeared:\n{}",
            text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{KNOWN}\n").as_bytes()).unwrap();
    stdin.flush().unwrap();
    while child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the prompt did not finish:\n{}",
            text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(stdin);
    reader.join().unwrap();
    let transcript = text();
    assert!(
        transcript.contains("api token for pypi (input hidden): "),
        "{transcript}"
    );
    assert!(
        transcript.contains("RESULT source=interactive prompt match=true restored=true"),
        "{transcript}"
    );
    assert_no_leak("terminal transcript", &transcript, KNOWN);
}
