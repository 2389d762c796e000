//! Proof that a release installs: a fresh virtual environment, `pip install
//! name==version` from the index it was uploaded to, then the package imported
//! and its command-line scripts run with `--version` (or `--help`).

use super::secret::{Redactor, Secret};
use super::url::percent_encode;
use crate::env_vars::EnvVars;
use crate::ops::process::{self, Cmd, OutputMode};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// `cmd` without any of [`EnvVars::SECRETS`] in its environment: the freshly
/// downloaded code that verify-install runs (pip's build backends, the
/// package, its scripts) never sees a credential.
fn scrubbed(cmd: Cmd) -> Cmd {
    EnvVars::SECRETS
        .iter()
        .fold(cmd, |cmd, var| cmd.env_remove(var))
}

/// What to install and from where.
#[derive(Debug, Clone)]
pub struct InstallRequest {
    /// Python that creates the venv (`CARGO_PYPI_PYTHON`, else `python3`).
    pub python: PathBuf,
    /// The index's simple URL.
    pub index_url: String,
    /// Where dependencies come from when the index does not hold them (PyPI for TestPyPI).
    pub extra_index_url: Option<String>,
    pub name: String,
    /// PEP 440 spelling.
    pub version: String,
    /// For an index that wants a login to download: given to pip through the
    /// environment (`PIP_INDEX_URL`), never on its command line, and redacted
    /// from anything shown.
    pub login: Option<(String, Secret)>,
}

/// What ran in the fresh environment.
#[derive(Debug, Clone, Serialize)]
pub struct InstallReport {
    /// `name==version` as pip installed it.
    pub installed: String,
    /// Modules imported successfully.
    pub imported: Vec<String>,
    /// Scripts run, with the first line they printed.
    pub ran: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("verify-install: {0}")]
    Process(#[from] process::ProcessError),
    #[error("verify-install: {0}")]
    Failed(String),
}

/// Creates a venv in a temporary folder, installs exactly `name==version`
/// (no cache, so the index is really asked), imports its top-level modules and runs its scripts.
pub fn verify_install(request: &InstallRequest) -> Result<InstallReport, InstallError> {
    let temp = tempfile::tempdir()
        .map_err(|e| InstallError::Failed(format!("cannot create a temporary folder: {e}")))?;
    let venv = temp.path().join("venv");
    let bin = venv.join("bin");
    // ensurepip puts pip into a new venv in seconds; a venv without it takes
    // milliseconds, and the Python's own pip installs into it (`--python`).
    let outer = pip_installs_elsewhere(&request.python);
    let mut create = Cmd::new(&request.python).args(["-m", "venv"]);
    if outer {
        create = create.arg("--without-pip");
    }
    process::run(&scrubbed(create.arg(&venv)), OutputMode::Capture)?;
    let before = scripts(&bin);
    let modules_before = top_level_modules(&venv)?;
    let spec = format!("{}=={}", request.name, request.version);
    let pip = match outer {
        true => Cmd::new(&request.python)
            .args(["-m", "pip", "--python"])
            .arg(bin.join("python")),
        false => Cmd::new(bin.join("python")).args(["-m", "pip"]),
    };
    let mut pip = scrubbed(pip).args(["install", "--no-cache-dir", "--disable-pip-version-check"]);
    let mut redactor = Redactor::new();
    match &request.login {
        Some((user, secret)) => {
            redactor.add_with_username(user, secret);
            pip = pip.env(
                EnvVars::PIP_INDEX_URL,
                with_login(&request.index_url, user, secret),
            );
        }
        None => pip = pip.arg("--index-url").arg(&request.index_url),
    }
    if let Some(extra) = &request.extra_index_url {
        pip = pip.arg("--extra-index-url").arg(extra);
    }
    let installed = process::run(&pip.arg(&spec), OutputMode::Capture);
    installed.map_err(|e| InstallError::Failed(redactor.redact(&e.to_string())))?;
    let new_modules: Vec<String> = top_level_modules(&venv)?
        .into_iter()
        .filter(|m| !modules_before.contains(m))
        .collect();
    let imported = import_modules(&bin, &new_modules)?;
    let mut ran = Vec::new();
    for script in scripts(&bin).into_iter().filter(|s| !before.contains(s)) {
        ran.push(run_script(&bin.join(&script), &script)?);
    }
    if imported.is_empty() && ran.is_empty() {
        return Err(InstallError::Failed(format!(
            "{spec} installed, but it has neither an importable module nor a script to run"
        )));
    }
    Ok(InstallReport {
        installed: spec,
        imported,
        ran,
    })
}

/// True when `python` has a pip that installs into another environment
/// (`pip --python`, pip 22.3 and later).
fn pip_installs_elsewhere(python: &Path) -> bool {
    let version = Cmd::new(python).args(["-c", "import pip; print(pip.__version__)"]);
    process::probe(&scrubbed(version))
        .ok()
        .filter(|p| p.success())
        .is_some_and(|p| pip_has_python_option(p.stdout.trim()))
}

fn pip_has_python_option(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (22, 3)
}

/// Executables in the venv's `bin/` (pip, python and activate scripts included; callers diff).
fn scripts(bin: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(bin) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Top-level modules in site-packages (callers diff before and after the install).
fn top_level_modules(venv: &Path) -> Result<Vec<String>, InstallError> {
    let lib = venv.join("lib");
    let site = std::fs::read_dir(&lib)
        .ok()
        .and_then(|mut d| d.find_map(|e| e.ok().map(|e| e.path().join("site-packages"))))
        .ok_or_else(|| InstallError::Failed(format!("no site-packages under {}", lib.display())))?;
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(&site)
        .map_err(|e| InstallError::Failed(format!("cannot read {}: {e}", site.display())))?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let skip = name.ends_with(".dist-info") || name.ends_with(".pth") || name == "__pycache__";
        let module = name.split('.').next().unwrap_or_default().to_string();
        let is_module = entry.path().join("__init__.py").is_file()
            || name.ends_with(".py")
            || name.ends_with(".so");
        if !skip && is_module && !modules.contains(&module) {
            modules.push(module);
        }
    }
    Ok(modules)
}

fn import_modules(bin: &Path, modules: &[String]) -> Result<Vec<String>, InstallError> {
    for module in modules {
        process::run(
            &scrubbed(Cmd::new(bin.join("python")).args(["-c", &format!("import {module}")])),
            OutputMode::Capture,
        )?;
    }
    Ok(modules.to_vec())
}

/// Runs `script --version`, else `script --help`; the first line printed is kept.
fn run_script(path: &Path, name: &str) -> Result<(String, String), InstallError> {
    for flag in ["--version", "--help"] {
        let probe = process::probe(&scrubbed(Cmd::new(path).arg(flag)))?;
        if probe.success() {
            let first = probe
                .stdout
                .lines()
                .chain(probe.stderr.lines())
                .next()
                .unwrap_or_default()
                .to_string();
            return Ok((format!("{name} {flag}"), first));
        }
    }
    Err(InstallError::Failed(format!(
        "`{name} --version` and `{name} --help` both failed in the fresh environment"
    )))
}

/// `http://host/simple/` with `user:secret@` after the scheme, percent-encoding both.
fn with_login(url: &str, user: &str, secret: &Secret) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!(
            "{scheme}://{}:{}@{rest}",
            percent_encode(user),
            percent_encode(secret.expose())
        ),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pip_installs_into_another_environment_from_22_3() {
        for (version, yes) in [
            ("22.3", true),
            ("23.2.1", true),
            ("24.0", true),
            ("22.2.2", false),
            ("9.0.1", false),
            ("", false),
        ] {
            assert_eq!(super::pip_has_python_option(version), yes, "{version}");
        }
    }
}
