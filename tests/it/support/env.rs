//! The process environment of the whole test binary, made hermetic once before
//! any test runs, and the list of variables no child process may inherit.
//!
//! Every module of this crate runs as threads of one process, so process-wide
//! state is set here and nowhere else. Before `main` (through the platform's
//! initializer section, as the `ctor` crate does) [`hermetic`] points `HOME`,
//! `XDG_CONFIG_HOME`, `XDG_CACHE_HOME` and `GIT_CONFIG_GLOBAL` into
//! `target/tmp/home` (with an empty git config; a child test may be given
//! another cache folder through [`CACHE_DIR`]), sets `GIT_CONFIG_NOSYSTEM=1` and `GIT_CEILING_DIRECTORIES`
//! to the temp folder, and removes git's repository and identity overrides and
//! every credential variable ([`is_credential_var`]). So neither libgit2, nor
//! the credential code reading `~/.pypirc`, nor any process a test starts sees
//! the developer's `~/.gitconfig`, `~/.pypirc` or tokens. `CARGO_HOME` and
//! `RUSTUP_HOME` are pinned to their real places first, so cargo and maturin
//! still find the toolchain and the registry cache.
//!
//! Tests never call `std::env::set_var`: what one test needs in its environment
//! goes to its child process (see [`super::TestContext`]), or the test re-runs
//! itself as a child ([`super::child_test`]).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Asks a child test process for this file as its global git config (set by
/// `git::signing::gpgsign_in_the_global_config_is_honoured`).
pub const GLOBAL_GIT_CONFIG: &str = "CARGO_PYPI_TEST_GLOBAL_CONFIG";

/// Asks a child test process for this folder as its cache folder
/// (`XDG_CACHE_HOME`), so that what it caches lands in the test's temp dir.
pub const CACHE_DIR: &str = "CARGO_PYPI_TEST_CACHE";

/// Prefixes of the credential variables of `cargo pypi publish` and of the tools
/// it stands in for (twine, uv, maturin, PyPI's own, GitHub's ID-token
/// service), beyond the library's own list (`EnvVars::SECRETS`, the one
/// table): a variable a later tool adds under these prefixes is withheld too.
/// `every_variable_the_library_reads_is_cleared` checks the coverage.
const CREDENTIAL_PREFIXES: [&str; 6] = [
    "TWINE_",
    "UV_PUBLISH_",
    "PYPI_",
    "TESTPYPI_",
    "MATURIN_PYPI_",
    "ACTIONS_ID_TOKEN_",
];

/// Whether `name` may hold a publishing credential: in the library's table of
/// secrets, or under one of [`CREDENTIAL_PREFIXES`].
pub fn is_credential_var(name: &str) -> bool {
    cargo_pypi::env_vars::EnvVars::SECRETS.contains(&name)
        || CREDENTIAL_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Whether a child process of a test must not inherit `name`: credentials, pip's
/// configuration (`PIP_*`, which could point an install elsewhere), and the CI
/// markers that switch on trusted publishing or GitHub's log masking. The test
/// process itself keeps `PIP_*` (builds with isolation install their backend
/// through pip) and `CI` (insta reads it).
pub fn is_withheld_from_children(name: &str) -> bool {
    is_credential_var(name)
        || name.starts_with("PIP_")
        || matches!(name, "GITHUB_ACTIONS" | "GITLAB_CI" | "CI")
}

/// Git's variables that would point it at another repository or identity.
const GIT_OVERRIDES: [&str; 12] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
    "EMAIL",
];

/// The names of every variable of this process matching `pred`.
pub fn vars_matching(pred: fn(&str) -> bool) -> Vec<String> {
    std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| pred(k))
        .collect()
}

/// Makes the process environment hermetic (once); returns the tests' home.
/// Runs before `main` where the platform allows (below), else on first use.
pub fn hermetic() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let real_home = std::env::var_os("HOME").map(PathBuf::from);
        for (var, sub) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
            let real = real_home.as_ref().map(|h| h.join(sub));
            match real {
                Some(dir) if std::env::var_os(var).is_none() && dir.is_dir() => {
                    std::env::set_var(var, dir)
                }
                _ => {}
            }
        }
        // In the target folder (cargo clean removes it), shared by the test
        // processes, so that no run leaves a folder behind.
        let home = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("home");
        std::fs::create_dir_all(&home).expect("the tests' home");
        let global = match std::env::var_os(GLOBAL_GIT_CONFIG) {
            Some(path) => PathBuf::from(path),
            None => {
                let empty = home.join("gitconfig");
                std::fs::write(&empty, "").expect("an empty global git config");
                empty
            }
        };
        std::env::set_var("HOME", &home);
        std::env::set_var("XDG_CONFIG_HOME", &home);
        // check-dist's readme_renderer copy: never the developer's cache.
        let cache = std::env::var_os(CACHE_DIR).map_or_else(|| home.join("cache"), PathBuf::from);
        std::env::set_var("XDG_CACHE_HOME", cache);
        std::env::set_var("GIT_CONFIG_GLOBAL", &global);
        std::env::set_var("GIT_CONFIG_NOSYSTEM", "1");
        std::env::set_var("GIT_CEILING_DIRECTORIES", std::env::temp_dir());
        for var in GIT_OVERRIDES {
            std::env::remove_var(var);
        }
        for var in vars_matching(is_credential_var) {
            std::env::remove_var(var);
        }
        home
    })
}

/// The global git config every git process of the tests reads (empty, or the
/// file a child test was given through [`GLOBAL_GIT_CONFIG`]).
pub fn global_git_config() -> &'static OsStr {
    hermetic();
    static GLOBAL: OnceLock<std::ffi::OsString> = OnceLock::new();
    GLOBAL.get_or_init(|| std::env::var_os("GIT_CONFIG_GLOBAL").expect("set by hermetic()"))
}

/// Runs [`hermetic`] before `main`, so before libtest starts any test thread.
extern "C" fn before_any_test() {
    hermetic();
}

#[used]
#[cfg_attr(
    any(
        target_os = "linux",
        target_os = "android",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly",
        target_os = "illumos"
    ),
    link_section = ".init_array"
)]
#[cfg_attr(target_vendor = "apple", link_section = "__DATA,__mod_init_func")]
#[cfg_attr(windows, link_section = ".CRT$XCU")]
static BEFORE_ANY_TEST: extern "C" fn() = before_any_test;

#[test]
fn the_environment_is_hermetic_before_any_test() {
    let home = hermetic();
    assert_eq!(std::env::var_os("HOME").as_deref(), Some(home.as_os_str()));
    assert_eq!(
        std::env::var_os("GIT_CONFIG_NOSYSTEM").as_deref(),
        Some(OsStr::new("1"))
    );
    assert!(vars_matching(is_credential_var).is_empty());
    for var in GIT_OVERRIDES {
        assert!(std::env::var_os(var).is_none(), "{var} is set");
    }
}

#[test]
fn every_variable_the_library_reads_is_cleared() {
    use cargo_pypi::publish::credentials::vars;
    use cargo_pypi::publish::target::Target;
    let other = Target {
        name: "other".into(),
        upload_url: "https://pkgs.example.com/legacy/".parse().unwrap(),
        index_url: "https://pkgs.example.com/simple/".parse().unwrap(),
        production: false,
        username: None,
        source: "the test".into(),
        url_credentials: None,
        foreign: Vec::new(),
    };
    let mut names = Vec::new();
    for target in [Target::pypi(), Target::testpypi(), other] {
        for var in vars::for_target(&target) {
            names.push(var.secret_name());
            if let vars::Var::Pair { user, .. } = var {
                names.push(user);
            }
        }
    }
    // Every secret in the library's one table of variables (trusted publishing's too).
    names.extend(cargo_pypi::env_vars::EnvVars::SECRETS);
    for name in names {
        assert!(is_credential_var(name), "{name} would reach the tests");
    }
    for name in ["GITHUB_ACTIONS", "GITLAB_CI", "CI", "PIP_INDEX_URL"] {
        assert!(is_withheld_from_children(name), "{name}");
    }
    assert!(!is_withheld_from_children("CARGO_PYPI_PYTHON"));
}
