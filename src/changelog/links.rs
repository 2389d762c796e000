//! Compare links: moving `…/compare/OLD...HEAD` on to the new tag and deriving
//! the new release's link (GitHub, GitLab and lookalikes).

use std::sync::LazyLock;

use regex::Regex;

/// The Unreleased URL after a release, and the URL for the release itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlRotation {
    pub unreleased: String,
    pub release: String,
}

/// `<pre>/compare/<from><dots><to>` taken apart; `pre` ends with `/compare/`.
struct Compare<'a> {
    pre: &'a str,
    from: &'a str,
    dots: &'a str,
    to: &'a str,
}

fn parse_compare(url: &str) -> Option<Compare<'_>> {
    let at = url.find("/compare/")? + "/compare/".len();
    let (pre, spec) = url.split_at(at);
    let dots = if spec.contains("...") { "..." } else { ".." };
    let (from, to) = spec.split_once(dots)?;
    (!from.is_empty() && !to.is_empty()).then_some(Compare {
        pre,
        from,
        dots,
        to,
    })
}

/// Rotates the Unreleased URL `url` for a release tagged `new_tag`; `None`
/// when the URL is neither a compare link nor a recognisable repository link.
pub(crate) fn rotate_url(url: &str, new_tag: &str) -> Option<UrlRotation> {
    if let Some(c) = parse_compare(url) {
        return Some(UrlRotation {
            unreleased: format!("{}{new_tag}{}{}", c.pre, c.dots, c.to),
            release: format!("{}{}{}{new_tag}", c.pre, c.from, c.dots),
        });
    }
    first_release(url, new_tag)
}

/// A repository URL followed by a GitHub or GitLab page path.
static REPO_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<base>[A-Za-z][A-Za-z0-9+.-]*://[^/]+/.+?)(?P<gl>/-)?/(?:commits?|tree|src|releases|tags)(?:/.*)?$")
        .expect("valid regex")
});

/// The Unreleased link of a project without releases (`…/commits/HEAD`): the
/// release gets a tag page, Unreleased compares the new tag with `HEAD`.
fn first_release(url: &str, new_tag: &str) -> Option<UrlRotation> {
    let c = REPO_PAGE.captures(url)?;
    let base = &c["base"];
    let gitlab = c.name("gl").is_some() || base.contains("gitlab");
    let (dash, release) = if gitlab {
        ("/-", format!("{base}/-/tags/{new_tag}"))
    } else {
        ("", format!("{base}/releases/tag/{new_tag}"))
    };
    Some(UrlRotation {
        unreleased: format!("{base}{dash}/compare/{new_tag}...HEAD"),
        release,
    })
}

/// The link for a heading-embedded release link (release-please style),
/// shaped like `newest`, the newest release's link. `rotated` (from the
/// Unreleased link) wins when there is one.
pub(crate) fn heading_link(newest: &str, rotated: Option<&UrlRotation>, new_tag: &str) -> String {
    if let Some(r) = rotated {
        return r.release.clone();
    }
    if let Some(c) = parse_compare(newest) {
        return format!("{}{}{}{new_tag}", c.pre, c.to, c.dots);
    }
    match newest.rfind('/') {
        Some(i) => format!("{}{new_tag}", &newest[..=i]),
        None => new_tag.to_string(),
    }
}
