//! Reading and checking the URLs of a target: user information taken out,
//! an index URL refused where the upload URL is meant (and the reverse), the
//! index derived from the upload URL.

use super::{Target, TargetError, UrlCredentials};
use crate::publish::secret::Secret;
use crate::publish::url::{
    redact_url, DisplaySafeUrl, PYPI_INDEX, PYPI_UPLOAD, TESTPYPI_INDEX, TESTPYPI_UPLOAD,
};
use reqwest::Url;

/// A target from an upload URL and an optional index URL.
pub(super) fn from_urls(
    upload: &str,
    index: Option<&str>,
    upload_origin: &str,
    index_origin: &str,
) -> Result<Target, TargetError> {
    let (mut upload_url, username, url_credentials) = parse_url(upload, upload_origin)?;
    check_upload_url(&upload_url, upload_origin)?;
    if upload_url.path().ends_with("/legacy") {
        upload_url = format!("{}/", upload_url.as_str()).parse().expect("a URL");
    }
    let index_url = match index {
        Some(index) => parse_index_url(index, index_origin, &upload_url)?,
        None => match upload_url.host_str() {
            Some("upload.pypi.org") => PYPI_INDEX.parse().expect("a built-in URL"),
            Some("test.pypi.org") => TESTPYPI_INDEX.parse().expect("a built-in URL"),
            _ => derive_index(&upload_url),
        },
    };
    let mut target = Target {
        name: upload_url.to_string(),
        upload_url,
        index_url,
        production: false,
        username,
        source: upload_origin.to_owned(),
        url_credentials,
        foreign: Vec::new(),
    };
    target.production = target.is_pypi();
    Ok(target)
}

/// The simple index beside an upload URL (`url::derived_index`; the upload
/// finds devpi's `…/+simple/` when this one is not there).
fn derive_index(upload: &Url) -> DisplaySafeUrl {
    crate::publish::url::derived_index(upload)
}

/// An index URL given by the user: checked not to be an upload URL. A login
/// written into it is dropped: it must not reach the upload host.
pub(super) fn parse_index_url(
    raw: &str,
    origin: &str,
    upload_url: &Url,
) -> Result<DisplaySafeUrl, TargetError> {
    let (mut url, _, _) = parse_url(raw, origin)?;
    if !url.path().ends_with('/') {
        // `…/simple` and `…/simple/` are one index; project pages go under it.
        let mut slashed = Url::clone(&url);
        slashed.set_path(&format!("{}/", url.path()));
        url = slashed.into();
    }
    let host = url.host_str().unwrap_or("");
    if host == "upload.pypi.org" || url.path().trim_end_matches('/').ends_with("/legacy") {
        let better = match host {
            "upload.pypi.org" => PYPI_INDEX.to_owned(),
            "test.pypi.org" => TESTPYPI_INDEX.to_owned(),
            _ => derive_index(upload_url).to_string(),
        };
        return Err(TargetError::WrongUrl(format!(
            "{url} ({origin}) is an upload URL, not a simple index; use {better}"
        )));
    }
    Ok(url)
}

/// `raw` for a message: user information hidden, also without a scheme
/// (`user:token@host/…`, which `Url` may even read as scheme `user`).
fn shown_url(raw: &str) -> String {
    let raw = raw.trim();
    if raw.contains("://") {
        return redact_url(raw);
    }
    let shown = redact_url(&format!("x://{}", raw.trim_start_matches('/')));
    shown["x://".len()..].to_owned()
}

/// `raw` without its user information, the user name when there is no
/// password, and the credentials when there is one.
fn parse_url(
    raw: &str,
    origin: &str,
) -> Result<(DisplaySafeUrl, Option<String>, Option<UrlCredentials>), TargetError> {
    let shown = shown_url(raw);
    let invalid = |why: String| TargetError::Invalid(format!("`{shown}` ({origin}) {why}"));
    if !raw.contains("://") {
        return Err(invalid(format!(
            "is not a URL; write it with its scheme, e.g. `https://{}`",
            shown.trim_start_matches('/')
        )));
    }
    let url = DisplaySafeUrl::parse(raw.trim())
        .map_err(|e| invalid(format!("is not a valid URL ({e}); check its spelling")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(
            "is not an http:// or https:// URL; give the index's https:// address".into(),
        ));
    }
    let has_password = url.password().is_some();
    Ok(match url.credentials() {
        Some((user, password)) if has_password => {
            let username = if user.is_empty() {
                "__token__".into()
            } else {
                user
            };
            let password = Secret::new(password);
            let login = UrlCredentials { username, password };
            (url.without_credentials(), None, Some(login))
        }
        Some((user, _)) => (url.without_credentials(), Some(user), None),
        None => (url, None, None),
    })
}

/// Refuses index and website URLs given where the upload URL was meant.
fn check_upload_url(url: &DisplaySafeUrl, origin: &str) -> Result<(), TargetError> {
    let host = url.host_str().unwrap_or("");
    let path = url.path();
    let wrong = |what: &str, fix: &str| {
        Err(TargetError::WrongUrl(format!(
            "{url} ({origin}) is {what}, not an upload URL; {fix}"
        )))
    };
    let pypi_fix = format!("upload to {PYPI_UPLOAD} (the default: leave out --repository-url)");
    let test_fix = format!("upload to {TESTPYPI_UPLOAD} (or pass --repository testpypi)");
    match host {
        "pypi.org" | "www.pypi.org" | "pypi.python.org" => {
            wrong(&format!("PyPI's {}", website_or_index(path)), &pypi_fix)
        }
        "upload.pypi.org" if !is_legacy(path) => wrong("not PyPI's upload API", &pypi_fix),
        "test.pypi.org" if !is_legacy(path) => {
            wrong(&format!("TestPyPI's {}", website_or_index(path)), &test_fix)
        }
        "files.pythonhosted.org" | "test-files.pythonhosted.org" => {
            wrong("PyPI's file host", &pypi_fix)
        }
        _ => check_simple_path(url, origin),
    }
}

fn is_legacy(path: &str) -> bool {
    path == "/legacy/" || path == "/legacy"
}

fn website_or_index(path: &str) -> &'static str {
    if path.starts_with("/simple") {
        "simple index"
    } else {
        "website"
    }
}

/// `…/simple/` and devpi's `…/+simple/` are indexes: suggest the upload URL.
fn check_simple_path(url: &DisplaySafeUrl, origin: &str) -> Result<(), TargetError> {
    let path = url.path().trim_end_matches('/');
    let with_path = |p: &str| {
        let mut u = Url::clone(url);
        u.set_path(p);
        u.set_query(None);
        DisplaySafeUrl::from(u)
    };
    if let Some(base) = path.strip_suffix("/+simple") {
        let fix = with_path(&format!("{base}/"));
        return Err(TargetError::WrongUrl(format!(
            "{url} ({origin}) is a devpi simple index, not an upload URL; upload to {fix} \
             and pass the index with --index-url"
        )));
    }
    if let Some(base) = path.strip_suffix("/simple") {
        let legacy = with_path(&format!("{base}/legacy/"));
        let root = with_path(&format!("{base}/"));
        return Err(TargetError::WrongUrl(format!(
            "{url} ({origin}) is a simple index, not an upload URL; upload to {legacy} on a \
             Warehouse-like index, or to {root} on pypiserver"
        )));
    }
    Ok(())
}

pub(super) fn has_password(raw: &str) -> bool {
    Url::parse(raw.trim()).is_ok_and(|u| u.password().is_some())
}
