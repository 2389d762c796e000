//! Rendering reStructuredText as PyPI does: with Python's readme_renderer,
//! through the Python found (the option, else `$CARGO_PYPI_PYTHON`, else
//! `python3`), or, when that one lacks readme_renderer, through a private copy
//! installed once with pip into a virtual environment in the user's cache
//! folder (`$XDG_CACHE_HOME/cargo-pypi/readme-renderer`, else `~/.cache/...`).

use crate::env_vars::EnvVars;
use crate::ops::process::{self, Cmd, OutputMode};
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Environment variable naming the Python used to render reStructuredText.
pub const PYTHON_ENV: &str = EnvVars::CARGO_PYPI_PYTHON;

/// Exits 0 when the text on stdin renders, 1 when it does not (docutils'
/// messages on stdout), 3 when readme_renderer is not installed.
const RENDER_SCRIPT: &str = "\
import io, sys
try:
    import readme_renderer.rst as r
except ImportError:
    sys.exit(3)
text = sys.stdin.buffer.read().decode('utf-8')
stream = io.StringIO()
out = r.render(text, stream=stream)
sys.stdout.write(stream.getvalue())
sys.exit(0 if out is not None else 1)
";

/// What rendering reStructuredText gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RstOutcome {
    Rendered,
    /// It does not render; docutils' messages.
    Failed(String),
    /// The Python runs but has no readme_renderer.
    NotInstalled,
    /// It could not be tried; why, and what to do.
    Unavailable(String),
}

/// Renders reStructuredText with `python -c` and readme_renderer.
pub fn render_rst(python: &OsStr, text: &str) -> RstOutcome {
    let shown = python.to_string_lossy();
    let child = Command::new(python)
        .args(["-c", RENDER_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return RstOutcome::Unavailable(format!("cannot run {shown}: {e}")),
    };
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = text.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output();
    let _ = writer.join();
    let output = match output {
        Ok(o) => o,
        Err(e) => return RstOutcome::Unavailable(format!("{shown} failed: {e}")),
    };
    match output.status.code() {
        Some(0) => RstOutcome::Rendered,
        Some(1) => RstOutcome::Failed(String::from_utf8_lossy(&output.stdout).trim().to_string()),
        Some(3) => RstOutcome::NotInstalled,
        _ => RstOutcome::Unavailable(format!(
            "{shown} failed: {}",
            last_line(&String::from_utf8_lossy(&output.stderr))
        )),
    }
}

fn last_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// Renders through one Python, remembering outcomes (a wheel and an sdist
/// usually share their description), and the private copy once made.
#[derive(Debug)]
pub(crate) struct RstRenderer {
    python: OsString,
    /// Where `python` came from, for messages.
    source: &'static str,
    private: Option<Result<PathBuf, String>>,
    cache: HashMap<String, RstOutcome>,
}

impl RstRenderer {
    /// Uses `python`, else `$CARGO_PYPI_PYTHON`, else `python3`.
    pub(crate) fn new(python: Option<&Path>) -> RstRenderer {
        let from_env = || std::env::var_os(PYTHON_ENV).filter(|v| !v.is_empty());
        let (python, source) = match python {
            Some(p) => (p.as_os_str().to_owned(), "the Python given"),
            None => match from_env() {
                Some(p) => (p, "from CARGO_PYPI_PYTHON"),
                None => (OsString::from("python3"), "python3 on the PATH"),
            },
        };
        RstRenderer {
            python,
            source,
            private: None,
            cache: HashMap::new(),
        }
    }

    pub(crate) fn render(&mut self, text: &str) -> RstOutcome {
        if let Some(hit) = self.cache.get(text) {
            return hit.clone();
        }
        let outcome = match render_rst(&self.python, text) {
            RstOutcome::NotInstalled => self.render_private(text),
            other => other,
        };
        self.cache.insert(text.to_string(), outcome.clone());
        outcome
    }

    /// Renders through the private copy, made on first use.
    fn render_private(&mut self, text: &str) -> RstOutcome {
        let python = self.python.clone();
        let private = self.private.get_or_insert_with(|| provision(&python));
        let why = match private {
            Ok(venv_python) => match render_rst(venv_python.as_os_str(), text) {
                RstOutcome::NotInstalled => "the copy has no readme_renderer".to_string(),
                outcome => return outcome,
            },
            Err(why) => why.clone(),
        };
        let shown = python.to_string_lossy();
        RstOutcome::Unavailable(format!(
            "readme_renderer is not installed for {shown} ({}), and installing a copy of it in the cache folder failed ({why}): run `{shown} -m pip install readme-renderer`, or point {PYTHON_ENV} at a Python that has it",
            self.source
        ))
    }
}

/// The user's cache folder: `$XDG_CACHE_HOME`, else `~/.cache`.
fn cache_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    var(EnvVars::XDG_CACHE_HOME)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| var(EnvVars::HOME).map(|home| PathBuf::from(home).join(".cache")))
}

fn has_renderer(python: &Path) -> bool {
    let cmd = Cmd::new(python).args(["-c", "import readme_renderer.rst"]);
    process::probe(&cmd).is_ok_and(|p| p.success())
}

/// The Python of the private virtual environment, made with `python` and
/// `pip install readme-renderer` unless it is already there and works.
/// Built in a folder of its own, then renamed into place, so that two runs
/// at once never see half an environment.
fn provision(python: &OsStr) -> Result<PathBuf, String> {
    let root = cache_dir()
        .ok_or("no cache folder: neither XDG_CACHE_HOME nor HOME is set")?
        .join("cargo-pypi")
        .join("readme-renderer");
    let venv = root.join("venv");
    let venv_python = venv.join("bin").join("python");
    if has_renderer(&venv_python) {
        return Ok(venv_python);
    }
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", root.display());
    std::fs::create_dir_all(&root).map_err(|e| failed(&e))?;
    let work = tempfile::Builder::new()
        .prefix(".venv-")
        .tempdir_in(&root)
        .map_err(|e| failed(&e))?;
    let fresh = work.path().join("venv");
    let pip = [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--retries",
        "1",
        "--timeout",
        "20",
        "readme-renderer",
    ];
    let steps = [
        Cmd::new(python).args(["-m", "venv"]).arg(&fresh),
        Cmd::new(fresh.join("bin").join("python")).args(pip),
    ];
    for cmd in &steps {
        process::run(cmd, OutputMode::Capture).map_err(|e| match e {
            process::ProcessError::Failed { command, tail, .. } => {
                format!("`{command}` failed: {}", last_line(&tail.join("\n")))
            }
            other => other.to_string(),
        })?;
    }
    if venv.exists() {
        // A copy that no longer works (its Python was removed): replace it.
        let _ = std::fs::remove_dir_all(&venv);
    }
    // Another run may have put its copy in place meanwhile: either works.
    let _ = std::fs::rename(&fresh, &venv);
    if has_renderer(&venv_python) {
        Ok(venv_python)
    } else {
        Err(failed(&"the new environment has no readme_renderer"))
    }
}
