//! Where credentials come from, in order: the flag, the URL, the environment
//! (PyPI's, TestPyPI's and the tools' variables), and what is said when none is.

use super::*;

#[test]
fn token_flag_wins_over_every_other_source() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env"),
        "PYPI_API_TOKEN=pypi-fromdotenv\n",
        0o600,
    );
    write(
        &place.pypirc(),
        "[pypi]\npassword = pypi-frompypirc\n",
        0o600,
    );
    let env = [
        ("PYPI_API_TOKEN", "pypi-fromenv"),
        ("GITHUB_ACTIONS", "true"),
    ];
    let found = place.find_with(&Target::pypi(), &env, Some(KNOWN)).unwrap();
    assert_eq!(found.source, "--token");
    assert_eq!(found.username, "__token__");
    assert_eq!(found.password.expose(), KNOWN);
}

#[test]
fn url_credentials_come_right_after_the_flag() {
    let place = Place::new();
    let target = url_target("http://alice:p%40ss%2Fword@127.0.0.1:9/legacy/");
    let env = [("TWINE_PASSWORD", "from-env")];
    let found = place.find(&target, &env).unwrap();
    assert_eq!(
        found.source,
        "credentials in the repository URL (--repository-url)"
    );
    assert_eq!(found.username, "alice");
    assert_eq!(found.password.expose(), "p@ss/word");
    let flag = place.find_with(&target, &env, Some("flag")).unwrap();
    assert_eq!(flag.source, "--token");
}

#[test]
fn environment_order_for_pypi() {
    let place = Place::new();
    let mut env = vec![
        ("PYPI_API_TOKEN", "pypi-one"),
        ("PYPI_API_KEY", "pypi-two"),
        ("TWINE_USERNAME", "__token__"),
        ("TWINE_PASSWORD", "pypi-three"),
        ("MATURIN_PYPI_TOKEN", "pypi-four"),
        ("MATURIN_USERNAME", "__token__"),
        ("MATURIN_PASSWORD", "pypi-fourbis"),
        ("UV_PUBLISH_TOKEN", "pypi-five"),
        ("UV_PUBLISH_USERNAME", "__token__"),
        ("UV_PUBLISH_PASSWORD", "pypi-six"),
    ];
    let expected = [
        (
            "environment variable PYPI_API_TOKEN",
            "pypi-one",
            &["PYPI_API_TOKEN"][..],
        ),
        (
            "environment variable PYPI_API_KEY",
            "pypi-two",
            &["PYPI_API_KEY"],
        ),
        (
            "environment variables TWINE_USERNAME and TWINE_PASSWORD",
            "pypi-three",
            &["TWINE_USERNAME", "TWINE_PASSWORD"],
        ),
        (
            "environment variable MATURIN_PYPI_TOKEN",
            "pypi-four",
            &["MATURIN_PYPI_TOKEN"],
        ),
        (
            "environment variables MATURIN_USERNAME and MATURIN_PASSWORD",
            "pypi-fourbis",
            &["MATURIN_USERNAME", "MATURIN_PASSWORD"],
        ),
        (
            "environment variable UV_PUBLISH_TOKEN",
            "pypi-five",
            &["UV_PUBLISH_TOKEN"],
        ),
        (
            "environment variables UV_PUBLISH_USERNAME and UV_PUBLISH_PASSWORD",
            "pypi-six",
            &["UV_PUBLISH_USERNAME", "UV_PUBLISH_PASSWORD"],
        ),
    ];
    for (source, value, remove) in expected {
        let found = place.find(&Target::pypi(), &env).unwrap();
        assert_eq!(
            (found.source.as_str(), found.password.expose()),
            (source, value)
        );
        assert_eq!(found.username, "__token__");
        env.retain(|(k, _)| !remove.contains(k));
    }
    assert!(matches!(
        place.find(&Target::pypi(), &env),
        Err(CredentialError::NotFound(_))
    ));
}

/// maturin's login pair, as `maturin upload` reads it, for a private index.
#[test]
fn maturins_username_and_password_log_in_to_a_private_index() {
    let place = Place::new();
    let target = url_target("http://127.0.0.1:9/legacy/");
    let env = [
        ("MATURIN_USERNAME", "alice"),
        ("MATURIN_PASSWORD", "s3cret"),
    ];
    let found = place.find(&target, &env).unwrap();
    assert_eq!(
        found.source,
        "environment variables MATURIN_USERNAME and MATURIN_PASSWORD"
    );
    assert_eq!(
        (found.username.as_str(), found.password.expose()),
        ("alice", "s3cret")
    );
}

#[test]
fn testpypi_reads_its_own_variable_and_never_pypis() {
    let place = Place::new();
    let both = [
        ("PYPI_API_TOKEN", "pypi-prod"),
        ("TESTPYPI_API_TOKEN", "pypi-test"),
    ];
    let found = place.find(&Target::testpypi(), &both).unwrap();
    assert_eq!(found.source, "environment variable TESTPYPI_API_TOKEN");
    assert_eq!(found.password.expose(), "pypi-test");
    let prod_only = [
        ("PYPI_API_TOKEN", "pypi-prod"),
        ("PYPI_API_KEY", "pypi-prod2"),
    ];
    let text = err_text(place.find(&Target::testpypi(), &prod_only));
    assert!(text.contains("TESTPYPI_API_TOKEN"), "{text}");
    assert!(
        text.contains("https://test.pypi.org/manage/account/token/"),
        "{text}"
    );
    let found = place.find(&Target::pypi(), &both).unwrap();
    assert_eq!(found.password.expose(), "pypi-prod");
}

#[test]
fn another_index_never_gets_pypi_tokens() {
    let place = Place::new();
    let target = url_target("https://pkgs.example.com/legacy/");
    let text = err_text(place.find(
        &target,
        &[("PYPI_API_TOKEN", KNOWN), ("PYPI_API_KEY", KNOWN)],
    ));
    assert!(!text.contains("PYPI_API_TOKEN"), "{text}");
    assert_no_leak("not-found message", &text, KNOWN);
    let found = place
        .find(
            &target,
            &[
                ("PYPI_API_TOKEN", KNOWN),
                ("TWINE_USERNAME", "bob"),
                ("TWINE_PASSWORD", "pw"),
            ],
        )
        .unwrap();
    assert_eq!(
        (found.username.as_str(), found.password.expose()),
        ("bob", "pw")
    );
}

#[test]
fn empty_variables_count_as_unset() {
    let place = Place::new();
    let found = place
        .find(
            &Target::pypi(),
            &[("PYPI_API_TOKEN", ""), ("PYPI_API_KEY", KNOWN)],
        )
        .unwrap();
    assert_eq!(found.source, "environment variable PYPI_API_KEY");
}

#[test]
fn password_variable_without_username_uses_pypirc_username_then_token() {
    let place = Place::new();
    let custom = url_target("https://pkgs.example.com/legacy/");
    let found = place.find(&custom, &[("TWINE_PASSWORD", "pw")]).unwrap();
    assert_eq!(found.username, "__token__");
    assert_eq!(found.source, "environment variable TWINE_PASSWORD");
    let mut named = custom.clone();
    named.username = Some("carol".into());
    assert_eq!(
        place
            .find(&named, &[("UV_PUBLISH_PASSWORD", "pw")])
            .unwrap()
            .username,
        "carol"
    );
}

#[test]
fn nothing_found_lists_every_place_in_order_with_the_fix() {
    let place = Place::new();
    let env = [("TWINE_USERNAME", "someone")];
    let text = err_text(place.find(&Target::pypi(), &env));
    let steps = [
        "1. --token: not given",
        "2. credentials in the repository URL: none",
        "3. environment variables PYPI_API_TOKEN, PYPI_API_KEY, TWINE_PASSWORD (with TWINE_USERNAME), MATURIN_PYPI_TOKEN, MATURIN_PASSWORD (with MATURIN_USERNAME), UV_PUBLISH_TOKEN, UV_PUBLISH_PASSWORD (with UV_PUBLISH_USERNAME): none set",
        "4. ",
        ".env.local: no such file",
        "5. ",
        ".env: no such file",
        "6. ",
        "home-pypirc: no such file",
        "7. trusted publishing: not on GitHub Actions",
        "8. interactive prompt: not offered",
        "note: TWINE_USERNAME is set but TWINE_PASSWORD is not",
        "fix: create an API token at https://pypi.org/manage/account/token/",
        "export PYPI_API_TOKEN=",
        "chmod 600 .env.local",
        "https://docs.pypi.org/trusted-publishers/",
    ];
    let mut at = 0;
    for step in steps {
        let found = text[at..]
            .find(step)
            .unwrap_or_else(|| panic!("`{step}` missing or out of order in:\n{text}"));
        at += found + step.len();
    }
}
