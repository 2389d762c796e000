//! The release workflow `cargo pypi init` writes: the templates beside this
//! file (`workflow.yml` around the build jobs of `jobs-maturin.yml` or
//! `jobs-setuptools-rust.yml`), filled in with what discovery found.

/// Where the workflow goes, from the repository root.
pub const PATH: &str = ".github/workflows/release.yml";

/// The first line of every workflow init writes: a file that starts
/// otherwise is the user's, and init leaves it alone.
pub const MARKER: &str = "# Written by `cargo pypi init`";

const FRAME: &str = include_str!("workflow.yml");
const MATURIN: &str = include_str!("jobs-maturin.yml");
const SETUPTOOLS_RUST: &str = include_str!("jobs-setuptools-rust.yml");

/// How the wheels are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builder {
    /// maturin-action; `interpreters`: build for every Python found
    /// (`--find-interpreter`), as PyO3 extensions need; a `bin`, `cffi` or
    /// `uniffi` wheel does not depend on the Python version.
    Maturin { interpreters: bool },
    /// cibuildwheel, with Rust installed in its build containers.
    SetuptoolsRust,
}

/// What the workflow is filled in with.
#[derive(Debug, Clone)]
pub struct Workflow<'a> {
    pub name: &'a str,
    pub builder: Builder,
    /// The package folder from the repository root (`.` at the root).
    pub dir: &'a str,
    /// Its pyproject.toml from the repository root.
    pub pyproject: &'a str,
    /// `tool.cargo-pypi.tag-name` (`v{version}` by default).
    pub tag_name: &'a str,
}

/// The workflow text.
pub fn render(w: &Workflow) -> String {
    let (jobs, backend) = match w.builder {
        Builder::Maturin { .. } => (MATURIN, "maturin"),
        Builder::SetuptoolsRust => (SETUPTOOLS_RUST, "setuptools-rust"),
    };
    let args = match w.builder {
        Builder::Maturin { interpreters: true } => "--release --out dist --find-interpreter",
        _ => "--release --out dist",
    };
    let out = match w.dir {
        "." => "dist".to_string(),
        dir => format!("{dir}/dist"),
    };
    FRAME
        .replace("@JOBS@\n", &format!("{}\n", jobs.trim_end()))
        .replace("@MATURIN_ARGS@", args)
        .replace("@OUT@", &out)
        .replace("@DIR@", w.dir)
        .replace("@PYPROJECT@", w.pyproject)
        .replace("@TAG_PATTERN@", &tag_pattern(w.tag_name))
        .replace("@NAME@", w.name)
        .replace("@BACKEND@", backend)
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
}

/// The tag filter for a tag-name template: each placeholder becomes `*`
/// (`v{version}` -> `v*`); a `'` is doubled for the single-quoted YAML string.
pub fn tag_pattern(tag_name: &str) -> String {
    ["{version}", "{pep440}", "{semver}"]
        .iter()
        .fold(tag_name.to_string(), |t, p| t.replace(p, "*"))
        .replace('\'', "''")
}

/// Whether a path can stand in the workflow unquoted, in YAML and in a shell
/// command alike.
pub fn plain(path: &str) -> bool {
    !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(builder: Builder, dir: &str) -> String {
        render(&Workflow {
            name: "demo",
            builder,
            dir,
            pyproject: "pyproject.toml",
            tag_name: "v{version}",
        })
    }

    #[test]
    fn every_placeholder_is_filled() {
        let left = regex::Regex::new("@[A-Z_]+@").unwrap();
        for builder in [
            Builder::Maturin { interpreters: true },
            Builder::Maturin {
                interpreters: false,
            },
            Builder::SetuptoolsRust,
        ] {
            let text = workflow(builder, "bindings/python");
            assert!(!left.is_match(&text), "{text}");
            assert!(text.starts_with(MARKER), "{text}");
        }
    }

    #[test]
    fn tag_filter_follows_the_tag_name() {
        assert_eq!(tag_pattern("v{version}"), "v*");
        assert_eq!(tag_pattern("py-{semver}"), "py-*");
        assert_eq!(tag_pattern("it's-{pep440}"), "it''s-*");
    }

    #[test]
    fn only_a_bin_wheel_is_built_once() {
        let pyo3 = workflow(Builder::Maturin { interpreters: true }, ".");
        let bin = workflow(
            Builder::Maturin {
                interpreters: false,
            },
            ".",
        );
        assert!(pyo3.contains("args: --release --out dist --find-interpreter"));
        assert!(!bin.contains("--find-interpreter"));
    }

    #[test]
    fn paths_that_need_quoting_are_not_plain() {
        assert!(plain("bindings/python"));
        assert!(!plain("my package"));
        assert!(!plain("a'b"));
        assert!(!plain(""));
    }
}
