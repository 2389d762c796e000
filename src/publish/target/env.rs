//! The target variables of twine, uv and maturin: the index each tool's own
//! variables name, the target they give when no flag does, and whose
//! credential variables may be sent to a target (see the order in
//! [`super`]).

use super::check::from_urls;
use super::uv_config;
use super::{builtin, from_pypirc, Target, TargetError, TargetRequest};
use crate::env_vars::EnvVars;
use crate::publish::url::redact_url;

/// A tool whose variables cargo-pypi reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Twine,
    Uv,
    Maturin,
}

impl Tool {
    /// In the order their variables are read.
    pub const ALL: [Tool; 3] = [Tool::Twine, Tool::Uv, Tool::Maturin];

    /// The variable holding an upload URL, then the one holding a name.
    fn vars(self) -> (&'static str, &'static str) {
        match self {
            Tool::Twine => (EnvVars::TWINE_REPOSITORY_URL, EnvVars::TWINE_REPOSITORY),
            Tool::Uv => (EnvVars::UV_PUBLISH_URL, EnvVars::UV_PUBLISH_INDEX),
            Tool::Maturin => (EnvVars::MATURIN_REPOSITORY_URL, EnvVars::MATURIN_REPOSITORY),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Tool::Twine => "twine",
            Tool::Uv => "uv",
            Tool::Maturin => "maturin",
        }
    }
}

/// A tool whose credential variables must not go to a target, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    pub tool: Tool,
    /// A clause for messages: `they belong to the index TWINE_REPOSITORY_URL names (…)`.
    pub why: String,
}

/// Where the chosen target came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// `--repository-url` or `--repository` (or a release's configured name).
    Flag,
    /// The tool's own variable named it.
    Env(Tool, &'static str),
    /// Nothing named one: PyPI.
    Default,
}

/// What one tool's variables name.
pub(super) struct Named {
    tool: Tool,
    /// The variable that was used.
    var: &'static str,
    target: Result<Target, TargetError>,
}

/// The index each tool's variables name, for the tools that have one set; a
/// tool's URL variable wins over its name variable, as in the tool.
pub(super) fn read(request: &TargetRequest) -> Vec<Named> {
    let get = |name: &str| -> Option<String> {
        let value = match &request.env {
            Some(pairs) => pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone()),
            None => std::env::var(name).ok(),
        };
        value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    };
    let mut named = Vec::new();
    for tool in Tool::ALL {
        let (url_var, name_var) = tool.vars();
        let (var, target) = if let Some(url) = get(url_var) {
            let origin = format!("environment variable {url_var}");
            let index_var = EnvVars::UV_PUBLISH_CHECK_URL;
            let index = (tool == Tool::Uv).then(|| get(index_var)).flatten();
            let index_origin = format!("environment variable {index_var}");
            let target = from_urls(&url, index.as_deref(), &origin, &index_origin);
            (url_var, target)
        } else if let Some(name) = get(name_var) {
            (name_var, by_name(tool, name_var, &name, request))
        } else {
            continue;
        };
        named.push(Named { tool, var, target });
    }
    named
}

/// With no flag: the target the variables name, when they name one. Every
/// tool that names one must name the same index.
pub(super) fn choose(named: &[Named]) -> Result<Option<(Target, Origin)>, TargetError> {
    let mut chosen: Option<&Named> = None;
    for this in named {
        // Each message names the variable and says to unset it.
        let target = (this.target.as_ref()).map_err(|e| TargetError::Invalid(e.to_string()))?;
        match chosen {
            None => chosen = Some(this),
            Some(first) => {
                let first_target = first.target.as_ref().expect("checked above");
                if !same_index(first_target, target) {
                    return Err(TargetError::Invalid(format!(
                        "{} names {} but {} names {}: which one is meant? Unset one, or choose \
                         the index with --repository-url or -r",
                        first.var, first_target.upload_url, this.var, target.upload_url
                    )));
                }
            }
        }
    }
    Ok(chosen.map(|n| {
        let target = n.target.as_ref().expect("checked above").clone();
        (target, Origin::Env(n.tool, n.var))
    }))
}

/// The tools whose credential variables must not go to `target`: a tool's
/// credentials belong to the index its own variables name; without one, to the
/// index the command line names, else to PyPI (where the tool would send them).
pub(super) fn foreign(named: &[Named], target: &Target, origin: Origin) -> Vec<Foreign> {
    let mut out = Vec::new();
    for tool in Tool::ALL {
        let why = match named.iter().find(|n| n.tool == tool) {
            Some(Named {
                var,
                target: Ok(theirs),
                ..
            }) => (!same_index(theirs, target)).then(|| {
                format!(
                    "they belong to the index {var} names ({})",
                    theirs.upload_url
                )
            }),
            Some(Named {
                var,
                target: Err(_),
                ..
            }) => Some(format!(
                "they belong to the index {var} names, which cannot be found"
            )),
            None => match origin {
                Origin::Env(other, var) if other != tool && !target.is_pypi() => {
                    let (url_var, name_var) = tool.vars();
                    Some(format!(
                        "with neither {url_var} nor {name_var} set, {} would send them to PyPI, \
                         while {var} chose this index",
                        tool.name()
                    ))
                }
                _ => None,
            },
        };
        out.extend(why.map(|why| Foreign { tool, why }));
    }
    out
}

/// The same upload URL, a trailing slash aside.
fn same_index(a: &Target, b: &Target) -> bool {
    a.upload_url.as_str().trim_end_matches('/') == b.upload_url.as_str().trim_end_matches('/')
}

/// `TWINE_REPOSITORY`/`MATURIN_REPOSITORY` in `.pypirc` (or built in);
/// `UV_PUBLISH_INDEX` among pyproject.toml's `[[tool.uv.index]]`.
fn by_name(
    tool: Tool,
    var: &str,
    name: &str,
    request: &TargetRequest,
) -> Result<Target, TargetError> {
    let mut target = match tool {
        Tool::Uv => uv_index(name, request)?,
        Tool::Twine | Tool::Maturin => match from_pypirc(name, request)? {
            Some(target) => target,
            None => builtin(name, request).map_err(|_| {
                TargetError::UnknownRepository(format!(
                    "{var} names `{name}`, which is neither pypi, testpypi nor a section of \
                     ~/.pypirc; add a `[{name}]` section with `repository = https://…/legacy/` \
                     to ~/.pypirc, or unset {var}"
                ))
            })?,
        },
    };
    target.source = format!("environment variable {var}: {}", target.source);
    Ok(target)
}

/// The uv index named `name` (`[[tool.uv.index]]`, or `[[index]]` in
/// uv.toml, where uv reads its configuration), with its `publish-url` and `url`.
fn uv_index(name: &str, request: &TargetRequest) -> Result<Target, TargetError> {
    let var = EnvVars::UV_PUBLISH_INDEX;
    let missing = |why: &str| {
        TargetError::UnknownRepository(format!(
            "{var} names `{name}`, but {why}; add `[[tool.uv.index]]` with `name = \"{name}\"`, \
             `url = \"https://…/simple/\"` and `publish-url = \"https://…/legacy/\"` to \
             pyproject.toml, or unset {var}"
        ))
    };
    // The package's folder; without a package (artifacts published outside
    // a checkout), the current folder, as uv itself starts there.
    let package = request.pyproject.as_deref().filter(|p| p.exists());
    let start = match package {
        Some(path) => std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Into::into)),
        None => std::env::current_dir().ok(),
    };
    let Some(start) = start else {
        return Err(missing("the current folder cannot be read"));
    };
    let config = uv_config::find(&start)
        .map_err(|e| TargetError::Invalid(redact_url(&e)))?
        .ok_or_else(|| {
            missing(&format!(
                "no uv configuration (uv.toml, or pyproject.toml with [tool.uv]) is in {} or above",
                start.display()
            ))
        })?;
    let entry = config
        .indexes()
        .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(name));
    let at = format!("{} {} `{name}`", config.path.display(), config.table_name());
    let Some(entry) = entry else {
        return Err(missing(&format!(
            "{} defines no such index",
            config.path.display()
        )));
    };
    let string = |key: &str| entry.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let Some(upload) = string("publish-url") else {
        return Err(TargetError::Invalid(format!(
            "{at} has no `publish-url` (uv uploads only to an index that has one); add \
             `publish-url = \"https://…/legacy/\"` to it, or unset {var}"
        )));
    };
    let index = string("url");
    let mut target = from_urls(&upload, index.as_deref(), &at, &at)?;
    target.name = name.to_owned();
    target.source = at;
    Ok(target)
}
