//! Starting external processes: the one place that spawns them, finds programs
//! on a PATH, streams or captures their output, and turns a failure into an
//! error that shows the command line, the exit status and the last lines.
//!
//! Streaming hands the child this process's stderr for both of its streams, so
//! a build tool's progress reaches the terminal as it happens (with its colours)
//! and stdout stays free for machine-readable results. Capturing reads both
//! streams line by line and keeps the end of the output for the error.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};

/// How many of the last output lines a failure shows.
pub const TAIL_LINES: usize = 30;

/// At most this many lines of captured output are kept (the rest is dropped from the front).
const KEEP_LINES: usize = 10_000;

/// A command to run: the program (a path, or a name looked up on PATH by the OS),
/// its arguments, the folder to run it in and the environment changes.
#[derive(Debug, Clone)]
pub struct Cmd {
    program: PathBuf,
    args: Vec<OsString>,
    dir: Option<PathBuf>,
    env: Vec<(OsString, OsString)>,
    removed: Vec<OsString>,
}

impl Cmd {
    pub fn new(program: impl Into<PathBuf>) -> Cmd {
        Cmd {
            program: program.into(),
            args: Vec::new(),
            dir: None,
            env: Vec::new(),
            removed: Vec::new(),
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cmd {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Runs the command in `dir` instead of the current folder.
    pub fn dir(mut self, dir: &Path) -> Cmd {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// Sets one environment variable for the child (the rest is inherited).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Cmd {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Keeps `key` out of the child's environment.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Cmd {
        self.removed.push(key.as_ref().to_owned());
        self
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    pub fn working_dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The command line as one would type it in a POSIX shell, for messages.
    /// Environment changes are not shown.
    pub fn display(&self) -> String {
        std::iter::once(self.program.as_os_str())
            .chain(self.args.iter().map(OsString::as_os_str))
            .map(|part| shell_quote(&part.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args).stdin(Stdio::null());
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        for key in &self.removed {
            command.env_remove(key);
        }
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }
}

/// Quotes `word` for a POSIX shell when it holds anything but safe characters.
pub fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Where the child's output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    /// Both streams go straight to this process's stderr.
    Stream,
    /// Both streams are read and kept; a failure shows their last lines.
    Capture,
}

/// A command that ran to the end with exit status 0.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Captured lines of stdout and stderr, interleaved as they arrived
    /// (empty when streamed; only the last lines of a very long output).
    pub lines: Vec<String>,
}

/// The outcome of a short query such as `tool --version`, whatever its exit status.
#[derive(Debug, Clone)]
pub struct Probe {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Probe {
    pub fn success(&self) -> bool {
        self.status.success()
    }
}

/// Why a command did not run to a successful end.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("cannot run `{command}`: {source}")]
    Spawn {
        command: String,
        source: std::io::Error,
    },
    #[error("`{command}` failed ({status}){}{}", in_dir(.dir), tail_text(.tail))]
    Failed {
        command: String,
        /// Where it ran, when not in the current folder.
        dir: Option<PathBuf>,
        /// e.g. `exit status: 1`.
        status: String,
        /// The last [`TAIL_LINES`] lines of output (empty when streamed).
        tail: Vec<String>,
    },
}

fn in_dir(dir: &Option<PathBuf>) -> String {
    dir.as_ref()
        .map(|d| format!(" in {}", d.display()))
        .unwrap_or_default()
}

fn tail_text(tail: &[String]) -> String {
    if tail.is_empty() {
        return String::new();
    }
    let mut out = String::from("; its last lines:");
    for line in tail {
        out.push_str("\n  | ");
        out.push_str(line);
    }
    out
}

/// Runs `cmd` to the end; a non-zero exit is [`ProcessError::Failed`].
pub fn run(cmd: &Cmd, mode: OutputMode) -> Result<Finished, ProcessError> {
    let mut command = cmd.command();
    let spawn_error = |source| ProcessError::Spawn {
        command: cmd.display(),
        source,
    };
    let (status, lines) = match mode {
        OutputMode::Stream => {
            command.stdout(std::io::stderr()).stderr(std::io::stderr());
            let status = command.status().map_err(spawn_error)?;
            (status, Vec::new())
        }
        OutputMode::Capture => {
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
            let mut child = command.spawn().map_err(spawn_error)?;
            let lines = Arc::new(Mutex::new(VecDeque::new()));
            let readers = [
                child.stdout.take().map(|s| read_lines(s, &lines)),
                child.stderr.take().map(|s| read_lines(s, &lines)),
            ];
            let status = child.wait().map_err(spawn_error)?;
            for reader in readers.into_iter().flatten() {
                let _ = reader.join();
            }
            let lines = std::mem::take(&mut *lines.lock().unwrap_or_else(|e| e.into_inner()));
            (status, Vec::from(lines))
        }
    };
    if status.success() {
        return Ok(Finished { lines });
    }
    let skip = lines.len().saturating_sub(TAIL_LINES);
    Err(ProcessError::Failed {
        command: cmd.display(),
        dir: cmd.dir.clone(),
        status: status.to_string(),
        tail: lines.into_iter().skip(skip).collect(),
    })
}

/// Reads `stream` line by line into `lines` on a thread of its own.
fn read_lines(
    stream: impl Read + Send + 'static,
    lines: &Arc<Mutex<VecDeque<String>>>,
) -> std::thread::JoinHandle<()> {
    let lines = Arc::clone(lines);
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let text = String::from_utf8_lossy(&buf);
                    // A progress line redrawn with `\r` keeps its last state only.
                    let line = text.trim_end_matches(['\n', '\r']);
                    let line = line.rsplit('\r').next().unwrap_or_default().to_string();
                    let mut lines = lines.lock().unwrap_or_else(|e| e.into_inner());
                    if lines.len() == KEEP_LINES {
                        lines.pop_front();
                    }
                    lines.push_back(line);
                }
            }
        }
    })
}

/// Runs a short query and returns its output whatever the exit status;
/// only a program that cannot be started is an error.
pub fn probe(cmd: &Cmd) -> Result<Probe, ProcessError> {
    let output = cmd
        .command()
        .output()
        .map_err(|source| ProcessError::Spawn {
            command: cmd.display(),
            source,
        })?;
    Ok(Probe {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// The first executable called `name` in the folders of `path`
/// (this process's PATH when `None`). A `name` holding a path separator is
/// taken as a path and returned when it is an executable file.
pub fn find_program(name: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    if name.contains('/') || name.contains(std::path::MAIN_SEPARATOR) {
        let candidate = PathBuf::from(name);
        return is_executable(&candidate).then_some(candidate);
    }
    let inherited;
    let path = match path {
        Some(path) => path,
        None => {
            inherited = std::env::var_os("PATH")?;
            inherited.as_os_str()
        }
    };
    std::env::split_paths(path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| candidates(name).map(move |file| dir.join(file)))
        .find(|candidate| is_executable(candidate))
}

fn candidates(name: &str) -> impl Iterator<Item = String> + '_ {
    let extensions: &[&str] = if cfg!(windows) {
        &["", ".exe", ".cmd", ".bat"]
    } else {
        &[""]
    };
    extensions.iter().map(move |ext| format!("{name}{ext}"))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_only_what_needs_it() {
        let cmd = Cmd::new("/usr/bin/maturin")
            .args(["build", "--out", "/tmp/a b", "it's"])
            .arg("");
        assert_eq!(
            cmd.display(),
            r"/usr/bin/maturin build --out '/tmp/a b' 'it'\''s' ''"
        );
    }

    #[test]
    fn captured_failure_keeps_the_last_lines_of_both_streams() {
        // The pause orders the two streams: they are read by two threads, so
        // without it `oops` may arrive first and scroll out of the tail.
        let script = "for i in $(seq 1 40); do echo out$i; done; sleep 0.3; echo oops >&2; exit 3";
        let cmd = Cmd::new("sh").args(["-c", script]);
        let Err(ProcessError::Failed {
            command,
            status,
            tail,
            ..
        }) = run(&cmd, OutputMode::Capture)
        else {
            panic!("expected a failure");
        };
        assert!(command.starts_with("sh -c 'for i"), "{command}");
        assert!(status.contains('3'), "{status}");
        assert_eq!(tail.len(), TAIL_LINES);
        assert!(tail.contains(&"oops".to_string()), "{tail:?}");
        assert!(!tail.contains(&"out1".to_string()));
    }

    #[test]
    fn captured_success_returns_the_lines() {
        let cmd = Cmd::new("sh")
            .args(["-c", "printf 'a\\r b\\nc\\n'; echo \"$X\""])
            .env("X", "from env");
        let done = run(&cmd, OutputMode::Capture).unwrap();
        assert_eq!(done.lines, [" b", "c", "from env"]);
    }

    #[test]
    fn a_missing_program_is_a_spawn_error_naming_it() {
        let cmd = Cmd::new("/nonexistent/tool").arg("--version");
        let err = probe(&cmd).unwrap_err();
        assert!(matches!(err, ProcessError::Spawn { .. }));
        assert!(err.to_string().contains("/nonexistent/tool --version"));
    }

    #[test]
    fn find_program_searches_the_given_path_only() {
        let dir = tempfile::tempdir().unwrap();
        let tool = dir.path().join("mytool");
        std::fs::write(&tool, "#!/bin/sh\n").unwrap();
        let path = dir.path().as_os_str();
        assert_eq!(find_program("mytool", Some(path)), None, "not executable");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(find_program("mytool", Some(path)), Some(tool.clone()));
        assert_eq!(find_program("sh", Some(path)), None);
        assert_eq!(
            find_program(tool.to_str().unwrap(), Some(OsStr::new(""))),
            Some(tool)
        );
    }
}
