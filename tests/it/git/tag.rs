//! `Repo::annotated_tag` and `tag_exists`, checked with `git cat-file`.

use super::{TestRepo, EMAIL, NAME};
use cargo_pypi::git::GitError;

#[test]
fn annotated_tag_creates_an_annotated_tag_on_head() {
    let repo = TestRepo::with_files(&[("a.txt", "a\n")]);
    let opened = repo.open();
    assert!(!opened.tag_exists("v1.2.3").unwrap());

    opened.annotated_tag("v1.2.3", "Release 1.2.3").unwrap();

    assert!(opened.tag_exists("v1.2.3").unwrap());
    assert_eq!(repo.git(&["cat-file", "-t", "v1.2.3"]), "tag");
    assert_eq!(repo.git(&["rev-parse", "v1.2.3^{commit}"]), repo.head());
    let object = repo.git(&["cat-file", "-p", "v1.2.3"]);
    assert!(
        object.contains(&format!("tagger {NAME} <{EMAIL}>")),
        "{object}"
    );
    assert!(object.ends_with("\n\nRelease 1.2.3"), "{object}");
}

#[test]
fn annotated_tag_refuses_an_existing_tag() {
    let repo = TestRepo::with_files(&[("a.txt", "a\n")]);
    repo.git(&["tag", "v1.0.0"]);
    let err = repo.open().annotated_tag("v1.0.0", "again").unwrap_err();
    assert!(
        matches!(err, GitError::TagExists(ref t) if t == "v1.0.0"),
        "{err:?}"
    );
    assert!(err.to_string().contains("`v1.0.0` already exists"), "{err}");
    assert_eq!(repo.git(&["cat-file", "-t", "v1.0.0"]), "commit");
}

#[test]
fn annotated_tag_refuses_bad_names_and_an_unborn_head() {
    let repo = TestRepo::new();
    let opened = repo.open();
    for bad in ["has space", "a..b", "-leading", "x.lock", ""] {
        let err = opened.annotated_tag(bad, "m").unwrap_err();
        assert!(
            matches!(err, GitError::InvalidTagName(_)),
            "{bad:?}: {err:?}"
        );
    }
    let err = opened.annotated_tag("v0.1.0", "m").unwrap_err();
    assert!(matches!(err, GitError::NoHead(_)), "{err:?}");
    assert!(err.to_string().contains("no commits yet"), "{err}");
}
