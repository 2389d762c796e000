//! Error output for bad input: invalid TOML, an unknown bump level, and
//! arguments the command line parser refuses.

use crate::support::{assert_transcript, TestContext};

#[test]
fn invalid_toml() {
    let ctx = TestContext::fixture("bad-toml");
    assert_transcript!("error_invalid_toml", &ctx.transcript(&["check"]));
}

#[test]
fn unknown_bump_level() {
    let ctx = TestContext::fixture("static-version");
    let text = ctx.transcript(&["bump", "sideways"]);
    assert_transcript!("error_unknown_bump_level", &text);
}

#[test]
fn a_version_that_does_not_increase() {
    let ctx = TestContext::fixture("static-version");
    let text = ctx.transcript(&["bump", "1.2.0"]);
    assert_transcript!("error_version_not_increasing", &text);
}

#[test]
fn a_changelog_date_that_is_not_a_date() {
    let ctx = TestContext::fixture("static-version");
    let text = ctx.transcript(&["bump", "patch", "--date", "2026-13-01"]);
    assert_transcript!("error_bad_date", &text);
}

#[test]
fn missing_bump_level() {
    let ctx = TestContext::fixture("static-version");
    assert_transcript!("error_missing_level", &ctx.transcript(&["bump"]));
}

#[test]
fn unknown_output_format() {
    let ctx = TestContext::fixture("static-version");
    let text = ctx.transcript(&["status", "--format", "xml"]);
    assert_transcript!("error_unknown_format", &text);
}
