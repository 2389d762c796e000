//! The maturin build: `maturin sdist`, then the sdist unpacked into a fresh
//! temporary folder and `maturin build --release` run inside it, so the wheel
//! is built from exactly what the sdist holds.
//!
//! maturin's sdist puts pyproject.toml at its top and rewrites
//! `[tool.maturin] manifest-path` to the manifest's place inside the sdist
//! (a workspace keeps its layout: `bindings/python/Cargo.toml`; a pyproject in
//! a subfolder gets `python/Cargo.toml`), so maturin run at the top finds the
//! crate by itself; the layout is checked first so that a missing manifest is
//! reported as a problem of the sdist.
//!
//! The sdist's entries carry a fixed old mtime. Unpacked with it, cargo would
//! take a changed source for up to date against the shared target folder and
//! reuse the previous build; the files are therefore unpacked with the current
//! time, so the project's own crates are always recompiled while registry
//! dependencies stay cached in the target folder.

use super::artifacts;
use super::error::BuildError;
use super::tools::{Maturin, Python};
use crate::display::file_name;
use crate::ops::process::{self, OutputMode};
use crate::report::Reporter;
use crate::toml_doc::TomlFile;
use crate::toml_path;
use std::path::{Path, PathBuf};

/// Builds the sdist and the wheel of the project in `package_dir` into `staging`.
pub(crate) fn build(
    maturin: &Maturin,
    python: Option<&Python>,
    package_dir: &Path,
    staging: &Path,
    output: OutputMode,
    reporter: &dyn Reporter,
) -> Result<(), BuildError> {
    let sdist_cmd = maturin
        .base
        .clone()
        .args(["sdist", "--out"])
        .arg(staging)
        .dir(package_dir);
    reporter.verbose(&format!("running `{}`", sdist_cmd.display()));
    process::run(&sdist_cmd, output).map_err(|e| BuildError::command(e, None))?;

    let sdist = single_sdist(staging)?;
    let unpacked = tempfile::Builder::new()
        .prefix("cargo-pypi-sdist-")
        .tempdir()
        .map_err(|e| BuildError::io(std::env::temp_dir(), e))?;
    let top = unpack(&sdist, unpacked.path())?;
    check_layout(&sdist, &top)?;
    reporter.verbose(&format!(
        "building the wheel from the contents of {} (unpacked in {})",
        file_name(&sdist),
        top.display()
    ));

    let mut wheel_cmd = maturin
        .base
        .clone()
        .args(["build", "--release", "--out"])
        .arg(staging)
        .dir(&top);
    if let Some(python) = python {
        wheel_cmd = wheel_cmd.arg("--interpreter").arg(&python.exe);
    }
    reporter.verbose(&format!("running `{}`", wheel_cmd.display()));
    process::run(&wheel_cmd, output).map_err(|e| {
        let hint = format!(
            "the wheel is built from the sdist's contents, not from the source tree: if the \
             project builds from its tree, a file the build needs is missing from {} \
             (list it with `tar tzf`, and add the file with `include` in [tool.maturin] \
             or drop it from `exclude` in Cargo.toml)",
            file_name(&sdist)
        );
        BuildError::command(e, Some(hint))
    })?;
    Ok(())
}

/// The one `.tar.gz` maturin wrote into `staging`.
fn single_sdist(staging: &Path) -> Result<PathBuf, BuildError> {
    let mut found: Vec<PathBuf> = artifacts::list(staging)?
        .into_iter()
        .filter(|p| file_name(p).ends_with(".tar.gz"))
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        n => Err(BuildError::Failed(format!(
            "`maturin sdist` wrote {n} .tar.gz files into {} where one was expected; \
             run it by hand to see what it produces",
            staging.display()
        ))),
    }
}

/// Unpacks `sdist` into `into` with fresh mtimes; returns its top folder.
pub(crate) fn unpack(sdist: &Path, into: &Path) -> Result<PathBuf, BuildError> {
    let file = std::fs::File::open(sdist).map_err(|e| BuildError::io(sdist, e))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    archive.set_preserve_mtime(false);
    archive
        .unpack(into)
        .map_err(|e| BuildError::Failed(format!("cannot unpack {}: {e}", sdist.display())))?;
    let mut tops = Vec::new();
    for entry in std::fs::read_dir(into).map_err(|e| BuildError::io(into, e))? {
        let entry = entry.map_err(|e| BuildError::io(into, e))?;
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            tops.push(entry.path());
        }
    }
    match tops.len() {
        1 => Ok(tops.remove(0)),
        n => Err(BuildError::Failed(format!(
            "{} has {n} top-level folders where an sdist has one (`name-version/`)",
            sdist.display()
        ))),
    }
}

/// Checks the unpacked sdist has pyproject.toml at its top and the crate maturin will build.
fn check_layout(sdist: &Path, top: &Path) -> Result<(), BuildError> {
    let name = file_name(sdist);
    let pyproject = top.join("pyproject.toml");
    if !pyproject.is_file() {
        return Err(BuildError::Failed(format!(
            "{name} has no pyproject.toml at its top, so no wheel can be built from it"
        )));
    }
    let file = TomlFile::read(&pyproject)
        .map_err(|e| BuildError::Failed(format!("{name}: the pyproject.toml in the sdist: {e}")))?;
    let configured = file
        .get(&toml_path!["tool", "maturin", "manifest-path"])
        .and_then(|i| i.as_str())
        .map(str::to_string);
    let manifest = match &configured {
        Some(path) => path.clone(),
        None if !top.join("Cargo.toml").is_file() && top.join("rust/Cargo.toml").is_file() => {
            "rust/Cargo.toml".into()
        }
        None => "Cargo.toml".into(),
    };
    if top.join(&manifest).is_file() {
        return Ok(());
    }
    let origin = match configured {
        Some(_) => "named by `[tool.maturin] manifest-path`",
        None => "where maturin looks without `[tool.maturin] manifest-path`",
    };
    Err(BuildError::Failed(format!(
        "{name} has no {manifest} ({origin}), so no wheel can be built from it: \
         check `include`/`exclude` in [tool.maturin] and Cargo.toml"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sdist_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo-1.0.0.tar.gz");
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&path).unwrap(),
            flate2::Compression::fast(),
        );
        let mut builder = tar::Builder::new(gz);
        for (name, text) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(1_153_700_000); // 2006, like maturin's sdists
            header.set_cksum();
            builder
                .append_data(&mut header, format!("demo-1.0.0/{name}"), text.as_bytes())
                .unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap();
        (dir, path)
    }

    #[test]
    fn unpacks_with_fresh_mtimes_and_checks_the_manifest() {
        let (_keep, sdist) = sdist_with(&[
            (
                "pyproject.toml",
                "[tool.maturin]\nmanifest-path = \"py/Cargo.toml\"\n",
            ),
            ("py/Cargo.toml", "[package]\n"),
        ]);
        let into = tempfile::tempdir().unwrap();
        let top = unpack(&sdist, into.path()).unwrap();
        assert_eq!(top, into.path().join("demo-1.0.0"));
        let modified = std::fs::metadata(top.join("py/Cargo.toml"))
            .unwrap()
            .modified()
            .unwrap();
        let age = std::time::SystemTime::now()
            .duration_since(modified)
            .unwrap_or_default();
        assert!(age.as_secs() < 3600, "mtime kept from the archive: {age:?}");
        check_layout(&sdist, &top).unwrap();
    }

    #[test]
    fn a_missing_manifest_is_a_problem_of_the_sdist() {
        let (_keep, sdist) = sdist_with(&[(
            "pyproject.toml",
            "[tool.maturin]\nmanifest-path = \"bindings/Cargo.toml\"\n",
        )]);
        let into = tempfile::tempdir().unwrap();
        let top = unpack(&sdist, into.path()).unwrap();
        let err = check_layout(&sdist, &top).unwrap_err().to_string();
        assert!(
            err.starts_with("demo-1.0.0.tar.gz has no bindings/Cargo.toml"),
            "{err}"
        );
    }
}
