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

/// A file that went with attestations says so beside its outcome (they are
/// only sent to PyPI and TestPyPI, so the report is built by hand here).
#[test]
fn publish_summary_names_the_attestations_sent() {
    use cargo_pypi::commands::Render;
    use cargo_pypi::publish::upload::Outcome;
    use cargo_pypi::steps::publish::{FileOutcome, Report};
    let file = |name: &str, attestations| FileOutcome {
        file: name.into(),
        sha256: "ab".repeat(32),
        outcome: Outcome::Uploaded,
        attestations,
    };
    let report = Report {
        target: "pypi".into(),
        upload_url: "https://upload.pypi.org/legacy/".into(),
        credentials: Some("trusted publishing (GitHub Actions)".into()),
        files: vec![
            file("demo-1.0-py3-none-any.whl", 1),
            file("demo-1.0.tar.gz", 2),
            file("demo-1.0-py3-none-win_amd64.whl", 0),
        ],
        dry_run: false,
        listed: true,
        release_url: None,
        install: None,
    };
    let sha = "ab".repeat(32);
    assert_eq!(
        report.human(),
        format!(
            "demo-1.0-py3-none-any.whl  uploaded, with its attestation\n  sha256:{sha}\n\
             demo-1.0.tar.gz  uploaded, with 2 attestations\n  sha256:{sha}\n\
             demo-1.0-py3-none-win_amd64.whl  uploaded\n  sha256:{sha}\n"
        )
    );
}
