//! What the proof after an upload uses: the release's address on the index
//! and the request for verify-install.

use crate::publish::credentials::Credentials;
use crate::publish::install::InstallRequest;
use crate::publish::target::Target;
use std::path::PathBuf;

pub(super) fn release_url(target: &Target, name: &str, version: &str) -> String {
    let project = crate::dist::filename::normalize_name(name);
    if target.is_pypi() {
        format!("https://pypi.org/project/{project}/{version}/")
    } else if target.is_testpypi() {
        format!("https://test.pypi.org/project/{project}/{version}/")
    } else {
        let index = target.index_url.to_string();
        format!("{}/{project}/", index.trim_end_matches('/'))
    }
}

/// PyPI and TestPyPI serve downloads to anyone: the upload token is not given
/// to pip there. Other indexes may want the login to download.
pub(super) fn install_request(
    target: &Target,
    credentials: &Credentials,
    name: &str,
    version: &str,
) -> InstallRequest {
    let python = std::env::var_os(crate::build::PYTHON_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| "python3".into());
    let public = target.is_pypi() || target.is_testpypi();
    let extra = target
        .is_testpypi()
        .then(|| "https://pypi.org/simple/".to_string());
    let login = (!public).then(|| (credentials.username.clone(), credentials.password.clone()));
    InstallRequest {
        python,
        index_url: target.index_url.as_str().to_owned(),
        extra_index_url: extra,
        name: name.to_string(),
        version: version.to_string(),
        login,
    }
}
