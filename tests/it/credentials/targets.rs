//! Target resolution: built-in indexes, `--repository-url` and the index it
//! implies, pyproject and `.pypirc` repositories, and wrong or malformed URLs.

use super::*;

#[test]
fn builtin_targets() {
    let place = Place::new();
    let pypi = place.resolve(None, None).unwrap();
    assert!(pypi.source.starts_with("the default"), "{}", pypi.source);
    let source = pypi.source.clone();
    assert_eq!(
        pypi,
        Target {
            source,
            ..Target::pypi()
        }
    );
    assert_eq!(place.resolve(Some("pypi"), None).unwrap(), Target::pypi());
    assert_eq!(
        (
            pypi.upload_url.as_str(),
            pypi.index_url.as_str(),
            pypi.production
        ),
        (
            "https://upload.pypi.org/legacy/",
            "https://pypi.org/simple/",
            true
        )
    );
    let test = place.resolve(Some("testpypi"), None).unwrap();
    assert_eq!(
        (
            test.upload_url.as_str(),
            test.index_url.as_str(),
            test.production
        ),
        (
            "https://test.pypi.org/legacy/",
            "https://test.pypi.org/simple/",
            false
        )
    );
    assert_eq!(pypi.index_origin().as_deref(), Some("https://pypi.org"));
}

#[test]
fn repository_url_derives_the_index() {
    let cases = [
        (
            "https://pkgs.example.com/legacy/",
            "https://pkgs.example.com/legacy/",
            "https://pkgs.example.com/simple/",
        ),
        (
            "https://pkgs.example.com/sub/legacy",
            "https://pkgs.example.com/sub/legacy/",
            "https://pkgs.example.com/sub/simple/",
        ),
        (
            "http://localhost:8080",
            "http://localhost:8080/",
            "http://localhost:8080/simple/",
        ),
        (
            "http://10.0.0.5:8080/",
            "http://10.0.0.5:8080/",
            "http://10.0.0.5:8080/simple/",
        ),
        (
            "https://gitlab.example.com/api/v4/projects/7/packages/pypi",
            "https://gitlab.example.com/api/v4/projects/7/packages/pypi",
            "https://gitlab.example.com/api/v4/projects/7/packages/pypi/simple/",
        ),
        (
            "https://upload.pypi.org/legacy",
            "https://upload.pypi.org/legacy/",
            "https://pypi.org/simple/",
        ),
        (
            "https://test.pypi.org/legacy/",
            "https://test.pypi.org/legacy/",
            "https://test.pypi.org/simple/",
        ),
    ];
    for (given, upload, index) in cases {
        let target = url_target(given);
        assert_eq!(
            (target.upload_url.as_str(), target.index_url.as_str()),
            (upload, index),
            "{given}"
        );
        assert_eq!(target.name, upload);
        assert_eq!(target.source, "--repository-url");
        assert_eq!(
            target.production,
            given.contains("upload.pypi.org"),
            "{given}"
        );
    }
}

#[test]
fn explicit_index_url_is_accepted_and_checked() {
    let resolve = |index: &str| {
        target::resolve(&TargetRequest {
            repository_url: Some("https://devpi.example/alice/prod/".into()),
            index_url: Some(index.into()),
            pypirc: Some(PathBuf::from("/nonexistent")),
            ..TargetRequest::default()
        })
    };
    let target = resolve("https://devpi.example/alice/prod/+simple/").unwrap();
    assert_eq!(
        target.index_url,
        "https://devpi.example/alice/prod/+simple/"
    );
    let text = err_text(resolve("https://upload.pypi.org/legacy/"));
    assert!(
        text.contains("is an upload URL, not a simple index; use https://pypi.org/simple/"),
        "{text}"
    );
    let text = err_text(resolve("https://pkgs.example.com/legacy/"));
    assert!(
        text.contains("use https://devpi.example/alice/prod/simple/"),
        "{text}"
    );
}

#[test]
fn index_url_given_as_upload_url_gets_the_right_one() {
    let cases = [
        ("https://pypi.org/simple/", "is PyPI's simple index, not an upload URL; upload to https://upload.pypi.org/legacy/"),
        ("https://pypi.org/", "is PyPI's website, not an upload URL; upload to https://upload.pypi.org/legacy/"),
        ("https://pypi.org/project/foo/", "PyPI's website"),
        ("https://upload.pypi.org/", "not PyPI's upload API, not an upload URL; upload to https://upload.pypi.org/legacy/"),
        ("https://test.pypi.org/", "is TestPyPI's website, not an upload URL; upload to https://test.pypi.org/legacy/ (or pass --repository testpypi)"),
        ("https://test.pypi.org/simple/", "TestPyPI's simple index"),
        ("https://files.pythonhosted.org/packages/", "PyPI's file host"),
        (
            "https://pkgs.example.com/simple/",
            "is a simple index, not an upload URL; upload to https://pkgs.example.com/legacy/ on a Warehouse-like index, or to https://pkgs.example.com/ on pypiserver",
        ),
        ("http://localhost:8080/simple", "upload to http://localhost:8080/legacy/ on a Warehouse-like index, or to http://localhost:8080/ on pypiserver"),
        ("https://devpi.example/alice/prod/+simple/", "devpi simple index, not an upload URL; upload to https://devpi.example/alice/prod/"),
    ];
    for (given, expected) in cases {
        let err = target::resolve(&TargetRequest {
            repository_url: Some(given.into()),
            ..TargetRequest::default()
        })
        .unwrap_err();
        assert!(matches!(err, TargetError::WrongUrl(_)), "{given}: {err:?}");
        assert!(err.to_string().contains(expected), "{given}: {err}");
    }
}

#[test]
fn malformed_urls_and_conflicting_flags() {
    let place = Place::new();
    let text = err_text(place.resolve(None, Some("pkgs.example.com/legacy/")));
    assert!(
        text.contains(
            "is not a URL; write it with its scheme, e.g. `https://pkgs.example.com/legacy/`"
        ),
        "{text}"
    );
    let text = err_text(place.resolve(None, Some("ftp://pkgs.example.com/")));
    assert!(text.contains("is not an http:// or https:// URL"), "{text}");
    let text = err_text(place.resolve(Some("testpypi"), Some("https://pkgs.example.com/")));
    assert!(
        text.contains("both --repository testpypi and --repository-url were given"),
        "{text}"
    );
}

#[test]
fn credentials_in_urls_are_taken_out_and_never_shown() {
    let url = format!("https://__token__:{KNOWN}@pkgs.example.com/legacy/");
    let request = TargetRequest {
        repository_url: Some(url.clone()),
        ..TargetRequest::default()
    };
    assert_no_leak("TargetRequest Debug", &format!("{request:?}"), KNOWN);
    let target = target::resolve(&request).unwrap();
    assert_eq!(target.upload_url, "https://pkgs.example.com/legacy/");
    assert_eq!(target.name, "https://pkgs.example.com/legacy/");
    let creds = target.url_credentials.as_ref().unwrap();
    assert_eq!(
        (creds.username.as_str(), creds.password.expose()),
        ("__token__", KNOWN)
    );
    assert_no_leak("Target Debug", &format!("{target:?}"), KNOWN);
    // A username alone is a username, not credentials.
    let target = url_target("https://bob@pkgs.example.com/legacy/");
    assert_eq!(target.username.as_deref(), Some("bob"));
    assert!(target.url_credentials.is_none());
    assert_eq!(redact_url(&url), "https://***@pkgs.example.com/legacy/");
}

#[test]
fn pyproject_repositories() {
    let place = Place::new();
    let pyproject = place.root().join("pyproject.toml");
    write(
        &place.pypirc(),
        "[corp]\nrepository = https://from-pypirc.example/legacy/\n",
        0o600,
    );
    write(
        &pyproject,
        "[project]\nname = \"x\"\n\n[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://corp.example/legacy/\"\n\n[tool.cargo-pypi.repositories.mirror]\nupload-url = \"http://localhost:8080/\"\nindex-url = \"http://localhost:8080/+simple/\"\n",
        0o644,
    );
    let corp = place.resolve(Some("corp"), None).unwrap();
    assert_eq!(
        corp.upload_url, "https://corp.example/legacy/",
        "config wins over .pypirc"
    );
    assert_eq!(corp.index_url, "https://corp.example/simple/");
    assert_eq!(corp.name, "corp");
    assert!(
        corp.source
            .ends_with("pyproject.toml [tool.cargo-pypi.repositories.corp]"),
        "{}",
        corp.source
    );
    let mirror = place.resolve(Some("mirror"), None).unwrap();
    assert_eq!(mirror.index_url, "http://localhost:8080/+simple/");

    let bad = [
        (
            "[tool.cargo-pypi.repositories.pypi]\nupload-url = \"https://x.example/\"\n",
            "redefines the built-in `pypi`",
        ),
        (
            "[tool.cargo-pypi.repositories.corp]\nurl = \"https://x.example/\"\n",
            "unknown key `url`",
        ),
        (
            "[tool.cargo-pypi.repositories.corp]\nindex-url = \"https://x.example/simple/\"\n",
            "has no `upload-url`",
        ),
        (
            "[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://pypi.org/simple/\"\n",
            "PyPI's simple index",
        ),
    ];
    for (text, expected) in bad {
        write(&pyproject, text, 0o644);
        let name = if text.contains(".pypi]") {
            "pypi"
        } else {
            "corp"
        };
        let message = err_text(place.resolve(Some(name), None));
        assert!(message.contains(expected), "{message}");
    }
    write(
        &pyproject,
        &format!("[tool.cargo-pypi.repositories.corp]\nupload-url = \"https://u:{KNOWN}@corp.example/legacy/\"\n"),
        0o644,
    );
    let message = err_text(place.resolve(Some("corp"), None));
    assert!(
        message.contains("holds a password") && message.contains("revoke it"),
        "{message}"
    );
    assert_no_leak("pyproject refusal", &message, KNOWN);
}

#[test]
fn pypirc_repositories_and_unknown_names() {
    let place = Place::new();
    write(&place.pypirc(), PYPIRC, 0o600);
    let corp = place.resolve(Some("corp"), None).unwrap();
    assert_eq!(corp.index_url, "https://corp.example/simple/");
    assert!(
        corp.source.ends_with("home-pypirc [corp]"),
        "{}",
        corp.source
    );
    assert!(!corp.production);
    let pypi = place.resolve(Some("pypi"), None).unwrap();
    assert_eq!(
        (pypi.upload_url.as_str(), pypi.index_url.as_str()),
        (
            cargo_pypi::publish::url::PYPI_UPLOAD,
            cargo_pypi::publish::url::PYPI_INDEX,
        )
    );
    assert!(pypi.production);

    let err = place.resolve(Some("nowhere"), None).unwrap_err();
    assert!(matches!(err, TargetError::UnknownRepository(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("no repository named `nowhere` (known: pypi, testpypi, corp)"),
        "{text}"
    );
    assert!(
        text.contains("[tool.cargo-pypi.repositories.nowhere]"),
        "{text}"
    );

    write(
        &place.pypirc(),
        "[distutils]\nindex-servers = pypi private\n",
        0o600,
    );
    let text = err_text(place.resolve(Some("private"), None));
    assert!(text.contains("has no [private] section"), "{text}");
    write(&place.pypirc(), "[private]\nusername = x\n", 0o600);
    let text = err_text(place.resolve(Some("private"), None));
    assert!(text.contains("[private] has no `repository`"), "{text}");
}
