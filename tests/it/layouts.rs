//! Real project layouts: the sdists of popular Rust/Python packages hold their
//! Cargo.toml, Cargo.lock, pyproject.toml and often the changelog, as their
//! maintainers keep them. Each one, unpacked into a fresh git repository, must
//! pass `check` as published, and `bump patch` must change exactly the files
//! that project's maintainer changes for a release (the expectation and its
//! reason are written beside each), and nothing else; `check` passes after.
//!
//! The sdists are those of the check-dist corpus (`scripts/corpus.sh`, run by
//! scripts/test.sh, downloads them into `target/corpus`). Without them the
//! test fails in CI and is skipped with a note elsewhere.

use crate::support::{self, git, git_init, OutputExt, TestContext};
use std::path::Path;

/// One published layout: the corpus folder, the files `bump patch` must
/// change (relative to the sdist's root, sorted), an optional
/// `[tool.cargo-pypi]` table added first, and why.
struct Layout {
    release: &'static str,
    config: Option<&'static str>,
    changed: &'static [&'static str],
    why: &'static str,
}

const LAYOUTS: &[Layout] = &[
    Layout {
        release: "orjson-3.13.0",
        config: None,
        changed: &["CHANGELOG.md", "Cargo.lock", "Cargo.toml", "pyproject.toml"],
        why: "the crate and a static [project].version carry the version; CHANGELOG.md has a `## 3.13.0` heading written at release time (no Unreleased): a `## 3.13.1` section is added",
    },
    Layout {
        release: "pydantic-core-2.50.5",
        config: None,
        changed: &["Cargo.lock", "Cargo.toml"],
        why: "dynamic version (maturin takes it from Cargo); no changelog in the repository (GitHub releases)",
    },
    Layout {
        release: "rpds-py-2026.9.1",
        config: None,
        changed: &["Cargo.lock", "Cargo.toml"],
        why: "dynamic version; uv.lock has no entry of its own for a dynamic version (uv >= 0.5.20), so it does not change",
    },
    Layout {
        release: "jiter-0.19.0",
        config: None,
        changed: &["Cargo.lock", "Cargo.toml"],
        why: "[workspace.package].version, inherited by jiter and jiter-python, moves both; dynamic Python version",
    },
    Layout {
        release: "nh3-0.3.8",
        config: None,
        changed: &["Cargo.lock", "Cargo.toml"],
        why: "one crate, dynamic version",
    },
    Layout {
        release: "bcrypt-5.0.0",
        config: None,
        changed: &["pyproject.toml"],
        why: "setuptools-rust with a static version; the crate `bcrypt-rust` 0.1.0 is publish = false on another major: a line of its own that does not move. The Rust code also says \"5.0.0\" (`__version_ex__` in src/_bcrypt/src/lib.rs), which no rule can know: see the next entry",
    },
    Layout {
        release: "bcrypt-5.0.0",
        config: Some("files = [{ path = \"src/_bcrypt/src/lib.rs\", search = '\"__version_ex__\", \"{version}\"' }]"),
        changed: &["pyproject.toml", "src/_bcrypt/src/lib.rs"],
        why: "bcrypt's release also edits lib.rs: one `files` entry says so",
    },
    Layout {
        release: "watchfiles-1.3.0",
        config: None,
        changed: &["Cargo.lock", "Cargo.toml"],
        why: "dynamic version; uv.lock without an entry of its own",
    },
    Layout {
        release: "safetensors-0.8.0",
        config: None,
        changed: &["bindings/python/Cargo.lock", "bindings/python/Cargo.toml"],
        why: "the binding crate is built (tool.maturin manifest-path); the Rust library safetensors/Cargo.toml has a version of its own and is published on its own line",
    },
    Layout {
        release: "blake3-1.0.11",
        config: None,
        changed: &["Cargo.lock", "Cargo.toml"],
        why: "one crate, dynamic version",
    },
    Layout {
        release: "ormsgpack-1.13.1",
        config: None,
        changed: &["Cargo.lock", "Cargo.toml", "pyproject.toml"],
        why: "crate and static [project].version; no changelog in the sdist",
    },
    Layout {
        release: "css-inline-0.24.0",
        config: None,
        changed: &[
            "Cargo.lock",
            "crates/css-inline-python/CHANGELOG.md",
            "crates/css-inline-python/Cargo.toml",
        ],
        why: "the Python binding crate is built; its own CHANGELOG.md sits beside it and its Unreleased section is rotated; the Rust crate css-inline is released on its own line",
    },
    Layout {
        release: "rustworkx-0.18.1",
        config: None,
        changed: &["Cargo.lock", "Cargo.toml", "pyproject.toml", "uv.lock"],
        why: "[workspace.package].version (rustworkx and rustworkx-core), the `=0.18.1` requirement on rustworkx-core, a static [project].version; uv.lock's own entry is published behind (0.17.1): check warns, bump rewrites it",
    },
    Layout {
        release: "tiktoken-0.14.0",
        config: None,
        changed: &["CHANGELOG.md", "Cargo.toml", "pyproject.toml"],
        why: "setuptools-rust, crate and static version agree (no Cargo.lock in the sdist); CHANGELOG.md has release-time `## [v0.14.0]` headings",
    },
    Layout {
        release: "cryptography-50.0.2",
        config: None,
        changed: &["CHANGELOG.rst", "pyproject.toml", "src/cryptography/__about__.py"],
        why: "static 50.0.2 with `__version__` in __about__.py, and CHANGELOG.rst (rst, `.. _v50-0-2:` anchors). The Rust workspace is publish = false at 0.50.2, a scheme of its own that cryptography's release script also moves; no rule derives it",
    },
    Layout {
        release: "tokenizers-0.23.3",
        config: None,
        changed: &["bindings/python/Cargo.lock", "bindings/python/Cargo.toml"],
        why: "the binding crate is built; its CHANGELOG.md stops at 0.13.2 (notes moved to GitHub releases): stale, not checked or edited; the Rust library is on its own line (0.23.2)",
    },
    Layout {
        release: "jellyfish-1.3.0",
        config: None,
        changed: &["Cargo.toml", "docs/changelog.md"],
        why: "dynamic version; docs/changelog.md with `## 1.3.0 - date` headings: a section is added. Its .gitignore lists Cargo.lock (the sdist carries one anyway): bumped, but not a tracked change",
    },
];

/// The sdist of `release` unpacked into a fresh git repository.
fn unpack(sdist: &Path) -> TestContext {
    let ctx = TestContext::empty();
    let file = std::fs::File::open(sdist).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let unpacked = tempfile::tempdir().unwrap();
    archive.unpack(unpacked.path()).unwrap();
    let top = std::fs::read_dir(unpacked.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    support::copy_dir(&top.path(), ctx.path());
    git_init(ctx.path());
    ctx
}

fn sdist_of(release: &str) -> Option<std::path::PathBuf> {
    let dir = support::corpus_dir().join(release);
    let entries = std::fs::read_dir(dir).ok()?;
    let mut sdists = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".tar.gz")));
    sdists.next()
}

#[test]
fn real_layouts_pass_check_and_bump_exactly_what_their_maintainers_bump() {
    if !support::corpus_dir().join("PROJECTS").is_file() {
        let why = "no corpus: run scripts/corpus.sh (scripts/test.sh does)";
        assert!(std::env::var_os("CI").is_none(), "{why}");
        println!("note: real layouts skipped, {why}");
        return;
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for layout in LAYOUTS {
        let sdist = sdist_of(layout.release)
            .unwrap_or_else(|| panic!("{}: no sdist in the corpus", layout.release));
        let ctx = unpack(&sdist);
        if let Some(config) = layout.config {
            let path = ctx.path().join("pyproject.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, format!("{text}\n[tool.cargo-pypi]\n{config}\n")).unwrap();
            git(ctx.path(), &["commit", "-qam", "cargo-pypi config"]);
        }
        if let Err(e) = judge(&ctx, layout) {
            failures.push(format!(
                "{}: {e}\n  expected because: {}",
                layout.release, layout.why
            ));
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} layouts checked");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn judge(ctx: &TestContext, layout: &Layout) -> Result<(), String> {
    for args in [&["status"][..], &["check"]] {
        let out = ctx.run(args);
        if !out.status.success() {
            return Err(format!(
                "{args:?} failed:\n{}{}",
                out.stdout(),
                out.stderr()
            ));
        }
    }
    let out = ctx.run(&["bump", "patch", "--dry-run"]);
    let clean = git(ctx.path(), &["status", "--porcelain"]).is_empty();
    if !out.status.success() || !clean {
        return Err(format!("bump --dry-run failed or wrote:\n{}", out.stderr()));
    }
    let out = ctx.run(&["bump", "patch"]);
    if !out.status.success() {
        return Err(format!("bump patch failed:\n{}", out.stderr()));
    }
    // Tracked files only: a lock file the project's .gitignore lists is bumped
    // but is no change a maintainer commits.
    let changed = git(ctx.path(), &["diff", "--name-only"]);
    let changed: Vec<&str> = changed.lines().collect();
    if changed != layout.changed {
        return Err(format!(
            "bump patch changed {changed:?}, not {:?}",
            layout.changed
        ));
    }
    let out = ctx.run(&["check"]);
    if !out.status.success() {
        return Err(format!(
            "check after the bump failed:\n{}{}",
            out.stdout(),
            out.stderr()
        ));
    }
    Ok(())
}
