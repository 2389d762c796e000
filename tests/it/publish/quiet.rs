//! `-q` and `--format json` on `publish`: a successful upload prints its
//! report on stdout and nothing on stderr (no progress, no `Waiting` line),
//! as `build -q` does; with `--format json` stdout is the JSON report alone.
//! A failure prints the error alone, or one JSON error object (checked for
//! every failure path in `secrets::every_source`).

use crate::support::index::{Pypiserver, PASSWORD, USER};
use crate::support::{OutputExt, TestContext};

#[test]
fn quiet_and_json_publish_print_the_report_and_nothing_else() {
    let server = Pypiserver::start();
    let ctx = TestContext::fixture("bin-bindings")
        .git_root()
        .venv()
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", PASSWORD);
    assert!(ctx.run(&["build", "-q"]).status.success());
    let url = format!("{}/", server.base());
    let out = ctx.run(&["publish", "--repository-url", &url, "-q"]);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(out.stderr(), "", "-q prints nothing on stderr");
    let stdout = out.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(lines[0].starts_with("release: "), "{lines:?}");
    for file in lines[1..].chunks(2) {
        assert!(file[0].ends_with("  uploaded"), "{lines:?}");
        assert!(file[1].starts_with("  sha256:"), "{lines:?}");
    }

    // Again as JSON: every file already there, stdout is the JSON report alone.
    let out = ctx.run(&["publish", "--repository-url", &url, "--format", "json"]);
    assert!(out.status.success(), "{}", out.all());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["outcome"], "already-there", "{report}");
}
