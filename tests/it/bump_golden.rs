//! `bump patch` on every fixture, compared file by file with golden results:
//! changed files must equal `tests/golden/bump/<fixture>/<path>`, every other
//! file must stay byte for byte, and `check` must pass afterwards.

use crate::support::{assert_golden, root, tree, OutputExt, TestContext};

fn bump_matches_golden(name: &str, level: &str) {
    let ctx = TestContext::fixture(name);
    let before = tree(ctx.path());
    let out = ctx.run(&["bump", level]);
    assert!(
        out.status.success(),
        "bump {level} failed on {name}: {}",
        out.stderr()
    );
    let after = tree(ctx.path());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no file appears or disappears"
    );
    let golden_dir = root()
        .join("tests/golden/bump")
        .join(format!("{name}-{level}"));
    let mut changed = Vec::new();
    for (path, bytes) in &after {
        if before[path] != *bytes {
            assert_golden(&golden_dir.join(path), bytes);
            changed.push(path.clone());
        } else {
            assert!(
                !golden_dir.join(path).exists(),
                "{} has a golden file but did not change",
                path.display()
            );
        }
    }
    assert!(!changed.is_empty(), "bump changed nothing in {name}");
    let check = ctx.run(&["check"]);
    assert!(
        check.status.success(),
        "check after bump failed on {name}: {}",
        check.stderr()
    );
}

#[test]
fn pyo3_dynamic() {
    bump_matches_golden("pyo3-dynamic", "patch");
}

#[test]
fn static_version() {
    bump_matches_golden("static-version", "patch");
}

#[test]
fn static_version_rc() {
    bump_matches_golden("static-version", "rc");
}

#[test]
fn workspace_inherit() {
    bump_matches_golden("workspace-inherit", "minor");
}

#[test]
fn python_subfolder() {
    bump_matches_golden("python-subfolder", "patch");
}

#[test]
fn bin_bindings() {
    bump_matches_golden("bin-bindings", "patch");
}

#[test]
fn setuptools_rust() {
    bump_matches_golden("setuptools-rust", "patch");
}

#[test]
fn two_lines_leaves_the_internal_line_alone() {
    bump_matches_golden("two-lines", "patch");
}

#[test]
fn lock_thirdparty_never_touches_the_registry_crate() {
    bump_matches_golden("lock-thirdparty", "major");
}

#[test]
fn config_files() {
    bump_matches_golden("config-files", "dev");
}
