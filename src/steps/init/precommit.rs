//! The `cargo-pypi-check` hook in `.pre-commit-config.yaml`, edited as text:
//! when the hook id is absent, one `- repo:` entry is appended to the block
//! list under `repos:`, in the indentation the file already uses; every other
//! byte (comments, order, quoting) stays as it was. A `repos` written in flow
//! style (`repos: [...]`) is not edited: the entry to add by hand is named.

/// Where the configuration lives, from the repository root.
pub const PATH: &str = ".pre-commit-config.yaml";

/// The hook id of `.pre-commit-hooks.yaml`.
pub const HOOK_ID: &str = "cargo-pypi-check";

/// The repository pre-commit clones the hook from: the crate's `repository`,
/// else the form the README shows.
pub const HOOK_REPO: &str = match env!("CARGO_PKG_REPOSITORY").is_empty() {
    true => "https://github.com/<owner>/cargo-pypi",
    false => env!("CARGO_PKG_REPOSITORY"),
};

/// Whether the configuration runs the hook (`id: cargo-pypi-check`, quoted or not).
pub fn has_hook(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start().trim_start_matches('-').trim_start();
        let Some(value) = line.strip_prefix("id:") else {
            return false;
        };
        let value = value.split(" #").next().unwrap_or("").trim();
        value.trim_matches(|c| c == '"' || c == '\'') == HOOK_ID
    })
}

/// The configuration with the hook: a new file (`None`), or `text` with one
/// entry appended under `repos:`. `Err` says why the file cannot be edited.
pub fn with_hook(text: Option<&str>) -> Result<String, String> {
    let Some(text) = text else {
        let header = "# pre-commit hooks (https://pre-commit.com), set up by `cargo pypi init`.\n";
        return Ok(format!("{header}repos:\n{}", entry(2, 1)));
    };
    if has_hook(text) {
        return Ok(text.to_string());
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(key) = lines.iter().position(|l| is_repos_key(l)) else {
        if lines.iter().any(|l| is_any_repos_key(l)) {
            return Err(flow_style());
        }
        return Ok(format!("{}repos:\n{}", ended(text), entry(2, 1)));
    };
    let rest = after_comment(lines[key]).trim_end();
    if rest == "[]" {
        let comment = lines[key]
            .split_once("[]")
            .map_or("", |(_, c)| c.trim_end());
        let mut out: String = lines[..key].concat();
        out.push_str(&format!("repos:{comment}\n"));
        out.push_str(&entry(2, 1));
        out.push_str(&lines[key + 1..].concat());
        return Ok(out);
    }
    if !rest.is_empty() {
        return Err(flow_style());
    }
    let end = block_end(&lines, key);
    let (indent, gap) = item_style(&lines[key + 1..end]).unwrap_or((2, 1));
    let mut out = ended(&lines[..end].concat());
    out.push_str(&entry(indent, gap));
    out.push_str(&lines[end..].concat());
    Ok(out)
}

/// One `- repo:` entry: the dash `indent` spaces in, `gap` spaces after it;
/// the hooks list nested the same way under `hooks:`.
fn entry(indent: usize, gap: usize) -> String {
    let (dash, body) = (" ".repeat(indent), " ".repeat(indent + 1 + gap));
    let hook = format!("{body}{}-{}", " ".repeat(indent), " ".repeat(gap));
    let rev = concat!("v", env!("CARGO_PKG_VERSION"));
    format!(
        "{dash}-{}repo: {HOOK_REPO}\n{body}rev: {rev}\n{body}hooks:\n{hook}id: {HOOK_ID}\n",
        " ".repeat(gap)
    )
}

/// `repos:` at the start of a line, with a value or a comment after it or not.
fn is_repos_key(line: &str) -> bool {
    line.strip_prefix("repos:").is_some()
}

/// `repos` as a key in any spelling (`"repos":`), which is not edited.
fn is_any_repos_key(line: &str) -> bool {
    let key = line.trim_start_matches(['"', '\'']);
    key.starts_with("repos") && key[5..].trim_start_matches(['"', '\'']).starts_with(':')
}

/// What follows `repos:` on its line, without a trailing comment.
fn after_comment(line: &str) -> &str {
    let value = line["repos:".len()..].trim_start();
    match value.find('#') {
        Some(0) => "",
        Some(i) if value[..i].ends_with(' ') => value[..i].trim_end(),
        _ => value,
    }
}

/// The line after the last item line of the block under `repos:` (at `key`):
/// blank lines and comments at the end of the block belong to what follows.
fn block_end(lines: &[&str], key: usize) -> usize {
    let mut end = key + 1;
    for (i, line) in lines.iter().enumerate().skip(key + 1) {
        let top_level = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top_level {
            break;
        }
        let content = !line.trim().is_empty() && !line.trim_start().starts_with('#');
        if content {
            end = i + 1;
        }
    }
    end
}

/// The indentation of the first item (`  - repo:` gives 2 and 1; `-   repo:` 0 and 3).
fn item_style(block: &[&str]) -> Option<(usize, usize)> {
    block.iter().find_map(|line| {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let after = line[indent..].strip_prefix('-')?;
        let gap = after.len() - after.trim_start_matches(' ').len();
        (gap > 0).then_some((indent, gap))
    })
}

/// `text` ending with a newline.
fn ended(text: &str) -> String {
    match text.is_empty() || text.ends_with('\n') {
        true => text.to_string(),
        false => format!("{text}\n"),
    }
}

fn flow_style() -> String {
    format!(
        "its `repos` is not a block list that can be added to; add this entry by hand:\n{}",
        entry(2, 1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(text: &str) -> String {
        with_hook(Some(text)).unwrap()
    }

    #[test]
    fn a_new_file_holds_the_hook_as_the_readme_shows_it() {
        let text = with_hook(None).unwrap();
        let expected = format!(
            "repos:\n  - repo: {HOOK_REPO}\n    rev: v{}\n    hooks:\n      - id: cargo-pypi-check\n",
            env!("CARGO_PKG_VERSION")
        );
        assert!(text.ends_with(&expected), "{text}");
        assert!(has_hook(&text));
    }

    #[test]
    fn appends_after_the_last_entry_keeping_comments_and_the_next_key() {
        let text = "# top comment\nrepos:\n  # ruff first\n  - repo: https://example.org/ruff\n    rev: v1  # pinned\n    hooks:\n      - id: ruff\n\n# the rest\ndefault_stages: [pre-commit]\n";
        let out = added(text);
        let entry = entry(2, 1);
        let expected = text.replacen("- id: ruff\n", &format!("- id: ruff\n{entry}"), 1);
        assert_eq!(out, expected);
    }

    #[test]
    fn follows_the_indentation_of_the_file() {
        let text = "repos:\n-   repo: https://example.org/hooks\n    rev: v3.2.0\n    hooks:\n    -   id: trailing-whitespace\n";
        let expected = format!(
            "{text}-   repo: {HOOK_REPO}\n    rev: v{}\n    hooks:\n    -   id: cargo-pypi-check\n",
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(added(text), expected);
    }

    #[test]
    fn an_empty_list_or_no_repos_key_gets_one() {
        assert!(added("repos: []  # none yet\nci:\n  autofix: false\n")
            .starts_with("repos:  # none yet\n  - repo: "));
        let out = added("# nothing yet");
        assert!(
            out.starts_with("# nothing yet\nrepos:\n  - repo: "),
            "{out}"
        );
    }

    #[test]
    fn a_second_run_changes_nothing() {
        let once = added(
            "repos:\n  - repo: https://example.org/x\n    rev: v1\n    hooks:\n      - id: x\n",
        );
        assert_eq!(added(&once), once);
        assert!(has_hook(
            "repos:\n- repo: local\n  hooks:\n  - id: \"cargo-pypi-check\"  # ours\n"
        ));
        assert!(!has_hook(
            "repos:\n- repo: local\n  hooks:\n  - id: cargo-pypi-check-extra\n"
        ));
    }

    #[test]
    fn flow_style_is_refused_with_the_entry_to_add() {
        let err = with_hook(Some("repos: [{repo: local, hooks: []}]\n")).unwrap_err();
        assert!(err.contains("add this entry by hand"), "{err}");
        assert!(with_hook(Some("\"repos\": []\n")).is_err());
    }
}
