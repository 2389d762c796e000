//! `.pypirc`: passwords per named server, its mode, which URL a password may
//! go to, and the parser.

use super::*;

#[test]
fn pypirc_password_for_each_named_server() {
    let place = Place::new();
    write(&place.pypirc(), PYPIRC, 0o600);
    let found = place.find(&Target::pypi(), &[]).unwrap();
    assert_eq!(found.password.expose(), "pypi-from-pypirc");
    assert!(
        found.source.ends_with("home-pypirc [pypi]"),
        "{}",
        found.source
    );
    let found = place.find(&Target::testpypi(), &[]).unwrap();
    assert_eq!(found.password.expose(), "pypi-test-from-pypirc");
    assert!(found.source.ends_with("[testpypi]"), "{}", found.source);
    let corp = place.resolve(Some("corp"), None).unwrap();
    assert_eq!(corp.upload_url, "https://corp.example/legacy/");
    assert_eq!(corp.username.as_deref(), Some("alice"));
    let found = place.find(&corp, &[]).unwrap();
    assert_eq!(
        (found.username.as_str(), found.password.expose()),
        ("alice", "s3cr#t%x ; kept")
    );
}

#[test]
fn environment_and_dotenv_win_over_pypirc() {
    let place = Place::git_ignoring_env();
    write(&place.pypirc(), PYPIRC, 0o600);
    let found = place
        .find(&Target::pypi(), &[("PYPI_API_TOKEN", "pypi-env")])
        .unwrap();
    assert_eq!(found.source, "environment variable PYPI_API_TOKEN");
    write(
        &place.root().join(".env"),
        "PYPI_API_TOKEN=pypi-dotenv\n",
        0o600,
    );
    assert_eq!(
        place.find(&Target::pypi(), &[]).unwrap().source,
        ".env (PYPI_API_TOKEN)"
    );
}

#[test]
fn pypirc_readable_by_others_is_refused() {
    let place = Place::new();
    write(
        &place.pypirc(),
        &format!("[pypi]\npassword = {KNOWN}\n"),
        0o644,
    );
    let err = place.find(&Target::pypi(), &[]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CredentialError::Unsafe(_)), "{err:?}");
    assert!(
        text.contains("readable by other users (mode 644)"),
        "{text}"
    );
    assert!(
        text.contains("chmod 600 ") && text.contains("home-pypirc"),
        "{text}"
    );
    assert_no_leak("refusal", &text, KNOWN);
    // Without a password the mode does not matter: nothing secret is used.
    write(&place.pypirc(), "[pypi]\nusername = __token__\n", 0o644);
    assert!(matches!(
        place.find(&Target::pypi(), &[]),
        Err(CredentialError::NotFound(_))
    ));
}

#[test]
fn pypirc_password_only_goes_to_the_url_pypirc_names() {
    let place = Place::new();
    write(&place.pypirc(), PYPIRC, 0o600);
    write(
        &place.root().join("pyproject.toml"),
        "[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://elsewhere.example/legacy/\"\n",
        0o644,
    );
    let corp = place.resolve(Some("corp"), None).unwrap();
    assert_eq!(
        corp.upload_url, "https://elsewhere.example/legacy/",
        "config wins over .pypirc"
    );
    let text = err_text(place.find(&corp, &[]));
    assert!(
        text.contains("no section for corp with repository https://elsewhere.example/legacy/"),
        "{text}"
    );
}

#[test]
fn pypirc_section_is_found_by_url_for_a_repository_url() {
    let place = Place::new();
    write(&place.pypirc(), PYPIRC, 0o600);
    let found = place
        .find(&url_target("https://upload.pypi.org/legacy"), &[])
        .unwrap();
    assert_eq!(found.password.expose(), "pypi-from-pypirc");
    let corp = url_target("https://corp.example/legacy/");
    assert_eq!(place.find(&corp, &[]).unwrap().username, "alice");
}

#[test]
fn pypirc_parsing() {
    let path = Path::new("/x/.pypirc");
    let file = Pypirc::parse(path, PYPIRC).unwrap();
    assert_eq!(
        file.index_servers.as_deref().unwrap(),
        ["pypi", "testpypi", "corp"]
    );
    assert_eq!(file.names(), ["pypi", "testpypi", "corp"]);
    let testpypi = file.section("testpypi").unwrap().unwrap();
    assert_eq!(testpypi.username.as_deref(), Some("__token__"));
    assert_eq!(testpypi.line, 12);
    assert_eq!(
        file.repository_url("testpypi").unwrap(),
        "https://test.pypi.org/legacy/"
    );
    assert_eq!(
        file.repository_url("corp").unwrap(),
        "https://corp.example/legacy/"
    );
    assert!(file.section("nope").unwrap().is_none());
    let debug = format!("{file:?}");
    assert!(
        !debug.contains("pypi-from-pypirc") && !debug.contains("s3cr#t"),
        "{debug}"
    );

    // Sections outside index-servers still count; no [distutils] at all is fine.
    let loose = Pypirc::parse(
        path,
        "[pypi]\npassword=pypi-x\n[extra]\nrepository=https://e/\n",
    )
    .unwrap();
    assert!(loose.index_servers.is_none());
    assert_eq!(loose.names(), ["pypi", "extra"]);

    let missing = Pypirc::parse(path, "[distutils]\nindex-servers = pypi private\n").unwrap();
    assert!(missing.section("pypi").unwrap().is_none());
    let text = missing.section("private").unwrap_err().to_string();
    assert!(
        text.contains("lists `private` in [distutils] index-servers but has no [private] section"),
        "{text}"
    );

    let bad = [
        (
            format!("[pypi]\n{KNOWN}\n"),
            "/x/.pypirc:2: expected `[section]` or `key = value`",
        ),
        (
            format!("password = {KNOWN}\n[pypi]\n"),
            "/x/.pypirc:1: `key = value` before any `[section]`",
        ),
        (
            "[a]\n[b]\n[a]\n".into(),
            "/x/.pypirc:3: section [a] appears again (first at line 1)",
        ),
    ];
    for (text, expected) in bad {
        let message = Pypirc::parse(path, &text).unwrap_err().to_string();
        assert!(message.contains(expected), "{message}");
        assert_no_leak("pypirc error", &message, KNOWN);
    }
}
