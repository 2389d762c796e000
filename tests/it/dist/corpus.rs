//! The real-artifact corpus: the sdist, a manylinux x86_64 wheel and a macOS
//! wheel of popular projects built with maturin or setuptools-rust, as PyPI
//! took them. `check-dist` must find no error in any; `twine check`'s verdict
//! on the same files is kept beside ours in the snapshot `check_dist_corpus`.
//!
//! `scripts/corpus.sh` (run by scripts/test.sh) downloads the files once into
//! `$CARGO_PYPI_CORPUS`, else `target/corpus`. Without them the test fails in
//! CI (`CI` set) and is skipped with a note elsewhere.

use super::*;
use crate::support::{self, assert_transcript};
use std::collections::BTreeMap;
use std::time::Instant;

/// One release of the corpus: its `FILES` header and its files.
struct Release {
    header: String,
    files: Vec<PathBuf>,
}

fn releases(dir: &Path) -> Option<Vec<Release>> {
    let list = std::fs::read_to_string(dir.join("PROJECTS")).ok()?;
    let read = |folder: &str| {
        let text = std::fs::read_to_string(dir.join(folder).join("FILES")).ok()?;
        let mut lines = text.lines();
        let header = lines.next()?.trim_start_matches("# ").to_string();
        let files = lines
            .filter_map(|l| l.split_whitespace().next())
            .map(|name| dir.join(folder).join(name))
            .collect();
        Some(Release { header, files })
    };
    list.lines().map(read).collect()
}

/// What built the wheels of a release, from the `Generator` of a WHEEL file.
fn generator(files: &[PathBuf]) -> String {
    let wheel = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "whl"));
    let read = |path: &PathBuf| -> Option<String> {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
        let name = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .find(|n| n.ends_with(".dist-info/WHEEL"))?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&name).ok()?, &mut text).ok()?;
        let found = text.lines().find_map(|l| l.strip_prefix("Generator:"));
        Some(found?.trim().replace(['(', ')'], ""))
    };
    wheel.and_then(read).unwrap_or_else(|| "?".to_string())
}

/// `twine check` on every file at once: the verdict by file name.
fn twine_verdicts(files: &[&PathBuf]) -> BTreeMap<String, String> {
    let Some(twine) = std::env::var_os("CARGO_PYPI_TWINE").filter(|v| !v.is_empty()) else {
        return BTreeMap::new();
    };
    // Wide, so that rich does not wrap the verdict lines.
    let out = Command::new(twine)
        .args(["--no-color", "check"])
        .args(files)
        .env("COLUMNS", "10000")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut verdicts = BTreeMap::new();
    for line in stdout.lines() {
        let Some((path, verdict)) = line
            .strip_prefix("Checking ")
            .and_then(|l| l.split_once(": "))
        else {
            continue;
        };
        let file = Path::new(path.trim()).file_name().unwrap();
        verdicts.insert(
            file.to_string_lossy().into_owned(),
            verdict.trim().to_string(),
        );
    }
    verdicts
}

/// Our verdict on one file: `ok`, or the errors, then the warnings' rule ids.
fn our_verdict(diagnostics: &[&Diagnostic]) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let mut warned: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.rule)
        .collect();
    warned.dedup();
    match (count(Severity::Error), warned.is_empty()) {
        (0, true) => "ok".to_string(),
        (0, false) => format!("ok, warnings: {}", warned.join(", ")),
        (n, _) => format!("{n} errors"),
    }
}

#[test]
fn check_dist_finds_no_error_in_the_real_corpus() {
    let dir = support::corpus_dir();
    let Some(releases) = releases(&dir) else {
        let why = format!("no corpus in {} (run scripts/corpus.sh)", dir.display());
        assert!(std::env::var_os("CI").is_none(), "{why}");
        println!("note: check_dist_finds_no_error_in_the_real_corpus: skipped, {why}");
        return;
    };
    // reStructuredText is rendered for real, as PyPI does.
    let options = CheckOptions {
        python: std::env::var_os(dist::PYTHON_ENV).map(PathBuf::from),
        ..CheckOptions::default()
    };
    let start = Instant::now();
    let mut table = String::from(
        "| project | wheels built by | file | check-dist | twine check |\n|---|---|---|---|---|\n",
    );
    let all: Vec<&PathBuf> = releases.iter().flat_map(|r| &r.files).collect();
    let twine = twine_verdicts(&all);
    let ours_took = Instant::now();
    let mut errors = Vec::new();
    for release in &releases {
        // One release at a time, as publish checks them.
        let (_, diagnostics) = dist::check(&release.files, &options).unwrap();
        let mut words = release.header.split_whitespace();
        let project = format!("{} {}", words.next().unwrap(), words.next().unwrap());
        let built = generator(&release.files);
        let note: Vec<&str> = words.filter(|w| !w.starts_with("built-with=")).collect();
        for path in &release.files {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let mine: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.file == file).collect();
            errors.extend(
                mine.iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| d.to_string()),
            );
            let theirs = twine.get(&file).map_or("not run", String::as_str);
            table += &format!(
                "| {project} | {built} | {file} | {} | {theirs} |\n",
                our_verdict(&mine)
            );
        }
        if !note.is_empty() {
            table += &format!("| {project} | | ({}) | | |\n", note.join(" "));
        }
    }
    eprintln!(
        "corpus: {} files of {} releases; check-dist {} ms, twine check {} ms",
        all.len(),
        releases.len(),
        ours_took.elapsed().as_millis(),
        (ours_took - start).as_millis()
    );
    assert!(releases.len() >= 16 && all.len() >= 45, "{table}");
    assert!(
        errors.is_empty(),
        "check-dist errors on files PyPI took:\n{}",
        errors.join("\n")
    );
    assert_transcript!("check_dist_corpus", &table);
}
