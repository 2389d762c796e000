//! The credential prompt, handed to the library as
//! `CredentialRequest::prompt` (last of the credential sources). It talks to
//! `/dev/tty` directly (never stdout or stderr, which may be captured) and
//! reads the token without echo.
//!
//! Echo is switched off by running `stty -echo` with `/dev/tty` as its standard
//! input, after saving the terminal's settings with `stty -g`; the saved
//! settings are put back by a guard's `Drop`, also on errors. No `termios` calls
//! are made (no extra crate). If `stty` cannot switch echo off, the prompt
//! refuses rather than read a visible token. A `Ctrl-C` while the token is being
//! typed ends the process before the guard runs: `stty sane` restores the echo.

use cargo_pypi::publish::credentials::{CredentialError, Credentials, PROMPT_SOURCE};
use cargo_pypi::publish::secret::Secret;
use cargo_pypi::publish::target::Target;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};

const TTY: &str = "/dev/tty";

/// Asks on the terminal for the token (and, for indexes other than PyPI and
/// TestPyPI without a known username, for the username first).
pub fn ask(target: &Target) -> Result<Credentials, CredentialError> {
    let failed = |e: std::io::Error| {
        CredentialError::Prompt(format!(
            "cannot prompt on {TTY} ({e}); pass --token or set PYPI_API_TOKEN"
        ))
    };
    let tty = File::options()
        .read(true)
        .write(true)
        .open(TTY)
        .map_err(failed)?;
    let mut reader = BufReader::new(tty.try_clone().map_err(failed)?);
    let mut out = &tty;
    let pypi_like = target.is_pypi() || target.is_testpypi();
    let username = match (&target.username, pypi_like) {
        (_, true) => "__token__".to_owned(),
        (Some(user), false) => user.clone(),
        (None, false) => {
            write!(out, "username for {} [__token__]: ", target.name).map_err(failed)?;
            let typed = read_line(&mut reader).map_err(failed)?;
            let typed = typed.trim();
            if typed.is_empty() { "__token__" } else { typed }.to_owned()
        }
    };
    let what = if username == "__token__" {
        "api token".to_owned()
    } else {
        format!("password of {username}")
    };
    let secret = {
        let _echo_off = EchoOff::new(&tty)?;
        write!(out, "{what} for {} (input hidden): ", target.name).map_err(failed)?;
        out.flush().map_err(failed)?;
        let line = read_line(&mut reader);
        // The Enter key was not echoed either.
        let _ = writeln!(out);
        line.map_err(failed)?
    };
    let secret = secret.trim_end_matches(['\r', '\n']);
    if secret.trim().is_empty() {
        return Err(CredentialError::Prompt(format!(
            "no {what} entered for {}; run again and paste it, or pass --token",
            target.name
        )));
    }
    Ok(Credentials {
        username,
        password: Secret::new(secret),
        source: PROMPT_SOURCE.into(),
        renewal: None,
    })
}

fn read_line(reader: &mut BufReader<File>) -> std::io::Result<String> {
    let mut line = String::new();
    let read = reader.read_line(&mut line)?;
    if read == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the terminal closed",
        ));
    }
    Ok(line)
}

/// Terminal echo switched off until dropped.
struct EchoOff<'a> {
    tty: &'a File,
    saved: String,
}

impl<'a> EchoOff<'a> {
    fn new(tty: &'a File) -> Result<EchoOff<'a>, CredentialError> {
        let refuse = |why: String| {
            CredentialError::Prompt(format!(
                "cannot hide the token while it is typed ({why}); pass --token or set \
                 PYPI_API_TOKEN instead"
            ))
        };
        let saved = stty(tty, &["-g"]).map_err(refuse)?;
        stty(tty, &["-echo"]).map_err(refuse)?;
        Ok(EchoOff {
            tty,
            saved: saved.trim().to_owned(),
        })
    }
}

impl Drop for EchoOff<'_> {
    fn drop(&mut self) {
        if stty(self.tty, &[self.saved.as_str()]).is_err() {
            let _ = stty(self.tty, &["echo"]);
        }
    }
}

/// Runs `stty ARGS` on the terminal; its standard output on success.
fn stty(tty: &File, args: &[&str]) -> Result<String, String> {
    let stdin = tty.try_clone().map_err(|e| e.to_string())?;
    let output = std::process::Command::new("stty")
        .args(args)
        .stdin(stdin)
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("`stty` could not run: {e}"))?;
    if !output.status.success() {
        return Err(format!("`stty {}` failed", args.join(" ")));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
