//! The library's side of the interactive prompt (the terminal prompt itself
//! lives in the binary; `publish::cli` runs it in a pseudo-terminal).

use super::*;

// The terminal prompt itself lives in the binary: tests/publish_cli.rs runs it
// in a pseudo-terminal. Here, the library's side: the caller's prompt comes
// last, is asked only by `find`, and `locate` names it without asking.

#[test]
fn the_callers_prompt_comes_last_and_locate_does_not_ask() {
    let place = Place::new();
    let asked = std::cell::Cell::new(0);
    let ask = |target: &Target| {
        asked.set(asked.get() + 1);
        assert_eq!(target.name, "pypi");
        Ok(Credentials {
            username: "__token__".into(),
            password: Secret::new(KNOWN),
            source: credentials::PROMPT_SOURCE.into(),
            renewal: None,
        })
    };
    let target = Target::pypi();
    let request = |env: &'static dyn Fn(&str) -> Option<String>| CredentialRequest {
        target: &target,
        token: None,
        repo_root: place.root().to_path_buf(),
        env,
        prompt: Some(&ask),
        pypirc: Some(place.pypirc()),
    };
    let located = credentials::locate(&request(&|_| None)).unwrap();
    assert_eq!(located.source(), "interactive prompt");
    assert_eq!(asked.get(), 0, "locate asked");
    let found = credentials::find(&request(&|_| None)).unwrap();
    assert_eq!(found.password.expose(), KNOWN);
    assert_eq!(found.source, "interactive prompt");
    assert_eq!(asked.get(), 1);
    // Any other source wins over the prompt.
    let env = &|k: &str| (k == "PYPI_API_TOKEN").then(|| KNOWN.to_owned());
    let found = credentials::find(&request(env)).unwrap();
    assert_eq!(found.source, "environment variable PYPI_API_TOKEN");
    assert_eq!(asked.get(), 1);
}
