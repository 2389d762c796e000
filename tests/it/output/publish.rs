//! `publish --dry-run` against a real pypiserver, with hand-made artifacts.

use crate::support::index::{sdist, wheel, Pypiserver, PASSWORD, USER};
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
    sdist(&dist, "bintool", "0.2.0", "release");
    wheel(&dist, "bintool", "0.2.0", "py3-none-any", "", b"release");
    let url = format!("{}/", server.base());
    let text = ctx.transcript(&["publish", "--repository-url", &url, "--dry-run"]);
    assert!(!text.contains(PASSWORD), "the password leaked:\n{text}");
    assert_transcript!("publish_dry_run", &text);
}
