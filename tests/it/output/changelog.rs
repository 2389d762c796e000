//! What users read about the changelog: a section added without notes, an
//! empty Unreleased rotated, towncrier and note-only files in `status`, the
//! fix `check` names, and the one refusal left.

use crate::changelog::bump::with_changelog;
use crate::support::{assert_transcript, TestContext};

#[test]
fn bump_adds_a_section_to_an_rst_changelog() {
    let ctx = with_changelog("changes.rst", "1.2.0");
    let text = ctx.transcript(&["bump", "patch", "--dry-run"]);
    assert_transcript!("bump_changelog_added", &text);
}

#[test]
fn bump_rotates_an_empty_unreleased_section() {
    let ctx = TestContext::fixture("static-version");
    let path = ctx.path().join("CHANGELOG.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("- `answer()` is now documented.\n", "")).unwrap();
    assert_transcript!(
        "bump_changelog_empty_unreleased",
        &ctx.transcript(&["bump", "patch"])
    );
}

#[test]
fn bump_refused_when_unreleased_notes_meet_a_written_section() {
    let ctx = TestContext::fixture("static-version");
    let path = ctx.path().join("CHANGELOG.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let ahead = "## [1.3.1] - 2026-11-20\n\n- Written ahead.\n\n## [1.3.0]";
    std::fs::write(&path, text.replacen("## [1.3.0]", ahead, 1)).unwrap();
    assert_transcript!(
        "bump_changelog_conflict",
        &ctx.transcript(&["bump", "patch"])
    );
}

#[test]
fn status_of_a_towncrier_changelog() {
    let ctx = with_changelog("kac-released.md", "1.3.0");
    std::fs::create_dir(ctx.path().join("changelog.d")).unwrap();
    assert_transcript!("status_changelog_towncrier", &ctx.transcript(&["status"]));
}

#[test]
fn status_of_a_file_without_version_headings() {
    let ctx = with_changelog("notes-moved.md", "1.2.0");
    assert_transcript!(
        "status_changelog_not_a_changelog",
        &ctx.transcript(&["status"])
    );
}

#[test]
fn check_without_a_section_for_the_version() {
    let ctx = with_changelog("kac-released.md", "1.3.0");
    assert_transcript!("check_changelog_missing", &ctx.transcript(&["check"]));
}
