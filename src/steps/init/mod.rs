//! The init step: set a repository up for releases. The plan computes every
//! file's new content and writes nothing: `[tool.cargo-pypi]` in
//! pyproject.toml (what discovery found, as comments), `.env` and
//! `.env.local` in `.gitignore`, the `cargo-pypi-check` hook in
//! `.pre-commit-config.yaml`, and `.github/workflows/release.yml`. The apply
//! writes them all or none. A second run plans no change.

mod gitignore;
pub mod precommit;
mod table;
pub mod workflow;

use super::{Context, Error, Selected};
use crate::config::Config;
use crate::error::ReadError;
use crate::ops::{diff, fs};
use crate::project::python::Backend;
use crate::toml_doc::TomlFile;
use crate::toml_path;
use serde::Serialize;
use std::path::{Component, Path, PathBuf};

/// What init does to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Unchanged,
}

/// One file: its content now (`None`: absent) and what init would write.
pub struct Planned {
    pub path: PathBuf,
    pub old: Option<String>,
    pub new: String,
    /// What the file holds for the release, once written.
    pub what: String,
    /// Why `init --check` fails on it (`None`: in sync, or not checked: the
    /// `[tool.cargo-pypi]` table is the user's to keep, edit or drop).
    pub drift: Option<String>,
}

impl Planned {
    pub fn action(&self) -> Action {
        match &self.old {
            None => Action::Create,
            Some(old) if *old == self.new => Action::Unchanged,
            Some(_) => Action::Update,
        }
    }
}

/// Every file init sets up, in the order shown.
pub struct Plan {
    pub name: String,
    pub files: Vec<Planned>,
}

pub fn plan(ctx: &Context) -> Result<Plan, Error> {
    let selected = ctx.single()?;
    let root = &ctx.project.root;
    let files = vec![
        pyproject(ctx, &selected)?,
        ignore_file(root)?,
        pre_commit(root)?,
        release_workflow(ctx, &selected)?,
    ];
    Ok(Plan {
        name: selected.inventory.name.clone(),
        files,
    })
}

/// A unified diff of every file init would create or change.
pub fn diff(ctx: &Context, plan: &Plan) -> String {
    plan.files
        .iter()
        .filter(|f| f.action() != Action::Unchanged)
        .map(|f| diff::unified(&ctx.show(&f.path), f.old.as_deref().unwrap_or(""), &f.new))
        .collect()
}

/// Writes every file to create or change, all or none.
pub fn apply(plan: &Plan) -> Result<(), Error> {
    let mut changes = Vec::new();
    let mut new = Vec::new();
    for file in &plan.files {
        match (&file.old, file.action()) {
            (_, Action::Unchanged) => {}
            (Some(old), _) => changes.push(fs::FileChange {
                path: file.path.clone(),
                old: old.clone(),
                new: file.new.clone(),
            }),
            (None, _) => new.push(fs::NewFile {
                path: file.path.clone(),
                content: file.new.clone(),
            }),
        }
    }
    fs::write_all(&changes, &new)?;
    Ok(())
}

/// `[tool.cargo-pypi]`, appended when the package has none.
fn pyproject(ctx: &Context, selected: &Selected) -> Result<Planned, Error> {
    let file = &selected.package.file;
    let text = file.text().to_string();
    if file.get(&toml_path!["tool", "cargo-pypi"]).is_some() {
        return Ok(Planned {
            path: file.path.clone(),
            old: Some(text.clone()),
            new: text,
            what: "has a [tool.cargo-pypi] table: left as it is".into(),
            drift: None,
        });
    }
    let new = table::with_table(&text, &table::table(&found(selected)));
    // Appending must leave a pyproject.toml that reads, with the same
    // settings but the one the release workflow goes with.
    let edited = TomlFile::parse(&file.path, new.clone())?;
    let mut expected = selected.package.config.clone();
    expected.release.publish = Some(false);
    if Config::from_pyproject(&edited)? != expected {
        return Err(Error::Refused(format!(
            "{}: adding [tool.cargo-pypi] would change its settings; add the table by hand",
            ctx.show(&file.path)
        )));
    }
    Ok(Planned {
        path: file.path.clone(),
        old: Some(text),
        new,
        what: "[tool.cargo-pypi] with what was found, as comments".into(),
        drift: None,
    })
}

/// What discovery found, for the table's comments.
fn found(selected: &Selected) -> table::Found {
    let unit = &selected.unit;
    let built = unit.built.iter().filter_map(|m| m.name());
    let mut crates: Vec<String> = built
        .filter(|name| unit.moving.contains(*name))
        .map(String::from)
        .collect();
    for name in &unit.moving {
        if !crates.contains(name) {
            crates.push(name.clone());
        }
    }
    let inventory = &selected.inventory;
    let changelog = inventory.changelog.as_ref().filter(|c| c.kept());
    table::Found {
        crates,
        changelog: changelog.map(|c| relative(selected.package.dir(), &c.path)),
        tag_name: inventory.config.tag_name.clone(),
    }
}

/// `.env` and `.env.local` in the root `.gitignore`.
fn ignore_file(root: &Path) -> Result<Planned, Error> {
    let path = root.join(gitignore::PATH);
    let old = read_optional(&path)?;
    let missing = gitignore::missing(root, old.as_deref().unwrap_or(""));
    let drift = match (&old, missing.as_slice()) {
        (None, _) => Some("does not exist".to_string()),
        (Some(_), []) => None,
        (Some(_), names) => Some(format!("does not ignore {}", names.join(" and "))),
    };
    Ok(Planned {
        new: gitignore::with_entries(old.as_deref(), &missing),
        path,
        old,
        what: format!("ignores {}", gitignore::ENTRIES.join(" and ")),
        drift,
    })
}

/// The `cargo-pypi-check` hook in `.pre-commit-config.yaml`.
fn pre_commit(root: &Path) -> Result<Planned, Error> {
    let path = root.join(precommit::PATH);
    let old = read_optional(&path)?;
    let new = precommit::with_hook(old.as_deref()).map_err(|e| {
        Error::Refused(format!(
            "cannot add the `{}` hook to {}: {e}",
            precommit::HOOK_ID,
            precommit::PATH
        ))
    })?;
    let drift = match &old {
        None => Some("does not exist".to_string()),
        Some(text) if !precommit::has_hook(text) => {
            Some(format!("has no `{}` hook", precommit::HOOK_ID))
        }
        Some(_) => None,
    };
    Ok(Planned {
        path,
        old,
        new,
        what: format!("runs the `{}` hook", precommit::HOOK_ID),
        drift,
    })
}

/// `.github/workflows/release.yml`, unless a workflow of the user's is there.
fn release_workflow(ctx: &Context, selected: &Selected) -> Result<Planned, Error> {
    let root = &ctx.project.root;
    let path = root.join(workflow::PATH);
    let old = read_optional(&path)?;
    if old
        .as_ref()
        .is_some_and(|t| !t.starts_with(workflow::MARKER))
    {
        return Err(Error::Refused(format!(
            "{} exists and was not written by `cargo pypi init`; rename it (init writes its own release workflow there) or remove it",
            workflow::PATH
        )));
    }
    let package = selected.package;
    let dir = relative(root, package.dir());
    let pyproject = relative(root, &package.file.path);
    if let Some(path) = [&dir, &pyproject].into_iter().find(|p| !workflow::plain(p)) {
        return Err(Error::Refused(format!(
            "the package's path `{path}` would need quoting in the release workflow; init writes paths of letters, digits and `._/-` only"
        )));
    }
    let builder = match &package.backend {
        Backend::Maturin { bindings } => workflow::Builder::Maturin {
            interpreters: !matches!(bindings.as_deref(), Some("bin" | "cffi" | "uniffi")),
        },
        Backend::SetuptoolsRust => workflow::Builder::SetuptoolsRust,
    };
    let new = workflow::render(&workflow::Workflow {
        name: &selected.inventory.name,
        builder,
        dir: &dir,
        pyproject: &pyproject,
        tag_name: &selected.inventory.config.tag_name,
    });
    let version = env!("CARGO_PKG_VERSION");
    let drift = match &old {
        None => Some("does not exist".to_string()),
        Some(text) if *text != new => Some(format!(
            "differs from what cargo-pypi {version} writes (`cargo pypi init --dry-run` shows how)"
        )),
        Some(_) => None,
    };
    Ok(Planned {
        path,
        old,
        new,
        what: "on a tag: wheels, sdist, PyPI by trusted publishing, GitHub release".into(),
        drift,
    })
}

/// The file's text, `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ReadError::io(path, e).into()),
    }
}

/// `to` relative to the folder `from`, with `/` (`.` for the folder itself;
/// `../` where `to` is beside or above it).
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let parts: Vec<String> = std::iter::repeat_n("..".to_string(), from.len() - common)
        .chain(
            to[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect();
    match parts.is_empty() {
        true => ".".into(),
        false => parts.join("/"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_paths_use_slashes_and_dots() {
        use std::path::Path;
        let rel = |a: &str, b: &str| super::relative(Path::new(a), Path::new(b));
        assert_eq!(rel("/r", "/r"), ".");
        assert_eq!(rel("/r", "/r/bindings/python"), "bindings/python");
        assert_eq!(
            rel("/r/bindings/python", "/r/CHANGELOG.md"),
            "../../CHANGELOG.md"
        );
    }
}
