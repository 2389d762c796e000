//! The git command line, for what libgit2 cannot do: signing (git owns
//! `gpg.program`, `gpg.format`, `user.signingKey` and the agents) and commit hooks.
//! Every call names the same git directory and work tree libgit2 opened.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use git2::Oid;

use super::{in_index, GitError, Repo};

/// `git commit --only` of `rels` with `message` (already cleaned up); `-S` when
/// `sign`. Hooks run. Untracked paths are first marked intent-to-add, which git
/// needs to commit them, and unmarked again if the commit fails, so a failure
/// leaves HEAD and the index as they were.
pub(super) fn commit(
    repo: &Repo,
    rels: &[PathBuf],
    message: &str,
    sign: bool,
) -> Result<String, GitError> {
    let new = untracked(repo, rels)?;
    if !new.is_empty() {
        let mut args = os_args(&["--literal-pathspecs", "add", "--intent-to-add", "--"]);
        args.extend(new.iter().map(OsString::from));
        if let Err(e) = run(repo, &args) {
            forget_intent(repo, &new);
            return Err(e);
        }
    }
    let mut args = os_args(&[
        "--literal-pathspecs",
        "commit",
        "--only",
        "--cleanup=verbatim",
    ]);
    if sign {
        args.push("-S".into());
    }
    args.extend(os_args(&["-m", message, "--"]));
    args.extend(rels.iter().map(OsString::from));
    if let Err(e) = run(repo, &args) {
        forget_intent(repo, &new);
        return Err(e);
    }
    repo.fresh_index()?;
    let head = repo.repo.refname_to_id("HEAD");
    Ok(head.map_err(repo.ctx("read the new HEAD"))?.to_string())
}

/// `git tag -s` of `target` as `name` with `message` (already cleaned up).
pub(super) fn signed_tag(
    repo: &Repo,
    name: &str,
    message: &str,
    target: Oid,
) -> Result<(), GitError> {
    let target = target.to_string();
    let args = [
        "tag",
        "-s",
        "--cleanup=verbatim",
        "-m",
        message,
        name,
        &target,
    ];
    run(repo, &os_args(&args)).map(drop)
}

/// The paths among `rels` with no index entry.
fn untracked(repo: &Repo, rels: &[PathBuf]) -> Result<Vec<PathBuf>, GitError> {
    let index = repo.fresh_index()?;
    let new = rels.iter().filter(|rel| !in_index(&index, rel));
    Ok(new.cloned().collect())
}

/// Removes the intent-to-add entries of a failed commit. Best effort: the error
/// that made the commit fail is the one worth reporting.
fn forget_intent(repo: &Repo, new: &[PathBuf]) {
    let Ok(mut index) = repo.repo.index() else {
        return;
    };
    if index.read(true).is_err() {
        return;
    }
    for rel in new {
        let _ = index.remove_path(rel);
    }
    let _ = index.write();
}

/// Runs `git <args>` against this repository; stdout on success, and on failure
/// [`GitError::Cli`] carrying git's stderr.
pub(super) fn run(repo: &Repo, args: &[OsString]) -> Result<Vec<u8>, GitError> {
    let dir = repo.workdir().to_path_buf();
    let mut git_dir = OsString::from("--git-dir=");
    git_dir.push(repo.repo.path());
    let mut work_tree = OsString::from("--work-tree=");
    work_tree.push(&dir);
    let output = Command::new("git")
        .arg(git_dir)
        .arg(work_tree)
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output();
    let output = output.map_err(|source| GitError::CliMissing {
        dir: dir.clone(),
        source,
    })?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let args = args
        .iter()
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    let stderr = stderr_text(&output);
    Err(GitError::Cli { args, dir, stderr })
}

fn stderr_text(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    if text.is_empty() {
        return format!("{} without any error output", output.status);
    }
    text
}

pub(super) fn os_args(args: &[&str]) -> Vec<OsString> {
    args.iter().map(|a| OsStr::new(a).to_owned()).collect()
}
