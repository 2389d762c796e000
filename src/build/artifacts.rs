//! The built files: reading name, version and platform from their file names,
//! checking them against the release, moving them from the staging folder
//! into the output folder, hashing them, and listing the other artifacts
//! already there (left in place, left out of the result).

use super::error::BuildError;
use super::BuiltFile;
use crate::display::file_name;
use crate::dist::filename::{file_name_part, normalize_name};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What a distribution's file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileName {
    pub name: String,
    pub version: String,
    /// Platform tags of a wheel (`manylinux_2_17_x86_64`, …); empty for an sdist.
    pub platforms: Vec<String>,
}

/// Reads a wheel (`name-version(-build)?-py-abi-platform.whl`) or an sdist
/// (`name-version.tar.gz` / `.zip`) file name; `None` for anything else.
pub(crate) fn parse_file_name(file: &str) -> Option<FileName> {
    if let Some(stem) = file.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        if !(5..=6).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        return Some(FileName {
            name: parts[0].to_string(),
            version: parts[1].to_string(),
            platforms: parts[parts.len() - 1]
                .split('.')
                .map(str::to_string)
                .collect(),
        });
    }
    let stem = file
        .strip_suffix(".tar.gz")
        .or_else(|| file.strip_suffix(".zip"))?;
    let (name, version) = stem.rsplit_once('-')?;
    (!name.is_empty() && !version.is_empty()).then(|| FileName {
        name: name.to_string(),
        version: version.to_string(),
        platforms: Vec::new(),
    })
}

/// Whether `file` names a distribution (wheel or sdist).
pub(crate) fn is_artifact(file: &str) -> bool {
    parse_file_name(file).is_some()
}

/// Checks that every file in `staged` carries `project` (when known) and `version`.
pub(crate) fn check_names(
    staged: &[PathBuf],
    project: Option<&str>,
    version: &str,
) -> Result<(), BuildError> {
    let expected_version = pep440_rs::Version::from_str(version).ok();
    for path in staged {
        let file = file_name(path);
        let Some(parsed) = parse_file_name(&file) else {
            return Err(BuildError::Failed(format!(
                "{}: the build wrote a file that is neither a wheel nor an sdist",
                path.display()
            )));
        };
        let found_version = pep440_rs::Version::from_str(&parsed.version).ok();
        if found_version.is_none() || found_version != expected_version {
            return Err(BuildError::Mismatch {
                file: PathBuf::from(&file),
                what: "version",
                found: parsed.version,
                expected: version.to_string(),
            });
        }
        if let Some(project) = project {
            if normalize_name(&parsed.name) != normalize_name(project) {
                return Err(BuildError::Mismatch {
                    file: PathBuf::from(&file),
                    what: "project name",
                    found: parsed.name,
                    expected: file_name_part(project),
                });
            }
        }
    }
    Ok(())
}

/// Warnings for wheels PyPI refuses because of a plain `linux_*` platform tag.
pub(crate) fn platform_warnings(files: &[BuiltFile]) -> Vec<String> {
    let mut out = Vec::new();
    for built in files {
        let file = file_name(&built.path);
        let Some(parsed) = parse_file_name(&file) else {
            continue;
        };
        if let Some(tag) = parsed.platforms.iter().find(|t| t.starts_with("linux_")) {
            out.push(format!(
                "{file} has the platform tag `{tag}`, which PyPI refuses: build it with maturin \
                 (manylinux is its default; `--zig` targets older glibc), repair it with \
                 `auditwheel repair {file}`, or build the wheels with cibuildwheel"
            ));
        }
    }
    out
}

/// The distributions directly in `dir`, sorted by name.
pub(crate) fn list(dir: &Path) -> Result<Vec<PathBuf>, BuildError> {
    let entries = std::fs::read_dir(dir).map_err(|e| BuildError::io(dir, e))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| BuildError::io(dir, e))?;
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && is_artifact(&entry.file_name().to_string_lossy()) {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// Moves `staged` files into `out_dir` (replacing files of the same name),
/// returning them with size and sha256.
pub(crate) fn move_into(staged: &[PathBuf], out_dir: &Path) -> Result<Vec<BuiltFile>, BuildError> {
    let mut out = Vec::with_capacity(staged.len());
    for from in staged {
        let to = out_dir.join(file_name(from));
        if std::fs::rename(from, &to).is_err() {
            // A different file system: copy, then drop the staged file.
            std::fs::copy(from, &to).map_err(|e| BuildError::io(&to, e))?;
            let _ = std::fs::remove_file(from);
        }
        let (size, sha256) = hash(&to)?;
        out.push(BuiltFile {
            path: to,
            size,
            sha256,
        });
    }
    Ok(out)
}

/// Size and lower-case hex sha256 of `path`, reading it once.
pub(crate) fn hash(path: &Path) -> Result<(u64, String), BuildError> {
    let file = std::fs::File::open(path).map_err(|e| BuildError::io(path, e))?;
    crate::digest::sha256(file).map_err(|e| BuildError::io(path, e))
}

/// A warning when the sdist carries wheels or sdists of earlier builds (a
/// `dist/` folder that git does not ignore ends up in it).
pub(crate) fn nested_artifacts_warning(files: &[BuiltFile]) -> Option<String> {
    let sdist = files
        .iter()
        .find(|f| file_name(&f.path).ends_with(".tar.gz"))?;
    let reader = std::fs::File::open(&sdist.path).ok()?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(reader));
    let nested: Vec<String> = archive
        .entries()
        .ok()?
        .filter_map(|e| {
            e.ok()?
                .path()
                .ok()
                .map(|p| p.to_string_lossy().into_owned())
        })
        .filter(|p| p.ends_with(".whl") || p.ends_with(".tar.gz"))
        .collect();
    if nested.is_empty() {
        return None;
    }
    Some(format!(
        "{} holds {} built artifact(s) from earlier builds (e.g. {}): add `dist/` to .gitignore, or to `[tool.maturin] exclude`",
        file_name(&sdist.path),
        nested.len(),
        nested[0]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wheel_and_sdist_names() {
        let wheel = parse_file_name("pyo3_dynamic-0.4.2-cp311-cp311-manylinux_2_34_x86_64.whl");
        assert_eq!(
            wheel,
            Some(FileName {
                name: "pyo3_dynamic".into(),
                version: "0.4.2".into(),
                platforms: vec!["manylinux_2_34_x86_64".into()],
            })
        );
        let tagged =
            parse_file_name("a-1.0-1-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
                .unwrap();
        assert_eq!(tagged.version, "1.0");
        assert_eq!(tagged.platforms.len(), 2);
        let sdist = parse_file_name("ws_python-2.1.0rc1.tar.gz").unwrap();
        assert_eq!(
            (sdist.name.as_str(), sdist.version.as_str()),
            ("ws_python", "2.1.0rc1")
        );
        assert!(sdist.platforms.is_empty());
        assert_eq!(parse_file_name("my-pkg-1.0.zip").unwrap().name, "my-pkg");
        for other in [
            "notes.txt",
            "a-1.0.whl",
            "x.tar.gz",
            "a-1-py3-none-any.whl.part",
        ] {
            assert_eq!(parse_file_name(other), None, "{other}");
        }
    }

    #[test]
    fn names_compare_like_pypi() {
        assert_eq!(file_name_part("Ws.Python--x"), "ws_python_x");
        assert_eq!(
            normalize_name("pyo3-dynamic"),
            normalize_name("pyo3_dynamic")
        );
    }

    #[test]
    fn version_and_name_mismatches_name_the_file_and_both_values() {
        let files = [PathBuf::from("/d/bintool-0.2.0.tar.gz")];
        assert!(check_names(&files, Some("bintool"), "0.2.0").is_ok());
        assert!(
            check_names(&files, Some("BinTool"), "0.2.0.0").is_ok(),
            "PEP 440 equality"
        );
        let err = check_names(&files, Some("bintool"), "0.2.1")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("bintool-0.2.0.tar.gz: version is `0.2.0`"),
            "{err}"
        );
        assert!(err.contains("`0.2.1`"), "{err}");
        let err = check_names(&files, Some("other"), "0.2.0")
            .unwrap_err()
            .to_string();
        assert!(err.contains("project name is `bintool`"), "{err}");
    }

    #[test]
    fn only_plain_linux_tags_are_warned_about() {
        let built = |name: &str| BuiltFile {
            path: PathBuf::from(name),
            size: 0,
            sha256: String::new(),
        };
        let files = [
            built("strust-0.7.0-cp311-cp311-linux_x86_64.whl"),
            built("a-1.0-cp311-cp311-manylinux_2_34_x86_64.whl"),
            built("a-1.0.tar.gz"),
        ];
        let warnings = platform_warnings(&files);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("linux_x86_64"));
        assert!(warnings[0].contains("auditwheel repair"));
    }

    #[test]
    fn hash_reads_size_and_sha256() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        let (size, sha) = hash(&path).unwrap();
        assert_eq!(size, 3);
        assert_eq!(
            sha,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
