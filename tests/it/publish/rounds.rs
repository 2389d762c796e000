//! Many small files to a far index: requests that can go together do, so a
//! publish waits for few answers one after another (regression: three probes
//! of the index's root, each alone, and 4 uploads at a time made twenty
//! wheels wait for 11 answers in a row).

use crate::support::index::{wheel, FaultProxy, Faults, Pypiserver, Seen, PASSWORD, USER};
use crate::support::{OutputExt, TestContext};
use std::time::Duration;

const DELAY: Duration = Duration::from_millis(300);

/// The longest chain of requests each sent after the previous one's answer:
/// how many answers the run waited for one after another.
fn rounds(seen: &[Seen]) -> usize {
    let mut by_start: Vec<&Seen> = seen.iter().collect();
    by_start.sort_by_key(|s| s.started);
    let mut chain = vec![1usize; by_start.len()];
    for i in 0..by_start.len() {
        for j in 0..i {
            if by_start[j].ended <= by_start[i].started {
                chain[i] = chain[i].max(chain[j] + 1);
            }
        }
    }
    chain.into_iter().max().unwrap_or(0)
}

#[test]
fn twenty_small_wheels_wait_for_six_answers_in_a_row() {
    let server = Pypiserver::start();
    let proxy = FaultProxy::start(
        server.port,
        Faults {
            delays: vec![DELAY; 100],
            get_delay: DELAY,
            ..Faults::default()
        },
    );
    // Outside a project: the files given are the release.
    let ctx = TestContext::empty();
    let dist = ctx.path().join("wheels");
    std::fs::create_dir(&dist).unwrap();
    let platforms = [
        "manylinux_2_17_x86_64",
        "musllinux_1_2_x86_64",
        "win_amd64",
        "macosx_11_0_arm64",
    ];
    let mut files = Vec::new();
    for python in ["cp39", "cp310", "cp311", "cp312", "cp313"] {
        for platform in platforms {
            let tag = format!("{python}-{python}-{platform}");
            let path = wheel(&dist, "many-small", "1.0.0", &tag, "", tag.as_bytes());
            files.push(path.to_string_lossy().into_owned());
        }
    }
    let url = format!("{}/", proxy.base());
    let mut args = vec!["publish", "--repository-url", &url, "--yes"];
    args.extend(files.iter().map(String::as_str));
    let out = ctx
        .command(&args)
        .env("TWINE_USERNAME", USER)
        .env("TWINE_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", out.stdout(), out.stderr());
    assert_eq!(server.files().len(), 20);
    let seen = proxy.seen();
    let first = seen.iter().map(|s| s.started).min().unwrap();
    let ms = |t: std::time::Instant| (t - first).as_millis();
    let shown: Vec<String> = (seen.iter())
        .map(|s| {
            format!(
                "{} {} {}-{} ms",
                s.method,
                s.path,
                ms(s.started),
                ms(s.ended)
            )
        })
        .collect();
    // The index's root is asked once, beside the project's listing; the
    // first wheel goes alone; the other 19 up to 8 at a time (3 rounds);
    // one listing proves them.
    let roots = seen.iter().filter(|s| s.path == "/simple/").count();
    assert_eq!(roots, 1, "{shown:#?}");
    assert!(
        rounds(&seen) <= 6,
        "{} rounds: {shown:#?}\n{}",
        rounds(&seen),
        out.stderr()
    );
}
