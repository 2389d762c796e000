//! Which GitHub repository a release goes to: `owner/name` as written in the
//! configuration or `GITHUB_REPOSITORY`, or read from a git remote URL on
//! github.com (or on the GitHub Enterprise server `GITHUB_SERVER_URL` names).

use std::fmt;

/// A repository on GitHub: `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    pub owner: String,
    pub name: String,
}

impl fmt::Display for Repository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

impl Repository {
    /// `owner/name` as GitHub spells them: an owner of letters, digits and
    /// single inner hyphens (up to 39), a name of letters, digits, `-`, `_`
    /// and `.` (up to 100, not `.` or `..`). `None` for anything else.
    pub fn parse(text: &str) -> Option<Repository> {
        let (owner, name) = text.trim().split_once('/')?;
        let owner_ok = (1..=39).contains(&owner.len())
            && owner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !owner.starts_with('-');
        let name_ok = (1..=100).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && name != "."
            && name != "..";
        (owner_ok && name_ok).then(|| Repository {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    /// The repository a git remote URL points to, when its host is one of
    /// `hosts` (lower case; `github.com` for the public GitHub). Reads
    /// `https://github.com/o/n(.git)`, `git@github.com:o/n(.git)`,
    /// `ssh://git@github.com(:22)/o/n`, `git://…`, with or without user
    /// information and a trailing slash.
    pub fn from_remote_url(url: &str, hosts: &[String]) -> Option<Repository> {
        let (host, path) = host_and_path(url.trim())?;
        let host = host.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        if !hosts.iter().any(|h| h == host) {
            return None;
        }
        let path = path.trim_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        Repository::parse(path)
    }
}

/// The host (without user information or port) and the path of a remote URL,
/// in URL form (`scheme://[user@]host[:port]/path`) or scp form
/// (`[user@]host:path`).
fn host_and_path(url: &str) -> Option<(&str, &str)> {
    if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(
            scheme,
            "https" | "http" | "ssh" | "git" | "git+ssh" | "ssh+git"
        ) {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host.split_once(':').map_or(host, |(h, _)| h);
        return Some((host, path));
    }
    // scp form: a `:` before any `/`, and not a Windows drive letter.
    let (authority, path) = url.split_once(':')?;
    if authority.contains('/') || authority.len() < 2 {
        return None;
    }
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some((host, path))
}

/// The host of a server URL such as `https://github.example.com/`, lower case.
pub(super) fn server_host(url: &str) -> Option<String> {
    let (_, rest) = url.trim().split_once("://")?;
    let authority = rest.split('/').next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split_once(':').map_or(host, |(h, _)| h);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_github(url: &str) -> Option<String> {
        Repository::from_remote_url(url, &["github.com".to_owned()]).map(|r| r.to_string())
    }

    #[test]
    fn remote_urls_on_github_give_owner_and_name() {
        for url in [
            "https://github.com/PyO3/maturin",
            "https://github.com/PyO3/maturin.git",
            "https://github.com/PyO3/maturin/",
            "http://github.com/PyO3/maturin.git",
            "https://x-access-token:ghs_abc@github.com/PyO3/maturin.git",
            "https://www.GitHub.com/PyO3/maturin",
            "git@github.com:PyO3/maturin.git",
            "git@github.com:PyO3/maturin",
            "github.com:PyO3/maturin.git",
            "ssh://git@github.com/PyO3/maturin",
            "ssh://git@github.com:22/PyO3/maturin.git",
            "git+ssh://git@github.com/PyO3/maturin.git",
            "git://github.com/PyO3/maturin.git",
        ] {
            assert_eq!(on_github(url).as_deref(), Some("PyO3/maturin"), "{url}");
        }
    }

    #[test]
    fn other_hosts_and_shapes_are_not_github() {
        for url in [
            "https://gitlab.com/PyO3/maturin.git",
            "git@gitlab.com:PyO3/maturin.git",
            "https://github.com.evil.org/PyO3/maturin",
            "https://github.com/PyO3",
            "https://github.com/PyO3/maturin/tree/main",
            "/srv/git/maturin.git",
            "../maturin",
            "file:///srv/git/github.com/o/n.git",
            "C:/repos/maturin",
            "",
        ] {
            assert_eq!(on_github(url), None, "{url}");
        }
    }

    #[test]
    fn an_enterprise_host_counts_when_named() {
        let hosts = ["github.com".to_owned(), "ghe.example.com".to_owned()];
        let repo = Repository::from_remote_url("git@ghe.example.com:team/tool.git", &hosts);
        assert_eq!(repo.unwrap().to_string(), "team/tool");
        let only_public = ["github.com".to_owned()];
        let repo = Repository::from_remote_url("git@ghe.example.com:team/tool.git", &only_public);
        assert_eq!(repo, None);
        assert_eq!(
            server_host("https://GHE.example.com:8443/").as_deref(),
            Some("ghe.example.com")
        );
    }

    #[test]
    fn owner_and_name_are_checked() {
        assert_eq!(Repository::parse("o/n").unwrap().to_string(), "o/n");
        assert_eq!(
            Repository::parse(" my-org/my_repo.py ")
                .unwrap()
                .to_string(),
            "my-org/my_repo.py"
        );
        for bad in [
            "", "o", "o/", "/n", "o/n/x", "-o/n", "o/..", "o/n n", "o_o/n", "o/n?x",
        ] {
            assert_eq!(Repository::parse(bad), None, "{bad}");
        }
    }
}
