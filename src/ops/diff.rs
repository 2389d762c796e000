//! Unified diffs of planned file changes, shown by `--dry-run`.

use similar::TextDiff;

/// A unified diff of `old` -> `new` with `a/` and `b/` headers for `name`.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn shows_only_the_changed_line_with_context() {
        let old = "a\nb\nversion = \"1\"\nc\nd\ne\n";
        let new = "a\nb\nversion = \"2\"\nc\nd\ne\n";
        let diff = super::unified("Cargo.toml", old, new);
        assert!(
            diff.starts_with("--- a/Cargo.toml\n+++ b/Cargo.toml\n"),
            "{diff}"
        );
        assert!(
            diff.contains("-version = \"1\"\n+version = \"2\"\n"),
            "{diff}"
        );
        assert!(!diff.contains(" e\n"), "context is two lines: {diff}");
    }
}
