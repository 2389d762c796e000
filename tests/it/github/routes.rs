//! The routes of the GitHub API stand-in (`stand_in`), answered from its
//! in-memory state the way GitHub's REST API answers them.

use super::stand_in::{asset_json, Asset, Release, Seen, State, REPO};
use serde_json::{json, Value};

const NOT_FOUND: (u16, &str) = (
    404,
    r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}"#,
);

fn not_found() -> (u16, String) {
    (NOT_FOUND.0, NOT_FOUND.1.into())
}

fn release_json(release: &Release, base: &str) -> Value {
    json!({
        "id": release.id,
        "url": format!("{base}/repos/{REPO}/releases/{}", release.id),
        "html_url": format!("https://github.com/{REPO}/releases/tag/{}", release.tag),
        "upload_url": format!("{base}/uploads/repos/{REPO}/releases/{}/assets{{?name,label}}", release.id),
        "tag_name": release.tag,
        "name": release.name,
        "body": release.body,
        "draft": release.draft,
        "prerelease": release.prerelease,
        "assets": release.assets.iter().map(asset_json).collect::<Vec<_>>(),
    })
}

pub fn route(state: &mut State, seen: &Seen, base: &str) -> (u16, String) {
    let path = seen.path().to_owned();
    let query = seen
        .target
        .split_once('?')
        .map_or("", |(_, q)| q)
        .to_owned();
    if let Some(rest) = path.strip_prefix(&format!("/uploads/repos/{REPO}/releases/")) {
        return upload(state, rest, &query, seen);
    }
    let Some(rest) = path.strip_prefix(&format!("/repos/{REPO}")) else {
        return not_found();
    };
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match (seen.method.as_str(), parts.as_slice()) {
        ("GET", []) => (200, json!({ "full_name": REPO }).to_string()),
        ("GET", ["git", "ref", "tags", tag]) => match state.tags.iter().any(|t| t == tag) {
            true => (
                200,
                json!({ "ref": format!("refs/tags/{tag}") }).to_string(),
            ),
            false => not_found(),
        },
        ("GET", ["releases", "tags", tag]) => {
            let found = state.releases.iter().find(|r| r.tag == *tag && !r.draft);
            found.map_or_else(not_found, |r| (200, release_json(r, base).to_string()))
        }
        ("GET", ["releases"]) => list(state, &query, base),
        ("POST", ["releases"]) => create(state, &seen.json(), base),
        ("PATCH", ["releases", id]) => edit(state, id, &seen.json(), base),
        ("DELETE", ["releases", "assets", id]) => {
            for release in &mut state.releases {
                release.assets.retain(|a| a.id.to_string() != *id);
            }
            (204, String::new())
        }
        _ => not_found(),
    }
}

/// Drafts first, then newest first, `per_page` at a time.
fn list(state: &State, query: &str, base: &str) -> (u16, String) {
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let (per_page, page) = (param("per_page").unwrap_or(30), param("page").unwrap_or(1));
    let mut releases: Vec<&Release> = state.releases.iter().collect();
    releases.sort_by_key(|r| (!r.draft, std::cmp::Reverse(r.id)));
    let shown: Vec<Value> = (releases.iter())
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|r| release_json(r, base))
        .collect();
    (200, Value::Array(shown).to_string())
}

fn create(state: &mut State, body: &Value, base: &str) -> (u16, String) {
    let tag = body["tag_name"].as_str().unwrap().to_owned();
    if state.releases.iter().any(|r| r.tag == tag) {
        let error = json!({"message": "Validation Failed", "errors": [{"resource": "Release", "code": "already_exists", "field": "tag_name"}]});
        return (422, error.to_string());
    }
    let id = state.add_release(&tag, body["draft"].as_bool().unwrap_or(false), &[]);
    let release = state.releases.iter_mut().find(|r| r.id == id).unwrap();
    release.name = body["name"].as_str().unwrap_or(&tag).to_owned();
    release.body = body["body"].as_str().unwrap_or("").to_owned();
    release.prerelease = body["prerelease"].as_bool().unwrap_or(false);
    (201, release_json(release, base).to_string())
}

fn edit(state: &mut State, id: &str, body: &Value, base: &str) -> (u16, String) {
    let Some(release) = state.releases.iter_mut().find(|r| r.id.to_string() == id) else {
        return not_found();
    };
    if let Some(draft) = body["draft"].as_bool() {
        release.draft = draft;
    }
    if let Some(name) = body["name"].as_str() {
        release.name = name.into();
    }
    if let Some(notes) = body["body"].as_str() {
        release.body = notes.into();
    }
    (200, release_json(release, base).to_string())
}

/// `POST /uploads/repos/{repo}/releases/{id}/assets?name=…`, the body the file.
fn upload(state: &mut State, rest: &str, query: &str, seen: &Seen) -> (u16, String) {
    let id = rest.trim_end_matches("/assets");
    let name = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("name="))
        .unwrap_or("")
        .to_owned();
    let asset_id = state.new_id();
    let Some(release) = state.releases.iter_mut().find(|r| r.id.to_string() == id) else {
        return not_found();
    };
    if name.is_empty() || release.assets.iter().any(|a| a.name == name) {
        let error = json!({"message": "Validation Failed", "errors": [{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}]});
        return (422, error.to_string());
    }
    let asset = Asset {
        id: asset_id,
        name,
        bytes: seen.body.clone(),
        state: "uploaded".into(),
    };
    let answer = asset_json(&asset);
    release.assets.push(asset);
    (201, answer.to_string())
}
