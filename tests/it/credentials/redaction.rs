//! Redaction: `Secret`, `Redactor`, `redact_url`, and every failure path run
//! with a known token that must not show in any error.

use super::*;

#[test]
fn secrets_and_redactor() {
    let secret = Secret::new(KNOWN);
    assert_eq!(format!("{secret}"), "***");
    assert_eq!(format!("{secret:?}"), "Secret(***)");
    let mut redactor = Redactor::new();
    redactor.add(&secret);
    redactor.add_with_username("alice", &Secret::new("hunter 2"));
    let text = format!(
        "token {KNOWN}; header Authorization: {}; raw {}; alice {}; form hunter%202; url https://u:p@h/",
        secret.basic_auth("__token__"),
        b64(KNOWN),
        Secret::new("hunter 2").basic_auth("alice"),
    );
    let clean = redactor.redact(&text);
    assert_no_leak("redacted text", &clean, KNOWN);
    assert!(!clean.contains("hunter"), "{clean}");
    assert!(!clean.contains(&b64("alice:hunter 2")), "{clean}");
    assert!(
        clean.contains("Authorization: Basic ***") && clean.contains("https://***@h/"),
        "{clean}"
    );
    assert!(!format!("{redactor:?}").contains(KNOWN));
    assert_eq!(redactor.redact("nothing secret"), "nothing secret");
}

#[test]
fn redact_url_cases() {
    let cases = [
        ("https://user:pass@host/x", "https://***@host/x"),
        ("https://host/x", "https://host/x"),
        ("http://tok@h:8080/", "http://***@h:8080/"),
        (
            "failed: https://a:b@c/legacy/ (HTTP 403)",
            "failed: https://***@c/legacy/ (HTTP 403)",
        ),
        ("https://u:pa/ss@host/x", "https://***@host/x"),
        (
            "see http://t@h:1/ and https://a:b@c/",
            "see http://***@h:1/ and https://***@c/",
        ),
        ("https://host/p?mail=a@b", "https://host/p?mail=a@b"),
        ("git+https://u:p@host/r.git", "git+https://***@host/r.git"),
        ("plain text", "plain text"),
    ];
    for (given, expected) in cases {
        assert_eq!(redact_url(given), expected, "{given}");
    }
}

// ----------------------------------------------- every failure path, no leak

/// Runs every failure path that can see the known token and checks that no
/// error's `Display` or `Debug`, nor anything else returned, holds it (or its
/// base64 in a Basic header).
#[test]
fn no_failure_path_leaks_the_known_token() {
    let mut failures: Vec<(String, String, String)> = Vec::new();
    let mut record = |name: &str, result: Result<Credentials, CredentialError>| match result {
        Ok(found) => panic!("{name}: expected a failure, got {found:?}"),
        Err(e) => failures.push((name.to_owned(), e.to_string(), format!("{e:?}"))),
    };
    let quoted = format!("\"{KNOWN}\"");
    let spaced = format!("{KNOWN} extra");

    // .env refusals.
    let place = Place::new();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o644,
    );
    record(".env 644", place.find(&Target::pypi(), &[]));
    support::git_init(place.root());
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_TOKEN={KNOWN}\n"),
        0o600,
    );
    record(".env tracked", place.find(&Target::pypi(), &[]));
    let place = Place::new();
    support::git_init(place.root());
    write(
        &place.root().join(".env.local"),
        &format!("TWINE_PASSWORD={KNOWN}\n"),
        0o600,
    );
    record(".env.local not ignored", place.find(&Target::pypi(), &[]));
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_KEY='{KNOWN}\n"),
        0o600,
    );
    record(".env unclosed quote", place.find(&Target::pypi(), &[]));
    write(
        &place.root().join(".env"),
        &format!("PYPI_API_KEY={KNOWN}\"\n"),
        0o600,
    );
    record(
        ".env token with a stray quote",
        place.find(&Target::pypi(), &[]),
    );

    // .pypirc.
    let place = Place::new();
    write(
        &place.pypirc(),
        &format!("[pypi]\npassword = {KNOWN}\n"),
        0o644,
    );
    record(".pypirc 644", place.find(&Target::pypi(), &[]));
    write(&place.pypirc(), &format!("[pypi]\n{KNOWN}\n"), 0o600);
    record(".pypirc garbage line", place.find(&Target::pypi(), &[]));
    write(
        &place.pypirc(),
        &format!("[pypi]\npassword = {spaced}\n"),
        0o600,
    );
    record(".pypirc malformed token", place.find(&Target::pypi(), &[]));

    // Flags and environment with a malformed token; not found with an unusable one.
    let place = Place::new();
    record(
        "--token with quotes",
        place.find_with(&Target::pypi(), &[], Some(&quoted)),
    );
    record(
        "env with spaces",
        place.find(&Target::pypi(), &[("PYPI_API_TOKEN", &spaced)]),
    );
    record(
        "env placeholder",
        place.find(
            &Target::testpypi(),
            &[("MATURIN_PYPI_TOKEN", &format!("x{KNOWN}"))],
        ),
    );
    let custom = url_target("https://pkgs.example.com/legacy/");
    record(
        "pypi token for another index",
        place.find(
            &custom,
            &[("PYPI_API_TOKEN", KNOWN), ("TWINE_USERNAME", KNOWN)],
        ),
    );

    // Trusted publishing: servers that echo the request back in their errors.
    let echo = |route: &'static str| {
        fake::serve(move |req, _| {
            let body = serde_json::json!({ "message": req.dump() }).to_string();
            match req.path() {
                "/_/oidc/audience" if route != "audience" => {
                    (200, r#"{"audience":"fake-pypi"}"#.into())
                }
                "/github/idtoken" if route != "github" => {
                    (200, format!(r#"{{"value":"{KNOWN}"}}"#))
                }
                _ => (400, body),
            }
        })
    };
    for route in ["audience", "github", "mint"] {
        let server = echo(route);
        let env = [
            ("GITHUB_ACTIONS", "true".to_owned()),
            (
                "ACTIONS_ID_TOKEN_REQUEST_URL",
                format!("{}/github/idtoken?api-version=2.0", server.base),
            ),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", KNOWN.to_owned()),
        ];
        record(
            &format!("oidc {route} echo"),
            place.find(&fake_target(&server), &as_refs(&env)),
        );
        assert!(
            server.requests().iter().any(|r| r.dump().contains(KNOWN)) || route == "audience",
            "the {route} case must have sent the token for the check to mean anything"
        );
    }
    let server = echo("mint");
    record(
        "gitlab mint echo",
        place.find(&fake_target(&server), &[("PYPI_ID_TOKEN", KNOWN)]),
    );
    assert!(server.requests().iter().any(|r| r.body.contains(KNOWN)));
    let server = fake_pypi(Behaviour::working());
    let jwt_known = format!("{}.{KNOWN}", fake_jwt("other"));
    record(
        "gitlab wrong audience",
        place.find(&fake_target(&server), &[("PYPI_ID_TOKEN", &jwt_known)]),
    );

    for (name, display, debug) in &failures {
        assert_no_leak(&format!("{name} (Display)"), display, KNOWN);
        assert_no_leak(&format!("{name} (Debug)"), debug, KNOWN);
    }

    // Target errors with the token in a URL.
    let target_failures = [
        format!("https://__token__:{KNOWN}@pypi.org/simple/"),
        format!("https://__token__:{KNOWN}@pkgs.example.com:99999/legacy/"),
        format!("ftp://__token__:{KNOWN}@pkgs.example.com/"),
        format!("__token__:{KNOWN}@pkgs.example.com/legacy/"),
        format!("user:{KNOWN}@pkgs.example.com/legacy/"),
        format!("https://user:{KNOWN}@[pkgs.example.com/legacy/"),
        format!("https://__token__:{KNOWN}@pkgs.example.com/simple/"),
    ];
    for url in &target_failures {
        let request = TargetRequest {
            repository_url: Some(url.clone()),
            ..TargetRequest::default()
        };
        let err = target::resolve(&request).unwrap_err();
        assert_no_leak(&format!("{url} (Display)"), &err.to_string(), KNOWN);
        assert_no_leak(&format!("{url} (Debug)"), &format!("{err:?}"), KNOWN);
    }
    // A TOML error quoting a line that holds a password.
    let place = Place::new();
    let broken =
        format!("[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://u:{KNOWN}@h/\" x\n");
    write(&place.root().join("pyproject.toml"), &broken, 0o644);
    let err = place.resolve(Some("corp"), None).unwrap_err();
    assert!(err.to_string().contains("invalid TOML"), "{err}");
    assert_no_leak("TOML error (Display)", &err.to_string(), KNOWN);
    assert_no_leak("TOML error (Debug)", &format!("{err:?}"), KNOWN);

    let with_index = TargetRequest {
        repository_url: Some("https://pkgs.example.com/".into()),
        index_url: Some(format!("https://__token__:{KNOWN}@upload.pypi.org/legacy/")),
        ..TargetRequest::default()
    };
    let err = target::resolve(&with_index).unwrap_err();
    assert_no_leak("index URL (Display)", &err.to_string(), KNOWN);
    assert_no_leak("index URL (Debug)", &format!("{err:?}"), KNOWN);
    assert_no_leak("request (Debug)", &format!("{with_index:?}"), KNOWN);

    // Successes print nothing secret either.
    let place = Place::new();
    let found = place
        .find(&Target::pypi(), &[("PYPI_API_TOKEN", KNOWN)])
        .unwrap();
    assert_no_leak("Credentials (Debug)", &format!("{found:?}"), KNOWN);
    assert_no_leak("source", &found.source, KNOWN);
    assert!(failures.len() >= 17, "{} failure paths ran", failures.len());
}
