//! The state of a release in progress: a small TOML file under `.git/` (git
//! never commits it), written after every step, so that a re-run continues
//! where a failure stopped with the same version, and never bumps, tags or
//! uploads twice. Removed when the release is complete or aborted.

use crate::error::ReadError;
use std::path::{Path, PathBuf};

/// The steps of a release that change something, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Bump,
    Build,
    Staging,
    Production,
    Tag,
    Push,
    GithubRelease,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Bump,
        Step::Build,
        Step::Staging,
        Step::Production,
        Step::Tag,
        Step::Push,
        Step::GithubRelease,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Step::Bump => "bump",
            Step::Build => "build",
            Step::Staging => "staging",
            Step::Production => "production",
            Step::Tag => "tag",
            Step::Push => "push",
            Step::GithubRelease => "github-release",
        }
    }

    fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// What a release in progress has done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The version being released (PEP 440 spelling).
    pub version: String,
    pub tag: String,
    /// The LEVEL or VERSION as given (`patch`), to tell a re-run from a new release.
    pub requested: String,
    /// The release commit, once made.
    pub commit: Option<String>,
    /// Steps done (or skipped by an option), in order.
    pub done: Vec<Step>,
    /// The checked artifacts, once built.
    pub artifacts: Vec<PathBuf>,
    /// The tag's message (the changelog section), kept from the bump.
    pub tag_message: String,
}

impl State {
    /// `<git dir>/cargo-pypi/release.toml`.
    pub fn path(git_dir: &Path) -> PathBuf {
        git_dir.join("cargo-pypi").join("release.toml")
    }

    /// The state at `path`, `None` when no release is in progress.
    pub fn load(path: &Path) -> Result<Option<State>, ReadError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(ReadError::io(path, e)),
        };
        let invalid = |what: &str| {
            let message = format!("{what}; `cargo pypi release --abort` drops this state");
            ReadError::invalid(path, 0, message)
        };
        let doc: toml_edit::DocumentMut = text.parse().map_err(|_| invalid("not TOML"))?;
        let string = |key: &str| doc.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let list = |key: &str| -> Vec<String> {
            let array = doc.get(key).and_then(|v| v.as_array());
            let items = array.into_iter().flatten();
            items
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let mut done = Vec::new();
        for name in list("done") {
            done.push(
                Step::from_name(&name).ok_or_else(|| invalid(&format!("unknown step `{name}`")))?,
            );
        }
        Ok(Some(State {
            version: string("version").ok_or_else(|| invalid("no `version`"))?,
            tag: string("tag").ok_or_else(|| invalid("no `tag`"))?,
            requested: string("requested").unwrap_or_default(),
            commit: string("commit"),
            done,
            artifacts: list("artifacts").into_iter().map(PathBuf::from).collect(),
            tag_message: string("tag-message").unwrap_or_default(),
        }))
    }

    /// Writes the state to `path` (atomically: a temporary file renamed into place).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut doc = toml_edit::DocumentMut::new();
        doc["version"] = toml_edit::value(&self.version);
        doc["tag"] = toml_edit::value(&self.tag);
        doc["requested"] = toml_edit::value(&self.requested);
        if let Some(commit) = &self.commit {
            doc["commit"] = toml_edit::value(commit);
        }
        let done: toml_edit::Array = self.done.iter().map(|s| s.name()).collect();
        doc["done"] = toml_edit::value(done);
        let paths = self.artifacts.iter().map(|p| p.display().to_string());
        doc["artifacts"] = toml_edit::value(paths.collect::<toml_edit::Array>());
        doc["tag-message"] = toml_edit::value(&self.tag_message);
        let header = "# cargo pypi release in progress: run `cargo pypi release` again to go on,\n\
                      # or `cargo pypi release --abort` to drop this file (nothing published is undone).\n";
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let file = tempfile::NamedTempFile::new_in(dir)?;
        std::fs::write(file.path(), format!("{header}{doc}"))?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    pub fn is_done(&self, step: Step) -> bool {
        self.done.contains(&step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = State::path(dir.path());
        assert_eq!(State::load(&path).unwrap(), None);
        let state = State {
            version: "1.3.1rc1".into(),
            tag: "v1.3.1rc1".into(),
            requested: "rc".into(),
            commit: Some("0123abcd".into()),
            done: vec![Step::Bump, Step::Build],
            artifacts: vec![PathBuf::from("/x/dist/a-1.3.1rc1.tar.gz")],
            tag_message: "release 1.3.1rc1\n\n### Fixed\n- \"quotes\"\n".into(),
        };
        state.save(&path).unwrap();
        assert_eq!(State::load(&path).unwrap(), Some(state));
        std::fs::write(&path, "version = 1\n").unwrap();
        let error = State::load(&path).unwrap_err().to_string();
        assert!(error.contains("--abort"), "{error}");
    }
}
