//! Real git repositories for the tests: `git` run with the hermetic
//! configuration of [`super::env`] spelled out, and a repository with
//! everything committed.

use std::path::Path;
use std::process::Command;

/// `git <args>` in `dir` with no system config and the tests' (empty) global
/// config, whatever the process environment says.
pub fn git_command(dir: &Path, args: &[&str]) -> Command {
    let home = super::env::hermetic();
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_GLOBAL", super::env::global_git_config())
        .env("GIT_CONFIG_NOSYSTEM", "1");
    cmd
}

/// Runs git in `dir`, which must succeed; its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_command(dir, args).output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Makes `dir` a git repository on `main` with an identity in its own config
/// and everything committed (an empty first commit in an empty folder).
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.name", "Test"]);
    git(dir, &["config", "user.email", "test@example.invalid"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", "initial"]);
}
