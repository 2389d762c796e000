//! `check-dist` on a clean sdist and wheel, and on broken artifacts, made by
//! hand (no build needed).

use crate::support::index::{sdist, wheel};
use crate::support::{assert_transcript, TestContext};

/// bin-bindings with `dist/` holding files of its version 0.2.0.
fn project() -> TestContext {
    let ctx = TestContext::fixture("bin-bindings").git_root();
    std::fs::create_dir(ctx.path().join("dist")).unwrap();
    ctx
}

#[test]
fn check_dist_on_clean_artifacts() {
    let ctx = project();
    let dist = ctx.path().join("dist");
    sdist(&dist, "bintool", "0.2.0", "clean");
    wheel(&dist, "bintool", "0.2.0", "py3-none-any", "", b"clean");
    assert_transcript!("check_dist_clean", &ctx.transcript(&["check-dist"]));
}

#[test]
fn check_dist_on_broken_artifacts() {
    let ctx = project();
    let dist = ctx.path().join("dist");
    sdist(&dist, "bintool", "0.2.0", "broken");
    // A platform tag PyPI refuses, and a file that is no zip at all.
    wheel(
        &dist,
        "bintool",
        "0.2.0",
        "cp311-cp311-linux_x86_64",
        "",
        b"",
    );
    std::fs::write(dist.join("bintool-0.2.0-py3-none-any.whl"), b"not a zip").unwrap();
    assert_transcript!("check_dist_broken", &ctx.transcript(&["check-dist"]));
}
