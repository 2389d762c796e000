//! The `[tool.cargo-pypi]` table init appends to pyproject.toml when there is
//! none: what discovery found, every key commented out, so nothing behaves
//! differently until the user uncomments one; and one setting that goes with
//! the release workflow init writes: `[tool.cargo-pypi.release] publish =
//! false`, since that workflow publishes the tag (`cargo pypi release` then
//! stops after the push instead of publishing the same version twice). A
//! table already there is the user's and is left alone.

/// What discovery found, as the keys would spell it.
#[derive(Debug, Clone)]
pub struct Found {
    /// The crates that move, the one the package is built from first (it gives
    /// the release version).
    pub crates: Vec<String>,
    /// The changelog cargo-pypi keeps, relative to pyproject.toml's folder.
    pub changelog: Option<String>,
    pub tag_name: String,
}

/// The table, starting with a blank line.
pub fn table(found: &Found) -> String {
    let crates: Vec<String> = found.crates.iter().map(|c| quoted(c)).collect();
    let changelog = match &found.changelog {
        Some(path) => (
            format!("changelog = {}", quoted(path)),
            "the changelog `bump` writes and `check` reads",
        ),
        None => ("changelog = false".into(), "no changelog found"),
    };
    let keys = [
        (
            format!("crates = [{}]", crates.join(", ")),
            "the crates whose version moves with the package",
        ),
        changelog,
        (
            format!("tag-name = {}", quoted(&found.tag_name)),
            "the tag `bump --tag` makes; the release workflow runs on such tags",
        ),
    ];
    let width = keys.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::from(
        "\n[tool.cargo-pypi]\n\
         # Found by `cargo pypi init`. These are the defaults, written as comments:\n\
         # uncomment a key to fix its value (README, \"Configuration\").\n",
    );
    for (key, why) in keys {
        out.push_str(&format!("# {key:width$}  # {why}\n"));
    }
    out.push_str(
        "\n[tool.cargo-pypi.release]\n\
         # .github/workflows/release.yml publishes every tag: `cargo pypi release`\n\
         # bumps, tags and pushes, and leaves publishing to it.\n\
         publish = false\n",
    );
    out
}

/// `text` with `table` appended (after a newline if it lacks one).
pub fn with_table(text: &str, table: &str) -> String {
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(table);
    out
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_a_comment_and_the_table_reads_as_the_defaults() {
        let found = Found {
            crates: vec!["demo-py".into(), "demo-core".into()],
            changelog: Some("CHANGELOG.md".into()),
            tag_name: "v{version}".into(),
        };
        let text = with_table("[project]\nname = \"demo\"", &table(&found));
        assert!(
            text.contains("\n# crates = [\"demo-py\", \"demo-core\"]  # the crates"),
            "{text}"
        );
        assert!(text.contains("# changelog = \"CHANGELOG.md\""), "{text}");
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        let table = doc["tool"]["cargo-pypi"].as_table().unwrap();
        let keys: Vec<&str> = table.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["release"], "no other key is set: {text}");
        let release = table["release"].as_table().unwrap();
        assert_eq!(release.len(), 1, "{text}");
        assert_eq!(release["publish"].as_bool(), Some(false), "{text}");
    }
}
