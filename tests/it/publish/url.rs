//! `publish::url`: URLs that never show their user information, origins,
//! and the percent encoding of credentials in URLs. (`redact_url` is tested
//! with the other redaction in `credentials::redaction`.)

use cargo_pypi::publish::url::{percent_decode, percent_encode, same_origin, DisplaySafeUrl};
use reqwest::Url;

#[test]
fn display_safe_urls_show_no_user_information() {
    let url = DisplaySafeUrl::parse("https://u:p%40ss@host/x").unwrap();
    assert_eq!(url.to_string(), "https://***@host/x");
    assert_eq!(format!("{url:?}"), "\"https://***@host/x\"");
    assert_eq!(url.credentials(), Some(("u".into(), "p@ss".into())));
    assert_eq!(url.without_credentials(), "https://host/x");
    assert_eq!(url.as_str(), "https://u:p%40ss@host/x");
}

#[test]
fn origins() {
    let a = Url::parse("https://pypi.org/simple/").unwrap();
    let b = Url::parse("https://pypi.org:443/x").unwrap();
    let c = Url::parse("https://upload.pypi.org/legacy/").unwrap();
    assert!(same_origin(&a, &b));
    assert!(!same_origin(&a, &c));
}

#[test]
fn percent_round_trip() {
    assert_eq!(percent_decode(&percent_encode("a b/c%d@é")), "a b/c%d@é");
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%4"), "%4");
}
