//! Cargo manifests as far as versions go: a crate's name and version (literal or
//! inherited from `[workspace.package]`), and which workspace root it inherits from.

use crate::error::ReadError;
use crate::toml_doc::{Located, TomlFile};
use crate::toml_path;
use std::path::{Path, PathBuf};

/// How a crate states its version.
#[derive(Debug, Clone)]
pub enum CrateVersion {
    Literal(Located),
    /// `version.workspace = true` / `version = { workspace = true }`.
    Inherited,
    /// No version key (Cargo takes 0.0.0); never moved.
    Missing,
}

#[derive(Debug, Clone)]
pub struct Package {
    pub name: String,
    pub version: CrateVersion,
}

/// One parsed Cargo.toml.
pub struct Manifest {
    pub file: TomlFile,
    pub package: Option<Package>,
    /// `[workspace]` is present.
    pub is_workspace: bool,
    /// `[workspace.package].version`.
    pub workspace_version: Option<Located>,
    /// `[lib].name`, which maturin uses as the default module name.
    pub lib_name: Option<String>,
    /// `[workspace] members` and `exclude`: path patterns relative to the manifest's folder.
    pub members: Vec<String>,
    pub exclude: Vec<String>,
    /// `[package] publish`: `false` or `[]` is `Some(false)`; `None` when
    /// inherited from `[workspace.package]`. Absent means published.
    pub publish: Option<bool>,
    /// `[workspace.package] publish`, when set.
    pub workspace_publish: Option<bool>,
}

impl Manifest {
    pub fn read(path: &Path) -> Result<Manifest, ReadError> {
        let file = TomlFile::read(path)?;
        let is_workspace = file.get(&toml_path!["workspace"]).is_some();
        let workspace_version = file.string(&toml_path!["workspace", "package", "version"])?;
        let package = match file.get(&toml_path!["package"]) {
            Some(_) => Some(package(&file)?),
            None => None,
        };
        let lib_name = file
            .get(&toml_path!["lib", "name"])
            .and_then(|n| n.as_str())
            .map(str::to_string);
        let patterns = |key: &str| -> Vec<String> {
            let list = file
                .get(&toml_path!["workspace", key])
                .and_then(|m| m.as_array());
            list.into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let publish = |item: Option<&toml_edit::Item>| match item {
            Some(item) if item.as_bool().is_some() => item.as_bool(),
            Some(item) if item.as_array().is_some() => item.as_array().map(|a| !a.is_empty()),
            Some(_) => None,
            None => Some(true),
        };
        let workspace_publish = file.get(&toml_path!["workspace", "package", "publish"]);
        Ok(Manifest {
            publish: publish(file.get(&toml_path!["package", "publish"])),
            workspace_publish: workspace_publish.and_then(|item| publish(Some(item))),
            members: patterns("members"),
            exclude: patterns("exclude"),
            file,
            package,
            is_workspace,
            workspace_version,
            lib_name,
        })
    }

    pub fn path(&self) -> &Path {
        &self.file.path
    }

    pub fn dir(&self) -> &Path {
        self.file.path.parent().unwrap_or(Path::new("."))
    }

    pub fn name(&self) -> Option<&str> {
        self.package.as_ref().map(|p| p.name.as_str())
    }

    /// Whether the crate whose manifest is `member` is listed in this
    /// workspace's `members` (Cargo's glob patterns) and not in `exclude`.
    pub fn lists_member(&self, member: &Path) -> bool {
        let Ok(rel) = member.parent().unwrap_or(member).strip_prefix(self.dir()) else {
            return false;
        };
        let matches = |patterns: &[String]| {
            patterns.iter().any(|pattern| {
                let pattern = pattern.trim_end_matches('/');
                globset::GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .build()
                    .is_ok_and(|glob| glob.compile_matcher().is_match(rel))
            })
        };
        matches(&self.members) && !matches(&self.exclude)
    }
}

fn package(file: &TomlFile) -> Result<Package, ReadError> {
    let name = file
        .string(&toml_path!["package", "name"])?
        .ok_or_else(|| ReadError::invalid(&file.path, 0, "`[package]` has no `name`"))?
        .value;
    let path = toml_path!["package", "version"];
    let version = match file.get(&path) {
        None => CrateVersion::Missing,
        Some(item) if item.as_str().is_some() => {
            CrateVersion::Literal(file.string_of(item, &path)?)
        }
        Some(item) => {
            let inherits = item
                .as_table_like()
                .and_then(|t| t.get("workspace"))
                .and_then(|w| w.as_bool())
                .unwrap_or(false);
            if !inherits {
                let line = file.line(item.span().unwrap_or(0..0).start);
                return Err(ReadError::invalid(
                    &file.path,
                    line,
                    "`package.version` must be a string or `{ workspace = true }`",
                ));
            }
            CrateVersion::Inherited
        }
    };
    Ok(Package { name, version })
}

/// Every Cargo.toml of the repository.
pub struct Crates {
    pub manifests: Vec<Manifest>,
}

impl Crates {
    /// Reads every manifest; those that cannot be read come back separately so
    /// that a broken manifest elsewhere in the repository does not stop the run.
    pub fn load(paths: &[PathBuf]) -> (Crates, Vec<(PathBuf, ReadError)>) {
        let mut manifests = Vec::with_capacity(paths.len());
        let mut broken = Vec::new();
        for path in paths {
            match Manifest::read(path) {
                Ok(m) => manifests.push(m),
                Err(e) => broken.push((path.clone(), e)),
            }
        }
        (Crates { manifests }, broken)
    }

    pub fn by_path(&self, path: &Path) -> Option<&Manifest> {
        self.manifests.iter().find(|m| m.path() == path)
    }

    /// Manifests of packages named `name` (several when unrelated workspaces reuse a name).
    pub fn by_name<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Manifest> + 'a {
        self.manifests
            .iter()
            .filter(move |m| m.name() == Some(name))
    }

    /// The workspace root a crate inherits from: the nearest manifest with
    /// `[workspace]` in the crate's folder or above it (Cargo's own search).
    pub fn workspace_of(&self, member: &Manifest) -> Option<&Manifest> {
        member.dir().ancestors().find_map(|dir| {
            self.manifests
                .iter()
                .find(|m| m.is_workspace && m.dir() == dir)
        })
    }

    /// The version a crate has: its own, or its workspace's when it inherits.
    pub fn version_of<'a>(&'a self, manifest: &'a Manifest) -> Option<&'a str> {
        match &manifest.package.as_ref()?.version {
            CrateVersion::Literal(located) => Some(&located.value),
            CrateVersion::Inherited => self
                .workspace_of(manifest)?
                .workspace_version
                .as_ref()
                .map(|v| v.value.as_str()),
            CrateVersion::Missing => None,
        }
    }

    /// Whether the crate may go to a registry (`publish` not `false` or `[]`,
    /// its own or its workspace's).
    pub fn publishes(&self, manifest: &Manifest) -> bool {
        match manifest.publish {
            Some(publish) => publish,
            None => self
                .workspace_of(manifest)
                .and_then(|root| root.workspace_publish)
                .unwrap_or(true),
        }
    }

    /// Crates that inherit their version from the workspace rooted at `root`.
    pub fn inheritors<'a>(&'a self, root: &'a Manifest) -> impl Iterator<Item = &'a Manifest> + 'a {
        self.manifests.iter().filter(move |m| {
            matches!(
                m.package,
                Some(Package {
                    version: CrateVersion::Inherited,
                    ..
                })
            ) && self.workspace_of(m).map(Manifest::path) == Some(root.path())
        })
    }
}
