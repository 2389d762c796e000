//! `cargo pypi release` end to end through the real binary: a real maturin
//! project, two real pypiservers on 127.0.0.1 (staging and production), a
//! bare git repository as the remote, real pip installing the release. The
//! fixture ([`Release`]) is here, the runs in [`steps`]; the summary users
//! read is in `output::release`.

mod doctor_ci;
mod steps;

use crate::github::stand_in::StandIn;
use crate::support::index::{Pypiserver, PASSWORD, USER};
use crate::support::{git, TestContext};
use std::process::{Command, Output};

/// bin-bindings (bintool 0.2.0) in a repository whose `origin` is a bare
/// repository next to it, its indexes the two servers.
pub struct Release {
    pub ctx: TestContext,
    pub remote: tempfile::TempDir,
    pub staging: Pypiserver,
    pub production: Pypiserver,
    /// A stand-in for GitHub's API (not GitHub), whose repository has the tag.
    pub github: StandIn,
}

impl Release {
    pub fn new() -> Release {
        let staging = Pypiserver::start();
        let production = Pypiserver::start();
        let ctx = TestContext::fixture("bin-bindings").venv();
        let config = format!(
            "\n[tool.cargo-pypi.repositories.staging]\nupload-url = \"{s}/\"\nindex-url = \"{s}/simple/\"\n\n\
             [tool.cargo-pypi.repositories.production]\nupload-url = \"{p}/\"\nindex-url = \"{p}/simple/\"\n\n\
             [tool.cargo-pypi.release]\nstaging = \"staging\"\nrepository = \"production\"\n",
            s = staging.base(),
            p = production.base()
        );
        let pyproject = ctx.read("pyproject.toml");
        std::fs::write(ctx.path().join("pyproject.toml"), pyproject + &config).unwrap();
        std::fs::write(ctx.path().join(".gitignore"), "/target/\n/dist/\n").unwrap();
        crate::support::git_init(ctx.path());
        let remote = tempfile::tempdir().unwrap();
        git(remote.path(), &["init", "-q", "--bare", "-b", "main"]);
        let url = remote.path().to_str().unwrap();
        git(ctx.path(), &["remote", "add", "origin", url]);
        git(ctx.path(), &["push", "-q", "-u", "origin", "main"]);
        Release {
            ctx,
            remote,
            staging,
            production,
            github: StandIn::start(&["v0.2.1"]),
        }
    }

    /// `cargo pypi <args>` with the indexes' login and the GitHub stand-in.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.ctx.command(args);
        cmd.env("TWINE_USERNAME", USER)
            .env("TWINE_PASSWORD", PASSWORD)
            .env("GITHUB_API_URL", &self.github.base)
            .env("GITHUB_REPOSITORY", crate::github::stand_in::REPO)
            .env("GITHUB_TOKEN", crate::github::stand_in::TOKEN);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run cargo-pypi")
    }

    pub fn remote_tags(&self) -> String {
        git(self.remote.path(), &["tag", "-l"])
    }
}
