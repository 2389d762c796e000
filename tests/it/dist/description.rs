//! Long descriptions (rendered reStructuredText included), several artifacts
//! of one release, and a test per rule.

use super::*;
use crate::support;

#[test]
fn description_missing() {
    check_meta_both(replace(BODY, "\n"), &["description-missing"]);
    check_meta_both(replace(BODY, "\nUNKNOWN\n"), &["description-missing"]);
}

#[test]
fn description_content_type_missing() {
    check_meta_both(replace(MD_TYPE, ""), &["description-content-type-missing"]);
}

#[test]
fn description_content_type_invalid() {
    for t in [
        "text/html",
        "text/plain; charset=latin-1",
        "text/markdown; variant=gfm",
    ] {
        let to = format!("Description-Content-Type: {t}\n");
        let edit = move |m: &str| swap(m, MD_TYPE, &to);
        check_meta_both(edit, &["description-content-type-invalid"]);
    }
}

#[test]
fn description_rst() {
    let dir = TempDir::new().unwrap();
    let path = rst_wheel(BAD_RST, Some("text/x-rst")).write(dir.path());
    let failing = CheckOptions {
        python: Some(fake_python(1)),
        ..CheckOptions::default()
    };
    let d = run(&path, &failing);
    assert_rules(&d, &["description-rst"]);
    assert!(d[0].message.contains("Unexpected indentation"), "{}", d[0]);
    // Markdown and plain text are never sent to the renderer.
    let md = wheel().write(dir.path());
    assert_rules(&run(&md, &failing), &[]);
}

/// Set in the child process of the test below.
const RST_CHILD: &str = "CARGO_PYPI_TEST_RST_CHILD";

#[test]
fn description_rst_uses_cargo_pypi_python_when_no_option_is_given() {
    // The variable is read from the environment the tests share, so the check
    // runs in a child process of its own that has it set.
    if std::env::var_os(RST_CHILD).is_none() {
        let name = "description_rst_uses_cargo_pypi_python_when_no_option_is_given";
        let mut child = support::child_test(module_path!(), name);
        child
            .env(RST_CHILD, "1")
            .env(dist::PYTHON_ENV, fake_python(1));
        support::run_child_test(child);
        return;
    }
    let dir = TempDir::new().unwrap();
    let path = rst_wheel(BAD_RST, None).write(dir.path());
    let d = run(&path, &CheckOptions::default());
    assert_rules(&d, &["description-rst", "description-content-type-missing"]);
}

#[test]
fn description_rst_unchecked() {
    let dir = TempDir::new().unwrap();
    let path = rst_wheel(GOOD_RST, Some("text/x-rst")).write(dir.path());
    // A Python that cannot make a venv either, and none at all.
    for python in [fake_python(3), PathBuf::from("/nonexistent/python3")] {
        let options = CheckOptions {
            python: Some(python.clone()),
            ..CheckOptions::default()
        };
        let d = run(&path, &options);
        assert_rules(&d, &["description-rst-unchecked"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(
            d[0].message.contains(&*python.to_string_lossy()),
            "{}",
            d[0]
        );
    }
}

/// Set in the child processes of the tests below.
const PROVISION_CHILD: &str = "CARGO_PYPI_TEST_PROVISION_CHILD";

/// Runs test `name` again in a child whose `CARGO_PYPI_PYTHON` has no
/// readme_renderer (a bare venv of the test venv's Python) and whose cache
/// folder is `cache`, with `envs`; false when there is no Python to do it with.
fn in_child_without_renderer(name: &str, cache: &Path, envs: &[(&str, &Path)]) -> bool {
    let Some(base) = std::env::var_os(dist::PYTHON_ENV) else {
        println!("note: {name}: skipped, no Python (set CARGO_PYPI_PYTHON)");
        return false;
    };
    let bare = cache.parent().unwrap().join("bare");
    let made = Command::new(base)
        .args(["-m", "venv", "--without-pip"])
        .arg(&bare)
        .status()
        .unwrap();
    assert!(made.success());
    let mut child = support::child_test(module_path!(), name);
    child
        .env(PROVISION_CHILD, "1")
        .env(support::env::CACHE_DIR, cache)
        .env(dist::PYTHON_ENV, bare.join("bin/python"));
    for (key, value) in envs {
        child.env(key, value);
    }
    support::run_child_test(child);
    true
}

/// Without readme_renderer, check-dist installs it once into the user's
/// cache folder and renders as PyPI does (an error, not a shrug).
#[test]
fn description_rst_installs_readme_renderer_when_missing() {
    let name = "description_rst_installs_readme_renderer_when_missing";
    if std::env::var_os(PROVISION_CHILD).is_none() {
        let dir = TempDir::new().unwrap();
        let cache = dir.path().join("cache");
        if in_child_without_renderer(name, &cache, &[]) {
            let venv = cache.join("cargo-pypi/readme-renderer/venv/bin/python");
            assert!(venv.exists(), "no copy at {}", venv.display());
        }
        return;
    }
    let dir = TempDir::new().unwrap();
    let bad = rst_wheel(BAD_RST, Some("text/x-rst")).write(dir.path());
    assert_rules(&run(&bad, &CheckOptions::default()), &["description-rst"]);
    // The second check finds the copy in place.
    let started = std::time::Instant::now();
    let good = rst_wheel(GOOD_RST, Some("text/x-rst")).write(dir.path());
    assert_rules(&run(&good, &CheckOptions::default()), &[]);
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

/// When installing fails (offline: pip finds nothing), the check fails and
/// says how to install it, naming the Python it used.
#[test]
fn description_rst_without_renderer_offline_is_an_error_naming_the_python() {
    let name = "description_rst_without_renderer_offline_is_an_error_naming_the_python";
    if std::env::var_os(PROVISION_CHILD).is_none() {
        let dir = TempDir::new().unwrap();
        let (cache, empty) = (dir.path().join("cache"), dir.path().join("empty"));
        std::fs::create_dir(&empty).unwrap();
        let envs = [
            ("PIP_NO_INDEX", Path::new("1")),
            ("PIP_FIND_LINKS", empty.as_path()),
        ];
        in_child_without_renderer(name, &cache, &envs);
        return;
    }
    let dir = TempDir::new().unwrap();
    let path = rst_wheel(GOOD_RST, Some("text/x-rst")).write(dir.path());
    let d = run(&path, &CheckOptions::default());
    assert_rules(&d, &["description-rst-unchecked"]);
    let python = std::env::var(dist::PYTHON_ENV).unwrap();
    for part in [
        python.as_str(),
        "CARGO_PYPI_PYTHON",
        "-m pip install readme-renderer",
    ] {
        assert!(d[0].message.contains(part), "{part:?} not in {}", d[0]);
    }
}

// ---------------------------------------------------------------- releases

#[test]
fn release_multiple_sdists() {
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let paths = vec![
        sdist().write(a.path()),
        sdist().write(b.path()),
        wheel().write(a.path()),
    ];
    let (_, d) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&d, &["release-multiple-sdists"]);
    assert_eq!(d.len(), 2, "{d:#?}");
}

/// Two releases' sdists are two releases (each may have its sdist), not two
/// sdists of one release.
#[test]
fn release_multiple_sdists_counts_per_release() {
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let mut newer = sdist().meta("Version: 1.2.0", "Version: 1.3.0");
    newer.file = "demo_pkg-1.3.0.tar.gz".into();
    newer.top = "demo_pkg-1.3.0".into();
    let paths = vec![sdist().write(a.path()), newer.write(a.path())];
    let (_, d) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&d, &["release-mixed"]);
    // Two of 1.2.0 and one of 1.3.0: the two are reported, naming 1.2.0.
    let paths = vec![
        sdist().write(a.path()),
        sdist().write(b.path()),
        newer.write(a.path()),
    ];
    let (_, d) = dist::check(&paths, &opts()).unwrap();
    let multiple: Vec<&Diagnostic> = d
        .iter()
        .filter(|d| d.rule == "release-multiple-sdists")
        .collect();
    assert_eq!(multiple.len(), 2, "{d:#?}");
    assert!(multiple.iter().all(|d| d.file == SDIST), "{d:#?}");
    assert!(multiple[0].message.contains("1.2.0"), "{}", multiple[0]);
}

#[test]
fn release_mixed() {
    let dir = TempDir::new().unwrap();
    let mut newer = sdist().meta("Version: 1.2.0", "Version: 1.3.0");
    newer.file = "demo_pkg-1.3.0.tar.gz".into();
    newer.top = "demo_pkg-1.3.0".into();
    let paths = vec![wheel().write(dir.path()), newer.write(dir.path())];
    let (_, d) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&d, &["release-mixed"]);
    // The same release spelled differently is one release.
    let mut spelled = sdist()
        .meta("Name: demo-pkg", "Name: Demo.Pkg")
        .meta("Version: 1.2.0", "Version: 1.2");
    spelled.file = "demo_pkg-1.2.tar.gz".into();
    spelled.top = "demo_pkg-1.2".into();
    let paths = vec![wheel().write(dir.path()), spelled.write(dir.path())];
    let (_, d) = dist::check(&paths, &opts()).unwrap();
    assert_rules(&d, &[]);
}

#[test]
fn every_rule_has_a_test_here() {
    // Every file of this module, read as it is now.
    let mut source = String::new();
    for entry in std::fs::read_dir(support::root().join("tests/it/dist")).unwrap() {
        source += &std::fs::read_to_string(entry.unwrap().path()).unwrap();
    }
    let missing: Vec<&str> = rules::ALL
        .iter()
        .map(|r| r.id)
        .filter(|id| {
            !source.contains(&format!("&[\"{id}\""))
                && !source.contains(&format!("\"{id}\"]"))
                && !source.contains(&format!("contains(\"{id}\")"))
        })
        .collect();
    assert!(missing.is_empty(), "rules without a test: {missing:?}");
    let unique: BTreeSet<&str> = rules::ALL.iter().map(|r| r.id).collect();
    assert_eq!(unique.len(), rules::ALL.len());
}
