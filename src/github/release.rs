//! The sequence of a GitHub release, safe to run again at any point: find
//! the release for the tag (published, else a draft left by an earlier run),
//! check the tag is on GitHub, create a draft, attach the assets it lacks,
//! publish it.

use super::api::{sized, Answer, Api};
use super::{Asset, GithubError, Outcome, Plan, Status};
use crate::report::Reporter;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

/// Releases asked for per page, and the most pages read looking for a draft.
const PER_PAGE: usize = 100;
const MAX_PAGES: usize = 10;

/// A release as the API gives it (the fields used here).
#[derive(Debug, Deserialize)]
pub(super) struct Release {
    id: u64,
    tag_name: String,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    html_url: String,
    upload_url: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    assets: Vec<Attached>,
}

/// An asset attached to a release.
#[derive(Debug, Deserialize)]
struct Attached {
    id: u64,
    name: String,
    size: u64,
    /// `uploaded`, or `starter` for an upload that broke off.
    #[serde(default)]
    state: Option<String>,
    /// `sha256:<hex>`, given by GitHub since 2025.
    #[serde(default)]
    digest: Option<String>,
}

pub(super) fn run(plan: &Plan, api: &Api, reporter: &dyn Reporter) -> Result<Outcome, GithubError> {
    if let Some(release) = published(plan, api)? {
        reporter.verbose(&format!("Found the published release {}", release.html_url));
        let (uploaded, already_attached) = attach(plan, api, &release, reporter)?;
        let note = if uploaded.is_empty() {
            ""
        } else {
            ", missing assets added"
        };
        reporter.status(
            "Skipped",
            &format!(
                "GitHub release {}: already released{note} ({})",
                plan.tag, release.html_url
            ),
        );
        return Ok(Outcome {
            status: Status::AlreadyReleased,
            url: release.html_url,
            uploaded,
            already_attached,
        });
    }
    check_tag(plan, api)?;
    let (release, status) = match draft(plan, api)? {
        Some(release) => {
            reporter.status(
                "Reusing",
                &format!("draft release {} ({})", plan.tag, plan.repository),
            );
            (release, Status::PublishedDraft)
        }
        None => (create(plan, api, reporter)?, Status::Published),
    };
    let (uploaded, already_attached) = attach(plan, api, &release, reporter)?;
    let release = publish(plan, api, &release)?;
    reporter.status(
        "Published",
        &format!("GitHub release {} ({})", plan.tag, release.html_url),
    );
    Ok(Outcome {
        status,
        url: release.html_url,
        uploaded,
        already_attached,
    })
}

/// The published release of the tag (`GET …/releases/tags/{tag}`; a 404 is none).
fn published(plan: &Plan, api: &Api) -> Result<Option<Release>, GithubError> {
    let what = format!("look up the release {} of {}", plan.tag, plan.repository);
    let answer = api.get(api.repo_url(&["releases", "tags", &plan.tag]), &what)?;
    match answer.status {
        404 => Ok(None),
        _ if answer.ok() => {
            let release: Release = answer.json(&what)?;
            Ok((!release.draft).then_some(release))
        }
        _ => Err(api.refusal(&answer, &what, "")),
    }
}

/// A draft for the tag, left by an earlier run: drafts are only listed, so
/// the first pages of `GET …/releases` are read (drafts come first).
fn draft(plan: &Plan, api: &Api) -> Result<Option<Release>, GithubError> {
    let what = format!("list the releases of {}", plan.repository);
    for page in 1..=MAX_PAGES {
        let mut url = api.repo_url(&["releases"]);
        url.query_pairs_mut()
            .append_pair("per_page", &PER_PAGE.to_string())
            .append_pair("page", &page.to_string());
        let answer = api.get(url, &what)?;
        if !answer.ok() {
            return Err(api.refusal(&answer, &what, ""));
        }
        let releases: Vec<Release> = answer.json(&what)?;
        let count = releases.len();
        if let Some(found) = releases.into_iter().find(|r| r.tag_name == plan.tag) {
            return Ok(Some(found));
        }
        if count < PER_PAGE {
            break;
        }
    }
    Ok(None)
}

/// The tag must be on GitHub already: publishing a release whose tag is
/// missing would make GitHub create it on the default branch's head.
fn check_tag(plan: &Plan, api: &Api) -> Result<(), GithubError> {
    let what = format!("find the tag {} on {}", plan.tag, plan.repository);
    let answer = api.get(api.repo_url(&["git", "ref", "tags", &plan.tag]), &what)?;
    if answer.ok() {
        return Ok(());
    }
    if answer.status == 404 && repository_exists(plan, api)? {
        return Err(GithubError::Refused {
            status: Some(404),
            message: format!(
                "the tag {tag} is not on GitHub ({repo}): push it first (`git push origin {tag}`), then run again",
                tag = plan.tag,
                repo = plan.repository
            ),
        });
    }
    Err(api.refusal(&answer, &what, ""))
}

/// Whether the repository answers; its 404 means not found (or not visible).
fn repository_exists(plan: &Plan, api: &Api) -> Result<bool, GithubError> {
    let what = format!("read the repository {}", plan.repository);
    let answer = api.get(api.repo_url(&[]), &what)?;
    match answer.status {
        404 => Ok(false),
        _ if answer.ok() => Ok(true),
        _ => Err(api.refusal(&answer, &what, "")),
    }
}

fn create(plan: &Plan, api: &Api, reporter: &dyn Reporter) -> Result<Release, GithubError> {
    let what = format!("create the release {} on {}", plan.tag, plan.repository);
    let body = json!({
        "tag_name": plan.tag,
        "name": plan.name,
        "body": plan.notes,
        "draft": true,
        "prerelease": plan.prerelease,
    });
    let answer = api.send_json(Method::POST, api.repo_url(&["releases"]), &body, &what)?;
    let release: Release = expect(api, answer, &what, &push_the_tag(plan))?;
    reporter.status(
        "Created",
        &format!("draft release {} ({})", plan.tag, plan.repository),
    );
    Ok(release)
}

/// Uploads every asset the release lacks; returns (uploaded, already attached).
fn attach(
    plan: &Plan,
    api: &Api,
    release: &Release,
    reporter: &dyn Reporter,
) -> Result<(Vec<String>, Vec<String>), GithubError> {
    let (mut uploaded, mut present) = (Vec::new(), Vec::new());
    let mut missing = Vec::new();
    for asset in &plan.assets {
        match release.assets.iter().find(|a| a.name == asset.name) {
            Some(attached) if attached.state.as_deref().is_some_and(|s| s != "uploaded") => {
                remove_broken(plan, api, attached)?;
                missing.push(asset);
            }
            Some(attached) => {
                same_file(plan, release, asset, attached)?;
                present.push(asset.name.clone());
            }
            None => missing.push(asset),
        }
    }
    for name in &present {
        reporter.verbose(&format!("{name} is attached already"));
    }
    for asset in missing {
        upload(plan, api, release, asset)?;
        reporter.status("Uploaded", &sized(asset));
        uploaded.push(asset.name.clone());
    }
    Ok((uploaded, present))
}

/// An attached asset of the same name must be the same file (size, and the
/// sha256 when GitHub gives it).
fn same_file(
    plan: &Plan,
    release: &Release,
    asset: &Asset,
    attached: &Attached,
) -> Result<(), GithubError> {
    let theirs = attached
        .digest
        .as_deref()
        .and_then(|d| d.strip_prefix("sha256:"));
    let differs = attached.size != asset.size || theirs.is_some_and(|d| d != asset.sha256);
    if !differs {
        return Ok(());
    }
    Err(GithubError::Refused {
        status: None,
        message: format!(
            "the release {tag} ({url}) has an asset named {name} that is not {path} ({theirs} bytes there, {ours} here): delete that asset on GitHub or release another version",
            tag = plan.tag,
            url = release.html_url,
            name = asset.name,
            path = asset.path.display(),
            theirs = attached.size,
            ours = asset.size
        ),
    })
}

/// Deletes an asset whose upload broke off (state `starter`), so it can be sent again.
fn remove_broken(plan: &Plan, api: &Api, attached: &Attached) -> Result<(), GithubError> {
    let what = format!(
        "remove the unfinished asset {} of {}",
        attached.name, plan.tag
    );
    let url = api.repo_url(&["releases", "assets", &attached.id.to_string()]);
    let answer = api.delete(url, &what)?;
    if answer.ok() || answer.status == 404 {
        return Ok(());
    }
    Err(api.refusal(&answer, &what, ""))
}

fn upload(plan: &Plan, api: &Api, release: &Release, asset: &Asset) -> Result<(), GithubError> {
    let what = format!("upload {} to the release {}", asset.name, plan.tag);
    let answer = api.upload(&release.upload_url, asset)?;
    if answer.ok() {
        return Ok(());
    }
    let on_422 = if release.draft {
        format!(
            "an asset named {} may exist already: run again to compare it, or delete it on GitHub",
            asset.name
        )
    } else {
        "the release is published, and an immutable release takes no new assets: release another version".to_owned()
    };
    Err(api.refusal(&answer, &what, &on_422))
}

/// Marks the draft published; a reused draft also gets this run's title and notes.
fn publish(plan: &Plan, api: &Api, release: &Release) -> Result<Release, GithubError> {
    let what = format!("publish the release {} on {}", plan.tag, plan.repository);
    let mut body = json!({ "draft": false });
    if !plan.prerelease {
        body["make_latest"] = json!(if plan.latest { "true" } else { "false" });
    }
    if release.name.as_deref() != Some(plan.name.as_str()) {
        body["name"] = json!(plan.name);
    }
    if release.body.as_deref() != Some(plan.notes.as_str()) {
        body["body"] = json!(plan.notes);
    }
    let url = api.repo_url(&["releases", &release.id.to_string()]);
    let answer = api.send_json(Method::PATCH, url, &body, &what)?;
    expect(api, answer, &what, &push_the_tag(plan))
}

fn push_the_tag(plan: &Plan) -> String {
    format!(
        "check that the tag {tag} is on GitHub (`git push origin {tag}`) and that no other release uses it",
        tag = plan.tag
    )
}

/// The release in a successful answer, else why it was refused.
fn expect(api: &Api, answer: Answer, what: &str, on_422: &str) -> Result<Release, GithubError> {
    if answer.ok() {
        answer.json(what)
    } else {
        Err(api.refusal(&answer, what, on_422))
    }
}
