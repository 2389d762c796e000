//! Against the real tools: readme_renderer, `twine check` verdicts on the same
//! files, and maturin's own artifacts.

use super::*;

// ---------------------------------------------------------------- real tools

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `name` in the test venv (`CARGO_PYPI_TEST_VENV`, made by scripts/test.sh).
fn venv_tool(name: &str) -> Option<PathBuf> {
    let venv = env_path("CARGO_PYPI_TEST_VENV")?;
    let path = venv.join("bin").join(name);
    path.exists().then_some(path)
}

fn twine() -> Option<PathBuf> {
    env_path("CARGO_PYPI_TWINE").or_else(|| venv_tool("twine"))
}

fn has_readme_renderer(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import readme_renderer.rst"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A Python with readme_renderer: `$CARGO_PYPI_PYTHON`, the one beside twine, or the shared venv's.
fn real_python() -> Option<PathBuf> {
    let beside_twine = twine().and_then(|t| t.parent().map(|d| d.join("python")));
    [
        env_path(dist::PYTHON_ENV),
        beside_twine,
        venv_tool("python"),
    ]
    .into_iter()
    .flatten()
    .find(|p| has_readme_renderer(p))
}

fn skip(test: &str, what: &str) {
    println!("note: {test}: skipped, {what}");
}

#[test]
fn real_readme_renderer_judges_rst() {
    let Some(python) = real_python() else {
        return skip(
            "real_readme_renderer_judges_rst",
            "no Python with readme_renderer (set CARGO_PYPI_PYTHON)",
        );
    };
    let options = CheckOptions {
        python: Some(python),
        ..CheckOptions::default()
    };
    let dir = TempDir::new().unwrap();
    let bad = rst_wheel(BAD_RST, Some("text/x-rst")).write(dir.path());
    assert_rules(&run(&bad, &options), &["description-rst"]);
    let good = rst_wheel(GOOD_RST, Some("text/x-rst")).write(dir.path());
    assert_rules(&run(&good, &options), &[]);
    // Metadata 1.x style: the description in a folded header.
    let mut header = rst_wheel("", None);
    header.metadata = format!(
        "{}\nDescription: Demo\n        |====\n        |\n        |Hello *world*.\n        |\n",
        header.metadata.trim_end()
    );
    assert_rules(
        &run(&header.write(dir.path()), &options),
        &["description-content-type-missing"],
    );
    let mut broken = rst_wheel("", None);
    broken.metadata = format!(
        "{}\nDescription: Demo\n        |==\n        |\n        |Hello *world.\n",
        broken.metadata.trim_end()
    );
    assert_rules(
        &run(&broken.write(dir.path()), &options),
        &["description-rst", "description-content-type-missing"],
    );
}

/// The verdict of `twine check` on a file: true when it passes (warnings allowed).
fn twine_passes(twine: &Path, file: &Path) -> bool {
    let out = Command::new(twine)
        .arg("check")
        .arg(file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    out.status.success()
}

fn our_verdict(diagnostics: &[Diagnostic]) -> bool {
    !diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Artifacts whose verdict twine and we should share: (what, bytes, file name, passes).
fn twine_cases() -> Vec<(&'static str, Vec<u8>, &'static str, bool)> {
    let w = |spec: WheelSpec| spec.bytes();
    let rst_sdist = sdist()
        .meta(MD_TYPE, "Description-Content-Type: text/x-rst\n")
        .meta(BODY, &format!("\n{BAD_RST}"));
    vec![
        ("valid wheel", w(wheel()), WHEEL, true),
        ("valid sdist", sdist().bytes(), SDIST, true),
        (
            "markdown description",
            w(rst_wheel(BAD_RST, Some("text/markdown"))),
            WHEEL,
            true,
        ),
        (
            "valid rst",
            w(rst_wheel(GOOD_RST, Some("text/x-rst"))),
            WHEEL,
            true,
        ),
        (
            "invalid rst",
            w(rst_wheel(BAD_RST, Some("text/x-rst"))),
            WHEEL,
            false,
        ),
        (
            "invalid rst by default",
            w(rst_wheel(BAD_RST, None)),
            WHEEL,
            false,
        ),
        (
            "missing description",
            w(rst_wheel("", Some("text/markdown"))),
            WHEEL,
            true,
        ),
        (
            "invalid requirement",
            w(wheel().headers("Requires-Dist: foo >>= 1")),
            WHEEL,
            false,
        ),
        (
            "unknown field",
            w(wheel().headers("X-Custom: 1")),
            WHEEL,
            false,
        ),
        ("invalid rst sdist", rst_sdist.bytes(), SDIST, false),
    ]
}

#[test]
fn verdicts_agree_with_twine_check() {
    let (Some(twine), Some(python)) = (twine(), real_python()) else {
        return skip(
            "verdicts_agree_with_twine_check",
            "no twine (set CARGO_PYPI_TWINE)",
        );
    };
    let options = CheckOptions {
        python: Some(python),
        ..CheckOptions::default()
    };
    for (what, bytes, file, expected) in twine_cases() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join(file);
        std::fs::write(&path, bytes).unwrap();
        let twine_says = twine_passes(&twine, &path);
        let ours = our_verdict(&run(&path, &options));
        assert_eq!(
            twine_says, expected,
            "twine on {what}: the case is not what it claims"
        );
        assert_eq!(
            ours, twine_says,
            "{what}: twine says {twine_says}, we say {ours}"
        );
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Builds the sdist and the wheel of a copy of `fixtures/{fixture}` with maturin.
fn maturin_build(maturin: &Path, fixture: &str, work: &Path) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    let project = work.join(fixture);
    copy_tree(&src, &project);
    let out = work.join(format!("{fixture}-dist"));
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dist-maturin-target");
    let path = std::env::join_paths(maturin.parent().into_iter().map(Path::to_path_buf).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    for args in [&["sdist", "-o"][..], &["build", "--release", "-o"][..]] {
        let output = Command::new(maturin)
            .args(args)
            .arg(&out)
            .current_dir(&project)
            .env("CARGO_TARGET_DIR", &target)
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "maturin {args:?} failed for {fixture}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    files
}

#[test]
fn real_maturin_artifacts_are_clean() {
    let Some(maturin) = env_path("CARGO_PYPI_MATURIN").or_else(|| venv_tool("maturin")) else {
        return skip(
            "real_maturin_artifacts_are_clean",
            "no maturin (set CARGO_PYPI_MATURIN)",
        );
    };
    let python = real_python();
    let options = CheckOptions {
        python: python.clone(),
        ..CheckOptions::default()
    };
    let work = TempDir::new().unwrap();
    for fixture in ["pyo3-dynamic", "bin-bindings"] {
        let files = maturin_build(&maturin, fixture, work.path());
        let (artifacts, d) = dist::check(&files, &options).unwrap();
        for d in &d {
            check_wording(d);
        }
        // The fixtures have no readme; a linux_* wheel is PyPI's to refuse.
        let mut expected = vec!["description-missing"];
        if artifacts
            .iter()
            .any(|a| a.path.to_string_lossy().contains("-linux_"))
        {
            expected.push("wheel-platform-tag");
        }
        assert_rules(&d, &expected);
        assert!(
            artifacts.iter().all(|a| a.metadata.is_some()),
            "{artifacts:#?}"
        );
        if let Some(twine) = twine() {
            for file in &files {
                assert!(
                    twine_passes(&twine, file),
                    "twine check fails on {}",
                    file.display()
                );
            }
        }
    }
}
