//! `[tool.cargo-pypi]` in a package's pyproject.toml: which crates move, extra
//! files, changelog, and commit/tag defaults. Unknown keys are errors, so a typo
//! never silently falls back to a default.

use crate::error::ReadError;
use crate::toml_doc::{Seg, TomlFile};
use crate::toml_path;
use crate::version::ReleaseVersion;
use std::path::PathBuf;

mod release;
pub use release::ReleaseConfig;

/// Settings of one Python package; every field has a documented default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Crates whose version moves with the Python version (default: see `project`).
    pub crates: Option<Vec<String>>,
    pub changelog: ChangelogSetting,
    /// Tag name template (default `v{version}`).
    pub tag_name: String,
    /// Commit message template (default `release {version}`).
    pub commit_message: String,
    /// Commit after `bump` without `--commit` (default false).
    pub commit: bool,
    /// Tag after `bump` without `--tag` (default false; implies commit).
    pub tag: bool,
    /// Extra files holding the version, found by a search template.
    pub files: Vec<ExtraFile>,
    /// `[tool.cargo-pypi.release]`.
    pub release: ReleaseConfig,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangelogSetting {
    /// Found beside pyproject.toml, else at the repo root (`CHANGELOG.md`,
    /// `CHANGES.rst`, `docs/changelog.rst`…: see `sources::changelog`).
    Auto,
    Path(PathBuf),
    Off,
}

/// A file given in `files = [{ path = "...", search = "..." }]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraFile {
    /// Relative to the pyproject.toml's folder.
    pub path: PathBuf,
    /// Literal text with one `{version}`, `{pep440}` or `{semver}` placeholder.
    pub search: String,
    /// Line of the entry in pyproject.toml, for error messages.
    pub line: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            crates: None,
            changelog: ChangelogSetting::Auto,
            tag_name: "v{version}".into(),
            commit_message: "release {version}".into(),
            commit: false,
            tag: false,
            files: Vec::new(),
            release: ReleaseConfig::default(),
        }
    }
}

/// `repositories` is read by `publish::target`.
const KEYS: &[&str] = &[
    "repositories",
    "crates",
    "changelog",
    "tag-name",
    "commit-message",
    "commit",
    "tag",
    "files",
    "release",
];

impl Config {
    /// Reads `[tool.cargo-pypi]` from a parsed pyproject.toml (defaults when absent).
    pub fn from_pyproject(file: &TomlFile) -> Result<Config, ReadError> {
        let base = toml_path!["tool", "cargo-pypi"];
        let Some(table) = file.get(&base).and_then(|t| t.as_table_like()) else {
            return Ok(Config::default());
        };
        let at = |key: &str| [base.to_vec(), vec![Seg::from(key)]].concat();
        for (key, item) in table.iter() {
            if !KEYS.contains(&key) {
                let line = file.line(item.span().unwrap_or(0..0).start);
                let known = KEYS.join(", ");
                return Err(ReadError::invalid(
                    &file.path,
                    line,
                    format!("unknown key `tool.cargo-pypi.{key}` (known: {known})"),
                ));
            }
        }
        let mut config = Config::default();
        if let Some(item) = file.get(&at("crates")) {
            config.crates = Some(string_list(file, item, &at("crates"))?);
        }
        config.changelog = changelog(file, &at("changelog"))?;
        if let Some(s) = file.string(&at("tag-name"))? {
            check_template(file, "tag-name", &s.value, s.line)?;
            check_tag_name(file, &s.value, s.line)?;
            config.tag_name = s.value;
        }
        if let Some(s) = file.string(&at("commit-message"))? {
            check_template(file, "commit-message", &s.value, s.line)?;
            if s.value.trim().is_empty() {
                let message = "`tool.cargo-pypi.commit-message` is empty; write a message such as \"release {version}\", or remove the key for that default";
                return Err(ReadError::invalid(&file.path, s.line, message));
            }
            config.commit_message = s.value;
        }
        config.commit = boolean(file, &at("commit"))?.unwrap_or(false);
        config.tag = boolean(file, &at("tag"))?.unwrap_or(false);
        config.files = extra_files(file, &at("files"))?;
        release::read(file, &mut config, &at("release"))?;
        Ok(config)
    }
}

fn boolean(file: &TomlFile, path: &[Seg]) -> Result<Option<bool>, ReadError> {
    let Some(item) = file.get(path) else {
        return Ok(None);
    };
    item.as_bool().map(Some).ok_or_else(|| {
        let line = file.line(item.span().unwrap_or(0..0).start);
        ReadError::invalid(
            &file.path,
            line,
            format!(
                "`{}` must be true or false",
                crate::toml_doc::display_path(path)
            ),
        )
    })
}

fn string_list(
    file: &TomlFile,
    item: &toml_edit::Item,
    path: &[Seg],
) -> Result<Vec<String>, ReadError> {
    let line = file.line(item.span().unwrap_or(0..0).start);
    let err = || {
        ReadError::invalid(
            &file.path,
            line,
            format!(
                "`{}` must be a list of strings",
                crate::toml_doc::display_path(path)
            ),
        )
    };
    let array = item.as_array().ok_or_else(err)?;
    array
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(err))
        .collect()
}

fn changelog(file: &TomlFile, path: &[Seg]) -> Result<ChangelogSetting, ReadError> {
    let Some(item) = file.get(path) else {
        return Ok(ChangelogSetting::Auto);
    };
    match (item.as_bool(), item.as_str()) {
        (Some(false), _) => Ok(ChangelogSetting::Off),
        (Some(true), _) => Ok(ChangelogSetting::Auto),
        (_, Some(p)) => Ok(ChangelogSetting::Path(PathBuf::from(p))),
        _ => {
            let line = file.line(item.span().unwrap_or(0..0).start);
            Err(ReadError::invalid(
                &file.path,
                line,
                "`tool.cargo-pypi.changelog` must be a path or false",
            ))
        }
    }
}

fn extra_files(file: &TomlFile, path: &[Seg]) -> Result<Vec<ExtraFile>, ReadError> {
    let Some(item) = file.get(path) else {
        return Ok(Vec::new());
    };
    let line = file.line(item.span().unwrap_or(0..0).start);
    let shape = "`tool.cargo-pypi.files` must be a list of { path = \"...\", search = \"...{version}...\" }";
    let entries: Vec<Option<&dyn toml_edit::TableLike>> =
        match (item.as_array(), item.as_array_of_tables()) {
            (Some(a), _) => a
                .iter()
                .map(|v| v.as_inline_table().map(|t| t as _))
                .collect(),
            (_, Some(a)) => a.iter().map(|t| Some(t as _)).collect(),
            _ => return Err(ReadError::invalid(&file.path, line, shape)),
        };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.ok_or_else(|| ReadError::invalid(&file.path, line, shape))?;
        if let Some((key, _)) = entry.iter().find(|(k, _)| !["path", "search"].contains(k)) {
            let message =
                format!("unknown key `{key}` in `tool.cargo-pypi.files` (known: path, search)");
            return Err(ReadError::invalid(&file.path, line, message));
        }
        let get = |k: &str| entry.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let (Some(p), Some(search)) = (get("path"), get("search")) else {
            return Err(ReadError::invalid(&file.path, line, shape));
        };
        check_template(file, "files", &search, line)?;
        if !search.contains("{version}")
            && !search.contains("{pep440}")
            && !search.contains("{semver}")
        {
            return Err(ReadError::invalid(
                &file.path,
                line,
                format!(
                    "search `{search}` has no {{version}}, {{pep440}} or {{semver}} placeholder"
                ),
            ));
        }
        out.push(ExtraFile {
            path: PathBuf::from(p),
            search,
            line,
        });
    }
    Ok(out)
}

fn check_template(
    file: &TomlFile,
    key: &str,
    template: &str,
    line: usize,
) -> Result<(), ReadError> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c);
        let name = close.map(|c| &rest[open + 1..c]).unwrap_or("");
        if !["version", "pep440", "semver"].contains(&name) {
            let message = format!("unknown placeholder in `tool.cargo-pypi.{key}` `{template}`: use {{version}} (PEP 440), {{pep440}} or {{semver}}");
            return Err(ReadError::invalid(&file.path, line, message));
        }
        rest = &rest[close.unwrap_or(rest.len()) + 1..];
    }
    Ok(())
}

/// A tag template must name the version (else the second release's tag
/// exists already) and make a name git accepts for any version.
fn check_tag_name(file: &TomlFile, template: &str, line: usize) -> Result<(), ReadError> {
    let invalid = |why: &str| {
        let message = format!("`tool.cargo-pypi.tag-name = \"{template}\"` {why}");
        Err(ReadError::invalid(&file.path, line, message))
    };
    if !["{version}", "{pep440}", "{semver}"]
        .iter()
        .any(|p| template.contains(p))
    {
        return invalid(
            "names no version, so every release would want the same tag: add {version} or {semver}",
        );
    }
    for sample in ["1.2.3", "1.2.3-rc.1"] {
        let version = ReleaseVersion::parse_semver(sample).expect("a valid sample version");
        let name = render(template, &version);
        if !git2::Reference::is_valid_name(&format!("refs/tags/{name}")) {
            return invalid(&format!("gives `{name}`, which is not a valid git tag name (no spaces, `..`, `~`, `^`, `:`, `?`, `*`, `[`, `\\` or leading `-`)"));
        }
    }
    Ok(())
}

/// Fills `{version}` / `{pep440}` (the Python spelling) and `{semver}` (the Cargo one).
pub fn render(template: &str, version: &ReleaseVersion) -> String {
    let pep440 = version.pep440();
    template
        .replace("{version}", &pep440)
        .replace("{pep440}", &pep440)
        .replace("{semver}", &version.semver())
}
