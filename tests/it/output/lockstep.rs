//! `status`, `check` (agreeing and drifting) and `bump` (dry run, and with a
//! commit and tag) as users read them.

use crate::support::{assert_transcript, TestContext};

#[test]
fn status() {
    let ctx = TestContext::fixture("workspace-inherit");
    assert_transcript!("status", &ctx.transcript(&["status"]));
}

#[test]
fn status_of_a_static_version() {
    let ctx = TestContext::fixture("static-version");
    assert_transcript!("status_static_version", &ctx.transcript(&["status"]));
}

#[test]
fn check_when_sources_agree() {
    let ctx = TestContext::fixture("workspace-inherit");
    assert_transcript!("check_agreeing", &ctx.transcript(&["check"]));
}

#[test]
fn check_when_sources_drift() {
    let ctx = TestContext::fixture("disagree");
    assert_transcript!("check_drifting", &ctx.transcript(&["check"]));
}

#[test]
fn bump_dry_run() {
    let ctx = TestContext::fixture("workspace-inherit");
    let text = ctx.transcript(&["bump", "minor", "--dry-run"]);
    assert_transcript!("bump_dry_run", &text);
}

#[test]
fn bump_with_a_tag() {
    let ctx = TestContext::fixture("workspace-inherit").git_init();
    let text = ctx.transcript(&["bump", "minor", "--tag"]);
    assert_transcript!("bump_tag", &text);
}

#[test]
fn bump_refused_while_sources_drift() {
    let ctx = TestContext::fixture("disagree");
    let text = ctx.transcript(&["bump", "patch"]);
    assert_transcript!("bump_refused_drifting", &text);
}
