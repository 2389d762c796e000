//! Signing: a failing `gpg.program` (local or in the global config) stops
//! the commit or tag and reports git's stderr; real SSH signatures verify.

use super::{paths, TestRepo, EMAIL};
use crate::support;
use crate::support::env::GLOBAL_GIT_CONFIG;
use cargo_pypi::git::GitError;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fault injection: a `gpg.program` that always fails, so signing must fail.
#[cfg(unix)]
fn install_failing_gpg(repo: &TestRepo) -> PathBuf {
    let fake = repo.path().join(".git/fault-injection-gpg");
    repo.script(
        &fake,
        "echo 'fault injection: fake gpg refuses to sign' >&2; exit 1",
    )
}

#[cfg(unix)]
#[test]
fn signing_failure_reports_gits_stderr_and_commits_nothing() {
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n"), ("other.txt", "o\n")]);
    let fake = install_failing_gpg(&repo);
    repo.git(&["config", "commit.gpgSign", "true"]);
    repo.git(&["config", "gpg.program", &fake.to_string_lossy()]);
    repo.write("version.txt", "1.1.0\n");
    repo.write("NEW.txt", "new\n");
    repo.write("other.txt", "o, modified\n");
    let (before, status) = (repo.head(), repo.status());

    let named = paths(&["version.txt", "NEW.txt"]);
    let err = repo.open().commit_paths(&named, "release").unwrap_err();

    let GitError::Cli { ref stderr, .. } = err else {
        panic!("expected a CLI error, got {err:?}");
    };
    assert!(stderr.contains("gpg failed to sign"), "{stderr}");
    assert!(
        err.to_string().contains("fake gpg refuses to sign"),
        "{err}"
    );
    assert_eq!(repo.head(), before);
    assert_eq!(repo.status(), status);
}

#[cfg(unix)]
#[test]
fn tag_signing_failure_creates_no_tag() {
    let repo = TestRepo::with_files(&[("a.txt", "a\n")]);
    let fake = install_failing_gpg(&repo);
    repo.git(&["config", "tag.gpgSign", "true"]);
    repo.git(&["config", "gpg.program", &fake.to_string_lossy()]);
    let opened = repo.open();

    let err = opened.annotated_tag("v1.0.0", "Release 1.0.0").unwrap_err();

    assert!(matches!(err, GitError::Cli { .. }), "{err:?}");
    assert!(
        err.to_string().contains("fake gpg refuses to sign"),
        "{err}"
    );
    assert!(!opened.tag_exists("v1.0.0").unwrap());
    assert_eq!(repo.git(&["tag", "--list"]), "");
}

/// `commit.gpgSign`/`tag.gpgSign` set only in the file `GIT_CONFIG_GLOBAL` names
/// must be seen. The global config is process-wide, so the check runs in a child
/// test process with its own `GIT_CONFIG_GLOBAL`.
#[cfg(unix)]
#[test]
fn gpgsign_in_the_global_config_is_honoured() {
    if std::env::var_os(GLOBAL_GIT_CONFIG).is_some() {
        return global_gpgsign_child();
    }
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fault-injection-gpg");
    fs::write(
        &fake,
        "#!/bin/sh\necho 'fault injection: global gpg' >&2\nexit 1\n",
    )
    .unwrap();
    make_executable(&fake);
    let global = dir.path().join("global-gitconfig");
    let config = format!(
        "[commit]\n\tgpgSign = true\n[tag]\n\tgpgSign = true\n[gpg]\n\tprogram = {}\n",
        fake.display()
    );
    fs::write(&global, config).unwrap();
    let mut child = support::child_test(module_path!(), "gpgsign_in_the_global_config_is_honoured");
    child.env(GLOBAL_GIT_CONFIG, &global);
    support::run_child_test(child);
}

#[cfg(unix)]
fn global_gpgsign_child() {
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n")]);
    let before = repo.head();
    repo.write("version.txt", "1.1.0\n");
    let opened = repo.open();
    let err = opened
        .commit_paths(&paths(&["version.txt"]), "release")
        .unwrap_err();
    assert!(
        err.to_string().contains("fault injection: global gpg"),
        "{err}"
    );
    assert_eq!(repo.head(), before);
    let err = opened.annotated_tag("v1.0.0", "Release").unwrap_err();
    assert!(
        err.to_string().contains("fault injection: global gpg"),
        "{err}"
    );
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn ssh_signed_commit_and_tag_verify() {
    let available = Command::new("which").arg("ssh-keygen").output();
    if !available.is_ok_and(|out| out.status.success()) {
        eprintln!("note: ssh-keygen not found; skipping the real SSH signing test");
        return;
    }
    let repo = TestRepo::with_files(&[("version.txt", "1.0.0\n")]);
    let key = configure_ssh_signing(&repo);
    assert!(key.exists());
    repo.write("version.txt", "2.0.0\n");
    let opened = repo.open();

    let id = opened
        .commit_paths(&paths(&["version.txt"]), "release 2.0.0")
        .unwrap();
    opened.annotated_tag("v2.0.0", "Release 2.0.0").unwrap();

    assert_eq!(id, repo.head());
    let commit = repo.git(&["cat-file", "-p", "HEAD"]);
    assert!(
        commit.contains("\ngpgsig -----BEGIN SSH SIGNATURE-----"),
        "{commit}"
    );
    repo.git(&["verify-commit", "HEAD"]);
    assert_eq!(repo.git(&["cat-file", "-t", "v2.0.0"]), "tag");
    let tag = repo.git(&["cat-file", "-p", "v2.0.0"]);
    assert!(tag.contains("-----BEGIN SSH SIGNATURE-----"), "{tag}");
    repo.git(&["verify-tag", "v2.0.0"]);
    assert_eq!(repo.status(), "");
}

/// A fresh ed25519 key, configured for signing and trusted for verifying.
fn configure_ssh_signing(repo: &TestRepo) -> PathBuf {
    let key = repo.path().join(".git/signing-key");
    let key_arg = key.to_string_lossy().into_owned();
    let keygen = Command::new("ssh-keygen")
        .args([
            "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", &key_arg,
        ])
        .output()
        .unwrap();
    assert!(keygen.status.success(), "{keygen:?}");
    let public = fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = repo.path().join(".git/allowed-signers");
    fs::write(&allowed, format!("{EMAIL} {public}")).unwrap();
    for (name, value) in [
        ("gpg.format", "ssh"),
        ("user.signingKey", &key_arg),
        ("gpg.ssh.allowedSignersFile", &allowed.to_string_lossy()),
        ("commit.gpgSign", "true"),
        ("tag.gpgSign", "true"),
    ] {
        repo.git(&["config", name, value]);
    }
    key
}
