//! `publish --dry-run` against a real pypiserver, with hand-made artifacts.

use crate::support::index::{sdist, sha256_of, wheel, Pypiserver, PASSWORD, USER};
use crate::support::{assert_transcript, TestContext};

#[test]
fn publish_dry_run() {
    let server = Pypiserver::start();
    let ctx = TestContext::fixture("bin-bindings")
        .git_root()
        .venv()
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", PASSWORD);
    let dist = ctx.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let sdist_path = sdist(&dist, "bintool", "0.2.0", "release");
    wheel(&dist, "bintool", "0.2.0", "py3-none-any", "", b"release");
    let url = format!("{}/", server.base());
    let args = ["publish", "--repository-url", &url, "--dry-run"];
    let (raw, text) = ctx.transcript_command(&mut ctx.command(&args), &args);
    assert!(!text.contains(PASSWORD), "the password leaked:\n{text}");
    // It ends with each file's sha256, on a line of its own within 80 columns.
    let sha256 = format!("\n  sha256:{}\n", sha256_of(&sdist_path));
    assert!(raw.contains(&sha256), "{raw}");
    let end = raw.rsplit_once("    Finished").unwrap().0;
    assert!(end.ends_with(&sha256), "{raw}");
    for line in raw.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    assert_transcript!("publish_dry_run", &text);
}
