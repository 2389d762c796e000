//! Finding the build tools: Python (`CARGO_PYPI_PYTHON`, else `python3`, else
//! `python`), maturin (`maturin` on PATH, else `python -m maturin`) and the
//! `python -m build` frontend, each with its version, and checking maturin
//! against the `[build-system] requires` of pyproject.toml.

use super::error::BuildError;
use crate::ops::process::{self, Cmd};
use crate::project::python::Pyproject;
use crate::toml_path;
use pep440_rs::Version;
use pep508_rs::{Requirement, VersionOrUrl};
use std::ffi::OsString;
use std::path::PathBuf;
use std::str::FromStr;

/// Names the Python to use instead of `python3` / `python` on the PATH.
pub const PYTHON_ENV: &str = crate::env_vars::EnvVars::CARGO_PYPI_PYTHON;

/// Where tools are looked for, and the environment every tool runs with.
#[derive(Debug, Clone)]
pub(crate) struct Env {
    /// PATH for the lookup and for the children; `None`: this process's.
    pub path: Option<OsString>,
    /// Absolute cargo target folder, given to the build as `CARGO_TARGET_DIR`.
    pub target_dir: PathBuf,
}

impl Env {
    /// A command for `program` with this environment applied.
    pub fn cmd(&self, program: impl Into<PathBuf>) -> Cmd {
        let cmd =
            Cmd::new(program).env(crate::env_vars::EnvVars::CARGO_TARGET_DIR, &self.target_dir);
        match &self.path {
            Some(path) => cmd.env("PATH", path),
            None => cmd,
        }
    }

    fn find(&self, name: &str) -> Option<PathBuf> {
        process::find_program(name, self.path.as_deref())
    }
}

/// The Python interpreter the build uses.
#[derive(Debug, Clone)]
pub(crate) struct Python {
    pub exe: PathBuf,
}

/// The Python to use: `explicit`, else `CARGO_PYPI_PYTHON`, else `python3`,
/// else `python` on the PATH. `Ok(None)` when there is none on the PATH; an
/// explicitly named one that does not exist is an error.
pub(crate) fn find_python(
    env: &Env,
    explicit: Option<&PathBuf>,
) -> Result<Option<Python>, BuildError> {
    let named = explicit
        .map(|p| (p.to_string_lossy().into_owned(), "the build request"))
        .or_else(|| {
            std::env::var(PYTHON_ENV)
                .ok()
                .filter(|v| !v.is_empty())
                .map(|v| (v, PYTHON_ENV))
        });
    if let Some((name, origin)) = named {
        return match env.find(&name) {
            Some(exe) => Ok(Some(Python { exe })),
            None => Err(BuildError::Failed(format!(
                "python `{name}` from {origin} is not an executable file on the PATH: \
                 name an installed Python there (e.g. {PYTHON_ENV}=/usr/bin/python3), \
                 or leave it unset to use `python3` from the PATH"
            ))),
        };
    }
    Ok(["python3", "python"]
        .into_iter()
        .find_map(|name| env.find(name))
        .map(|exe| Python { exe }))
}

/// One entry of `[build-system] requires`, as written and parsed.
#[derive(Debug, Clone)]
pub(crate) struct BuildRequire {
    pub text: String,
    pub parsed: Requirement,
}

/// `[build-system] requires` of `package`, parsed; an entry that is not PEP 508 is an error.
pub(crate) fn build_requires(package: &Pyproject) -> Result<Vec<BuildRequire>, BuildError> {
    let Some(array) = package
        .file
        .get(&toml_path!["build-system", "requires"])
        .and_then(|item| item.as_array())
    else {
        return Ok(Vec::new());
    };
    array
        .iter()
        .filter_map(|value| value.as_str())
        .map(|text| match Requirement::from_str(text) {
            Ok(parsed) => Ok(BuildRequire {
                text: text.to_string(),
                parsed,
            }),
            Err(e) => Err(BuildError::Failed(format!(
                "{}: `{text}` in [build-system] requires is not a valid requirement: {e}",
                package.file.path.display()
            ))),
        })
        .collect()
}

/// A maturin that runs and satisfies the requirements.
#[derive(Debug, Clone)]
pub(crate) struct Maturin {
    /// `maturin` or `python -m maturin`, ready for more arguments.
    pub base: Cmd,
    pub version: String,
}

impl Maturin {
    pub fn label(&self) -> String {
        format!("maturin {}", self.version)
    }
}

/// Finds maturin: `maturin` on the PATH, else `python -m maturin`; the first
/// whose version satisfies every `maturin` entry of `requires` is taken.
pub(crate) fn find_maturin(
    env: &Env,
    python: Option<&Python>,
    requires: &[BuildRequire],
    package: &Pyproject,
) -> Result<Maturin, BuildError> {
    let wanted: Vec<&BuildRequire> = requires
        .iter()
        .filter(|r| r.parsed.name.as_ref() == "maturin")
        .collect();
    let install = match wanted.first() {
        Some(r) => format!("pip install {}", process::shell_quote(&r.text)),
        None => "pip install maturin".into(),
    };
    let mut candidates = Vec::new();
    if let Some(exe) = env.find("maturin") {
        candidates.push(env.cmd(exe));
    }
    if let Some(python) = python {
        candidates.push(env.cmd(&python.exe).args(["-m", "maturin"]));
    }
    let mut too_old = None;
    for base in &candidates {
        let Some(version) = tool_version(&base.clone().arg("--version"), "maturin") else {
            continue;
        };
        match unmet(&wanted, &version) {
            None => {
                return Ok(Maturin {
                    base: base.clone(),
                    version,
                })
            }
            Some(requirement) => {
                too_old.get_or_insert((base.display(), version, requirement));
            }
        }
    }
    if let Some((program, found, requirement)) = too_old {
        return Err(BuildError::ToolVersion {
            found,
            program,
            requirement,
            pyproject: package.file.path.clone(),
        });
    }
    let detail = match python {
        Some(python) => format!(
            "no `maturin` on the PATH, and `{} -m maturin` does not run",
            python.exe.display()
        ),
        None => "no `maturin`, `python3` or `python` on the PATH".into(),
    };
    Err(BuildError::ToolMissing {
        tool: "maturin".into(),
        detail,
        install,
    })
}

/// The first `wanted` requirement that `version` does not satisfy, as written.
fn unmet(wanted: &[&BuildRequire], version: &str) -> Option<String> {
    let parsed = Version::from_str(version).ok();
    wanted
        .iter()
        .find(|r| match (&r.parsed.version_or_url, &parsed) {
            (Some(VersionOrUrl::VersionSpecifier(specifiers)), Some(v)) => !specifiers.contains(v),
            (Some(VersionOrUrl::VersionSpecifier(_)), None) => true,
            _ => false,
        })
        .map(|r| r.text.clone())
}

/// The `python -m build` frontend of `python`, with its version.
#[derive(Debug, Clone)]
pub(crate) struct Frontend {
    pub base: Cmd,
    pub version: String,
}

pub(crate) fn find_frontend(env: &Env, python: Option<&Python>) -> Result<Frontend, BuildError> {
    let missing = |detail: String| BuildError::ToolMissing {
        tool: "python -m build".into(),
        detail,
        install: "pip install build".into(),
    };
    let Some(python) = python else {
        return Err(missing(format!(
            "no `python3` or `python` on the PATH, and {PYTHON_ENV} is not set"
        )));
    };
    let base = env.cmd(&python.exe).args(["-m", "build"]);
    match tool_version(&base.clone().arg("--version"), "build") {
        Some(version) => Ok(Frontend { base, version }),
        None => Err(missing(format!(
            "`{} -m build --version` does not run; install it into that Python's environment",
            python.exe.display()
        ))),
    }
}

/// Runs `<tool> --version` and reads the version after the tool's name
/// (`maturin 1.8.3`, `build 1.2.2 (/path)`); `None` when it does not run.
fn tool_version(cmd: &Cmd, name: &str) -> Option<String> {
    let probe = process::probe(cmd).ok().filter(|p| p.success())?;
    let text = format!("{}\n{}", probe.stdout, probe.stderr);
    let mut words = text.split_whitespace();
    words.find(|w| *w == name)?;
    words.next().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reqs(texts: &[&str]) -> Vec<BuildRequire> {
        texts
            .iter()
            .map(|t| BuildRequire {
                text: t.to_string(),
                parsed: Requirement::from_str(t).unwrap(),
            })
            .collect()
    }

    #[test]
    fn unmet_reads_the_specifiers() {
        let r = reqs(&["maturin>=1.8,<2.0"]);
        let wanted: Vec<&BuildRequire> = r.iter().collect();
        assert_eq!(unmet(&wanted, "1.8.3"), None);
        assert_eq!(unmet(&wanted, "1.16.0"), None);
        assert_eq!(
            unmet(&wanted, "1.7.9").as_deref(),
            Some("maturin>=1.8,<2.0")
        );
        assert!(unmet(&wanted, "2.0.0").is_some());
        assert!(unmet(&wanted, "not-a-version").is_some());
        assert_eq!(unmet(&[], "0.1.0"), None);
    }
}
