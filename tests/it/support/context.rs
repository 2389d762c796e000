//! [`TestContext`]: the one way the tests run `cargo-pypi`. A fixture copied
//! into a temporary folder (or an empty one), optionally a git repository, and
//! the real binary run there in an environment of its own.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::env::{is_withheld_from_children, vars_matching};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_cargo-pypi");

/// A temporary project and how to run `cargo-pypi` in it.
///
/// Every process it starts gets: the project folder as working directory; a
/// `HOME` of its own (next to the project, not inside it) with an empty
/// `.gitconfig`, `GIT_CONFIG_GLOBAL` pointing there and `GIT_CONFIG_NOSYSTEM=1`,
/// so the machine's git configuration (signing, identity) stays out;
/// `SOURCE_DATE_EPOCH` fixed (changelog dates are 2026-11-21); `NO_COLOR`; no
/// `CARGO_TARGET_DIR` (builds use the project's own `target/`); and none of
/// the variables [`is_withheld_from_children`] names: every credential variable
/// (by prefix, see `support::env`), `PIP_*`, and `GITHUB_ACTIONS`, `GITLAB_CI`,
/// `CI`. A test adds exactly the variables it means with [`TestContext::env`]
/// (every run) or on the [`Command`] from [`TestContext::command`] (one run).
pub struct TestContext {
    /// Holds `home/` and the project folder; removed on drop.
    root: tempfile::TempDir,
    dir: PathBuf,
    env: Vec<(OsString, OsString)>,
}

impl TestContext {
    /// A copy of `fixtures/<name>` (not inside any git repository).
    pub fn fixture(name: &str) -> TestContext {
        let ctx = TestContext::named(name);
        super::copy_dir(&super::fixture_dir(name), &ctx.dir);
        ctx
    }

    /// An empty project folder.
    pub fn empty() -> TestContext {
        TestContext::named("project")
    }

    fn named(name: &str) -> TestContext {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        let home = root.path().join("home");
        std::fs::create_dir(&home).unwrap();
        std::fs::write(home.join(".gitconfig"), "").unwrap();
        TestContext {
            root,
            dir,
            env: Vec::new(),
        }
    }

    /// Makes the project a git repository with everything committed.
    pub fn git_init(self) -> TestContext {
        super::git_init(&self.dir);
        self
    }

    /// Marks the project folder as the repository root with an empty `.git`
    /// folder (no real repository), so nothing above it is searched.
    pub fn git_root(self) -> TestContext {
        std::fs::create_dir(self.dir.join(".git")).unwrap();
        self
    }

    /// Puts the test venv's tools (`CARGO_PYPI_TEST_VENV`, made by
    /// scripts/test.sh: maturin, twine, pypiserver…) first on `PATH` and its
    /// Python in `CARGO_PYPI_PYTHON`.
    pub fn venv(self) -> TestContext {
        let bin = venv_bin();
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let dirs = std::iter::once(bin.clone()).chain(std::env::split_paths(&inherited));
        let path = std::env::join_paths(dirs).unwrap();
        self.env("PATH", path)
            .env("CARGO_PYPI_PYTHON", bin.join("python"))
    }

    /// Sets `key` for every process this context starts.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> TestContext {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// The project folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The text of `rel` in the project folder.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Replaces the first `from` in `rel` with `to`; `from` must be there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(self.dir.join(rel), text.replacen(from, to, 1)).unwrap();
    }

    /// The `HOME` of the processes started here (e.g. for a `.pypirc`).
    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// `program` with this context's environment, run in the project folder.
    pub fn program(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.dir);
        for var in vars_matching(is_withheld_from_children) {
            cmd.env_remove(var);
        }
        let home = self.home();
        cmd.env("HOME", &home)
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("SOURCE_DATE_EPOCH", super::EPOCH)
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("CARGO_TARGET_DIR");
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// `cargo-pypi pypi <args>` (as `cargo pypi <args>` runs it), ready to run.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.program(BIN);
        cmd.arg("pypi").args(args);
        cmd
    }

    /// Runs `cargo pypi <args>` and returns what it printed.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run cargo-pypi")
    }

    /// Runs `cargo pypi <args>` with stdout and stderr going to one file, as
    /// on a terminal, and returns the exit code and the text in the order it
    /// was written.
    pub fn run_interleaved(&self, args: &[&str]) -> (Option<i32>, String) {
        self.run_interleaved_command(&mut self.command(args))
    }

    /// As [`TestContext::run_interleaved`], for a command made with more settings.
    pub fn run_interleaved_command(&self, cmd: &mut Command) -> (Option<i32>, String) {
        interleaved(cmd, self.root.path())
    }
}

/// Runs `cmd` with stdout and stderr into one file (in `scratch`).
pub(super) fn interleaved(cmd: &mut Command, scratch: &Path) -> (Option<i32>, String) {
    let path = scratch.join("output.txt");
    let file = std::fs::File::create(&path).unwrap();
    let status = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::from(file.try_clone().unwrap()))
        .stderr(Stdio::from(file))
        .status()
        .expect("run cargo-pypi");
    let text = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    (status.code(), String::from_utf8_lossy(&text).into_owned())
}

/// The venv's `bin` folder (`$CARGO_PYPI_TEST_VENV/bin`); a clear failure
/// when the variable is not set.
pub fn venv_bin() -> PathBuf {
    let venv = std::env::var_os("CARGO_PYPI_TEST_VENV").expect(
        "CARGO_PYPI_TEST_VENV is unset: run the tests through scripts/test.sh, \
         which creates the venv with maturin, twine and pypiserver",
    );
    PathBuf::from(venv).join("bin")
}

/// stdout and stderr of an [`Output`] as text.
pub trait OutputExt {
    fn stdout(&self) -> String;
    fn stderr(&self) -> String;
    /// stdout then stderr, for failure messages.
    fn all(&self) -> String {
        self.stdout() + &self.stderr()
    }
}

impl OutputExt for Output {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}
