//! `.env.local` and `.env`: their order, syntax, and the refusals (readable by
//! others, tracked by git, not ignored) that name the fix but never the value.

use super::*;
use cargo_pypi::publish::credentials::dotenv::DotenvFile;

#[test]
fn environment_wins_over_dotenv_and_dotenv_local_over_dotenv() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env.local"),
        "PYPI_API_TOKEN=pypi-local\n",
        0o600,
    );
    write(
        &place.root().join(".env"),
        "PYPI_API_TOKEN=pypi-plain\n",
        0o600,
    );
    let env = [("PYPI_API_KEY", "pypi-env")];
    assert_eq!(
        place.find(&Target::pypi(), &env).unwrap().source,
        "environment variable PYPI_API_KEY"
    );
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(found.source, ".env.local (PYPI_API_TOKEN)");
    assert_eq!(found.password.expose(), "pypi-local");
    std::fs::remove_file(place.root().join(".env.local")).unwrap();
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(
        (found.source.as_str(), found.password.expose()),
        (".env (PYPI_API_TOKEN)", "pypi-plain")
    );
}

#[test]
fn dotenv_file_is_searched_completely_before_the_next() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env.local"),
        "TWINE_PASSWORD=pypi-local\n",
        0o600,
    );
    write(
        &place.root().join(".env"),
        "PYPI_API_TOKEN=pypi-plain\n",
        0o600,
    );
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(found.source, ".env.local (TWINE_PASSWORD)");
}

#[test]
fn dotenv_syntax_export_quotes_and_comments() {
    let place = Place::git_ignoring_env();
    let text = format!(
        "# credentials\nexport PYPI_USERNAME=someone\n\nexport  PYPI_API_KEY = \"{KNOWN}\"  # from pypi.org\nOTHER='x'\n"
    );
    write(&place.root().join(".env"), &text, 0o600);
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(found.source, ".env (PYPI_API_KEY)");
    assert_eq!(found.password.expose(), KNOWN);
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_KEY='{KNOWN}'\r\n"),
        0o600,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().password.expose(),
        KNOWN
    );
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_KEY={KNOWN} # note\n"),
        0o600,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().password.expose(),
        KNOWN
    );
}

#[test]
fn dotenv_outside_git_needs_only_a_private_mode() {
    let place = Place::new();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o600,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().source,
        ".env (PYPI_API_TOKEN)"
    );
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o640,
    );
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Unsafe(_)), "{err:?}");
    assert!(
        text.contains("readable by other users (mode 640)"),
        "{text}"
    );
    assert!(text.contains("`chmod 600 .env`"), "{text}");
    assert!(!text.contains("git"), "{text}");
    assert_no_leak("refusal", &text, KNOWN);
}

#[test]
fn dotenv_tracked_by_git_is_refused_with_git_rm_cached() {
    let place = Place::new();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o600,
    );
    support::git_init(place.root()); // commits .env
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Unsafe(_)), "{err:?}");
    assert!(text.contains("tracked by git"), "{text}");
    assert!(text.contains("`git rm --cached .env`"), "{text}");
    assert!(
        text.contains("revoke the token at https://pypi.org/manage/account/token/"),
        "{text}"
    );
    assert!(!text.contains("chmod"), "{text}");
    assert_no_leak("refusal", &text, KNOWN);
    assert_no_leak("refusal (Debug)", &format!("{err:?}"), KNOWN);
}

#[test]
fn dotenv_not_ignored_is_refused_with_a_gitignore_line() {
    let place = Place::new();
    support::git_init(place.root());
    write(
        &place.root().join(".env.local"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o600,
    );
    let text = err_text(place.find(&Target::pypi(), &[]));
    assert!(text.contains("not ignored"), "{text}");
    assert!(text.contains("`echo .env.local >> .gitignore`"), "{text}");
    assert!(text.contains(".env.local"), "{text}");
    assert_no_leak("refusal", &text, KNOWN);
    // Once ignored, the same file is used.
    write(&place.root().join(".gitignore"), ".env.local\n", 0o644);
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().source,
        ".env.local (PYPI_API_TOKEN)"
    );
}

#[test]
fn dotenv_with_every_problem_lists_every_fix() {
    let place = Place::new();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o644,
    );
    support::git_init(place.root());
    let text = err_text(place.find(&Target::pypi(), &[]));
    for fix in [
        "chmod 600 .env",
        "git rm --cached .env",
        "echo .env >> .gitignore",
    ] {
        assert!(text.contains(fix), "`{fix}` missing:\n{text}");
    }
    assert!(
        text.starts_with("refusing to use PYPI_API_TOKEN from "),
        "{text}"
    );
    assert_no_leak("refusal", &text, KNOWN);
}

#[test]
fn dotenv_without_credential_variables_is_left_alone() {
    let place = Place::new();
    write(
        &place.root().join(".env"),
        "DATABASE_URL=postgres://u:pw@db/x\n",
        0o644,
    );
    support::git_init(place.root());
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    assert!(matches!(err, CredentialError::NotFound(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains(".env: none of the variables above"),
        "{err}"
    );
    assert!(!err.to_string().contains("pw@"), "{err}");
}

#[test]
fn dotenv_malformed_credential_line_names_the_line_not_the_value() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env"),
        &format!("A=1\nPYPI_API_TOKEN=\"{KNOWN}\n"),
        0o600,
    );
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Config(_)), "{err:?}");
    assert!(
        text.contains(".env:2: PYPI_API_TOKEN has an unclosed quote"),
        "{text}"
    );
    assert_no_leak("parse error", &text, KNOWN);
}

/// One value of `text` read as a `.env` file.
fn value(text: &str, key: &str) -> Option<Result<String, String>> {
    let file = DotenvFile::parse(Path::new(".env"), text);
    file.get(key).map(|r| r.map(|s| s.expose().to_owned()))
}

#[test]
fn dotenv_syntax_line_by_line() {
    let text = "# c\nexport A=1\nB = \"x y\" # note\nC='l#it'\nD=v # c\nE=a#b\n\
                F=\"m\nn\"\nG=\"q\\\"r\"\nH=\"open\nI=after\n";
    assert_eq!(value(text, "A"), Some(Ok("1".into())));
    assert_eq!(value(text, "B"), Some(Ok("x y".into())));
    assert_eq!(value(text, "C"), Some(Ok("l#it".into())));
    assert_eq!(value(text, "D"), Some(Ok("v".into())));
    assert_eq!(value(text, "E"), Some(Ok("a#b".into())));
    assert_eq!(value(text, "F"), Some(Ok("m\nn".into())));
    assert_eq!(value(text, "G"), Some(Ok("q\"r".into())));
    assert!(matches!(value(text, "H"), Some(Err(m)) if m.contains(".env:10")));
    assert_eq!(value(text, "I"), Some(Ok("after".into())));
    assert_eq!(value(text, "Z"), None);
}
