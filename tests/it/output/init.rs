//! `init` as users read it: the files written on a first run, the same run
//! again, and `--check` after the files drifted.

use crate::support::{assert_transcript, TestContext};

#[test]
fn init_then_again() {
    let ctx = TestContext::fixture("static-version").git_init();
    let text = ctx.transcript(&["init"]) + &ctx.transcript(&["init"]);
    assert_transcript!("init", &text);
}

#[test]
fn init_check_after_drift() {
    let ctx = TestContext::fixture("static-version").git_init();
    let fresh = ctx.transcript(&["init", "--check"]);
    ctx.run(&["init"]);
    let synced = ctx.transcript(&["init", "--check"]);
    ctx.edit(".github/workflows/release.yml", "--yes", "--yes -v");
    ctx.edit(".gitignore", ".env\n", "");
    let drifted = ctx.transcript(&["init", "--check"]);
    assert_transcript!("init_check", &(fresh + &synced + &drifted));
}
