//! The credential variables, in order, for a target. The same table serves the
//! process environment and `.env.local` / `.env`.
//!
//! Production tokens go to PyPI only: `PYPI_API_TOKEN` and `PYPI_API_KEY` are read
//! for `upload.pypi.org` and `TESTPYPI_API_TOKEN` for `test.pypi.org`, never for
//! another index. The tools' variables (twine's, maturin's, uv's) apply to
//! every target except those the target lists as foreign to that tool
//! ([`Target::foreign`]: another index is that tool's).

use super::super::secret::Secret;
use super::super::target::{Target, Tool};
use crate::env_vars::EnvVars;

/// A variable (or a username/password pair) that can hold credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    /// An API token; the username is `__token__`.
    Token(&'static str),
    /// A password, with an optional username variable (default: the target's
    /// username from `.pypirc`, else `__token__`).
    Pair {
        user: &'static str,
        password: &'static str,
    },
}

impl Var {
    /// The variable holding the secret.
    pub fn secret_name(&self) -> &'static str {
        match self {
            Var::Token(name) => name,
            Var::Pair { password, .. } => password,
        }
    }

    /// The tool the variable is read for, when it is a tool's.
    pub fn tool(&self) -> Option<Tool> {
        match self.secret_name() {
            EnvVars::TWINE_PASSWORD => Some(Tool::Twine),
            EnvVars::UV_PUBLISH_TOKEN | EnvVars::UV_PUBLISH_PASSWORD => Some(Tool::Uv),
            EnvVars::MATURIN_PYPI_TOKEN | EnvVars::MATURIN_PASSWORD => Some(Tool::Maturin),
            _ => None,
        }
    }

    /// The variables it reads: the secret, and the username of a pair.
    fn names(&self) -> Vec<&'static str> {
        match *self {
            Var::Token(name) => vec![name],
            Var::Pair { user, password } => vec![password, user],
        }
    }
}

const TOOL_GENERIC: [Var; 5] = [
    Var::Pair {
        user: EnvVars::TWINE_USERNAME,
        password: EnvVars::TWINE_PASSWORD,
    },
    Var::Token(EnvVars::MATURIN_PYPI_TOKEN),
    Var::Pair {
        user: EnvVars::MATURIN_USERNAME,
        password: EnvVars::MATURIN_PASSWORD,
    },
    Var::Token(EnvVars::UV_PUBLISH_TOKEN),
    Var::Pair {
        user: EnvVars::UV_PUBLISH_USERNAME,
        password: EnvVars::UV_PUBLISH_PASSWORD,
    },
];

/// The variables read for `target`, first hit wins.
pub fn for_target(target: &Target) -> Vec<Var> {
    let mut vars = Vec::new();
    if target.is_pypi() {
        vars.extend([EnvVars::PYPI_API_TOKEN, EnvVars::PYPI_API_KEY].map(Var::Token));
    } else if target.is_testpypi() {
        vars.push(Var::Token(EnvVars::TESTPYPI_API_TOKEN));
    }
    let foreign = |v: &Var| (target.foreign.iter()).any(|f| Some(f.tool) == v.tool());
    vars.extend(TOOL_GENERIC.into_iter().filter(|v| !foreign(v)));
    vars
}

/// For each tool variable that `get` has a value for and that is not read for
/// `target`: a note naming it and why (never the value).
pub fn left_out(target: &Target, get: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let mut notes = Vec::new();
    for var in TOOL_GENERIC {
        let Some(foreign) = (target.foreign.iter()).find(|f| Some(f.tool) == var.tool()) else {
            continue;
        };
        let set = var
            .names()
            .into_iter()
            .find(|name| get(name).is_some_and(|v| !v.trim().is_empty()));
        if let Some(name) = set {
            notes.push(format!(
                "{name} is set but not sent to {}: {}",
                target.upload_url, foreign.why
            ));
        }
    }
    notes
}

/// `PYPI_API_TOKEN, PYPI_API_KEY, TWINE_PASSWORD (with TWINE_USERNAME), …` for messages.
pub fn describe(vars: &[Var]) -> String {
    let names: Vec<String> = vars
        .iter()
        .map(|v| match v {
            Var::Token(name) => (*name).to_owned(),
            Var::Pair { user, password } => format!("{password} (with {user})"),
        })
        .collect();
    names.join(", ")
}

/// What a lookup found.
pub struct Hit {
    pub username: String,
    pub password: Secret,
    /// `PYPI_API_TOKEN`, or `TWINE_USERNAME and TWINE_PASSWORD`.
    pub names: String,
    /// Whether more than one variable was read.
    pub plural: bool,
}

/// The first variable of `vars` that `get` gives a non-empty value for. `hints`
/// collects half-set pairs (a username without its password).
pub fn lookup(
    vars: &[Var],
    get: &dyn Fn(&str) -> Option<String>,
    default_user: Option<&str>,
    hints: &mut Vec<String>,
) -> Option<Hit> {
    let value = |name: &str| get(name).filter(|v| !v.trim().is_empty());
    for var in vars {
        match *var {
            Var::Token(name) => {
                if let Some(token) = value(name) {
                    return Some(Hit {
                        username: "__token__".into(),
                        password: Secret::new(token.trim()),
                        names: name.into(),
                        plural: false,
                    });
                }
            }
            Var::Pair { user, password } => {
                let username = value(user);
                let Some(secret) = value(password) else {
                    if username.is_some() {
                        hints.push(format!("{user} is set but {password} is not"));
                    }
                    continue;
                };
                let secret = Secret::new(secret.trim_end_matches(['\r', '\n']));
                let plural = username.is_some();
                let names = match plural {
                    true => format!("{user} and {password}"),
                    false => password.to_owned(),
                };
                let fallback = default_user.unwrap_or("__token__").to_owned();
                return Some(Hit {
                    username: username.map_or(fallback, |u| u.trim().to_owned()),
                    password: secret,
                    names,
                    plural,
                });
            }
        }
    }
    None
}
