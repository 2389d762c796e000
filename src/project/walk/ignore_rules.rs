//! git's ignore rules for one repository, in git's order of precedence: the
//! `.gitignore` files from the deepest folder up, then `.git/info/exclude`,
//! then the global excludes file (`core.excludesFile`, else
//! `$XDG_CONFIG_HOME/git/ignore`). Patterns are matched by the `ignore` crate;
//! a pattern it cannot parse is skipped, as git skips it.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The rules that hold everywhere in the repository.
pub struct Rules {
    /// The root is a git work tree; outside one, git ignores nothing.
    pub in_git: bool,
    exclude: Gitignore,
    global: Gitignore,
}

/// The `.gitignore` of one folder, and those of the folders above it.
pub struct Chain {
    ignore: Gitignore,
    parent: Option<Arc<Chain>>,
}

impl Chain {
    pub fn new(dir: &Path, parent: Option<Arc<Chain>>) -> Chain {
        Chain {
            ignore: matcher(dir, &dir.join(".gitignore")),
            parent,
        }
    }
}

impl Rules {
    pub fn of_repository(root: &Path) -> Rules {
        let dot_git = root.join(".git");
        if !dot_git.exists() {
            return Rules {
                in_git: false,
                exclude: Gitignore::empty(),
                global: Gitignore::empty(),
            };
        }
        let exclude = match git_dir(&dot_git) {
            Some(dir) => matcher(root, &dir.join("info").join("exclude")),
            None => Gitignore::empty(),
        };
        Rules {
            in_git: true,
            exclude,
            global: GitignoreBuilder::new(root).build_global().0,
        }
    }

    /// Whether git ignores `path`, whose folder's rules are `chain`.
    pub fn ignores(&self, path: &Path, is_dir: bool, chain: Option<&Chain>) -> bool {
        let mut link = chain;
        while let Some(chain) = link {
            match chain.ignore.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => link = chain.parent.as_deref(),
            }
        }
        for rules in [&self.exclude, &self.global] {
            match rules.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}

/// The patterns of `file`, relative to `dir`; none when it cannot be read.
fn matcher(dir: &Path, file: &Path) -> Gitignore {
    let mut builder = GitignoreBuilder::new(dir);
    // Partial errors (one bad pattern) leave the others in place.
    let _ = builder.add(file);
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

/// The folder holding `info/exclude`: `.git` itself, or for a linked work
/// tree (`.git` is a file: `gitdir: ...`) the common folder it points to.
fn git_dir(dot_git: &Path) -> Option<PathBuf> {
    if dot_git.is_dir() {
        return Some(dot_git.to_path_buf());
    }
    let text = std::fs::read_to_string(dot_git).ok()?;
    let base = dot_git.parent()?;
    let dir = base.join(text.strip_prefix("gitdir:")?.trim());
    match std::fs::read_to_string(dir.join("commondir")) {
        Ok(common) => Some(dir.join(common.trim())),
        Err(_) => Some(dir),
    }
}
