//! What an index's answer to an upload means, and what to do about it: the
//! message read from PyPI's JSON (else the HTML page, else the text), matched
//! against the messages PyPI (Warehouse) and pypiserver give.
//!
//! The index's own words never go into a refusal or a retry reason: a server
//! may echo the password in any encoding, and the classified message already
//! says what to do. They reach the user only through `Progress::answered`
//! (shown from `-v` on), redacted.

use super::retry::{is_transient_status, Transient};
use crate::publish::index::unescape;
use regex::Regex;
use std::sync::OnceLock;
use std::time::Duration;

/// An index's answer, read once.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// `403 Forbidden`.
    pub(crate) status_text: String,
    /// The index's own words, when it gave any, redacted: for matching and
    /// for `Progress::answered`, never for a message.
    pub(crate) message: String,
    pub(crate) retry_after: Option<Duration>,
    /// `Location` of a redirect.
    pub(crate) location: Option<String>,
}

/// What the upload does next.
#[derive(Debug)]
pub(crate) enum Verdict {
    Uploaded,
    /// "File already exists": the index is read again to tell whether it is this file.
    Exists,
    Retry(Transient),
    /// Refused; the text says why and what to do (without the file and URL).
    Refused(String),
}

/// Where the upload went, for the words of a refusal.
pub(crate) struct Context<'a> {
    /// Where the credentials came from (never their value).
    pub(crate) credentials_source: &'a str,
    pub(crate) username: &'a str,
}

pub(crate) fn verdict(answer: &Answer, ctx: &Context) -> Verdict {
    let status = answer.status;
    let said = answer.message.to_ascii_lowercase();
    if (200..300).contains(&status) {
        return Verdict::Uploaded;
    }
    if (status == 400 || status == 409)
        && (said.contains("already exists") || said.contains("already been used"))
    {
        return Verdict::Exists;
    }
    if is_transient_status(status) {
        return Verdict::Retry(Transient {
            reason: quoted(answer),
            retry_after: answer.retry_after,
        });
    }
    Verdict::Refused(format!(
        "{}; {}",
        quoted(answer),
        remedy(answer, &said, ctx)
    ))
}

/// `the index answered 403 Forbidden`, without the index's words.
pub(crate) fn quoted(answer: &Answer) -> String {
    format!("the index answered {}", answer.status_text)
}

fn remedy(answer: &Answer, said: &str, ctx: &Context) -> String {
    let has = |words: &[&str]| words.iter().any(|w| said.contains(w));
    let creds = format!(
        "credentials from {}, username {:?}",
        ctx.credentials_source, ctx.username
    );
    match answer.status {
        300..=399 => format!(
            "uploads are not sent through redirects: use the URL it points to{} (PyPI's is https://upload.pypi.org/legacy/, with the trailing slash)",
            answer
                .location
                .as_deref()
                .map(|l| format!(", {}", crate::publish::url::redact_url(l)))
                .unwrap_or_default()
        ),
        401 if has(&["two factor", "two-factor", "2fa"]) => two_factor(),
        401 => format!("the index wants credentials ({creds}): give a username and password, or `__token__` and an API token"),
        403 if has(&["invalid or non-existent authentication"]) => format!(
            "the token is wrong, expired or revoked ({creds}): create a new API token on the index's account page and use it with the username `__token__`"
        ),
        403 if has(&["isn't allowed to upload", "not allowed to upload"]) => format!(
            "these credentials may not upload to this project ({creds}): the token is scoped to another project, or the account is not an owner or maintainer of it; use a token scoped to this project (an account-wide token for its very first upload) or ask an owner for the maintainer role"
        ),
        403 | 400 if has(&["verified primary email", "verified email"]) => {
            "the account has no verified primary email address: verify it in the account settings of the index, then upload again".into()
        }
        403 if has(&["two factor", "two-factor", "2fa"]) => two_factor(),
        403 if has(&["read-only", "temporarily disabled"]) => {
            "the index takes no uploads right now: try again later".into()
        }
        403 => format!(
            "the index refused these credentials ({creds}): check the username (`__token__` for an API token), the token, and that it may upload to this project"
        ),
        404 | 405 => "nothing takes uploads at this URL: give the upload URL, not the simple index (`.../simple/`): https://upload.pypi.org/legacy/ for PyPI, https://test.pypi.org/legacy/ for TestPyPI, the server's root URL for pypiserver".into(),
        410 => "this URL no longer takes uploads: use https://upload.pypi.org/legacy/ (or https://test.pypi.org/legacy/)".into(),
        413 => too_large(),
        400 => bad_request(said),
        _ if answer.message.is_empty() => "the index gave no reason: check the upload URL and the index's logs; re-running skips the files already uploaded".into(),
        _ => "run with -v to see the index's own message; re-running skips the files already uploaded".into(),
    }
}

fn two_factor() -> String {
    "the account requires two-factor authentication: enable it, then upload with an API token (username `__token__`) or trusted publishing instead of a password".into()
}

fn too_large() -> String {
    "the file is larger than the index allows (100 MiB by default on PyPI): make it smaller (`strip = true` in the Cargo release profile drops debug symbols) or ask for a larger limit at https://pypi.org/help/#file-size-limit".into()
}

fn bad_request(said: &str) -> String {
    let has = |words: &[&str]| words.iter().any(|w| said.contains(w));
    if has(&["only one sdist"]) {
        "a release has one sdist and this one has another already (under another name): upload only the wheels, or bump the version".into()
    } else if has(&["file too large", "project size too large"]) {
        too_large()
    } else if has(&["unsupported platform tag"]) {
        "PyPI takes manylinux, musllinux, macOS and Windows wheels, not plain `linux_*` ones: build with maturin's manylinux support (`--compatibility manylinux2014`, or inside the manylinux container) or repair the wheel with auditwheel".into()
    } else if has(&["local version"]) {
        "PyPI refuses local versions (`+...`): drop the local part from the version".into()
    } else if has(&["description failed to render"]) {
        "the long description does not render: `cargo pypi check-dist` shows where it breaks; fix it or set the right Description-Content-Type".into()
    } else if has(&[
        "filename",
        "file name",
        "not normalized",
        "invalid wheel",
        "invalid sdist",
    ]) {
        "the file name does not match the project and version or is not normalized (PEP 427, PEP 625): rebuild with a current maturin and keep the name it gives".into()
    } else if has(&["too similar", "standard library"])
        || has(&["the name"]) && has(&["isn't allowed", "not allowed", "prohibited"])
    {
        "the index will not take this project name: choose another one".into()
    } else if has(&["non-user identities"]) {
        "the trusted publisher was registered for another project name than the metadata's: make them match".into()
    } else if has(&["digest"]) {
        "the file changed while it was being sent: upload it again once the build is done".into()
    } else {
        "the metadata is invalid: fix the field the index names (`-v` shows its message; `cargo pypi check-dist` finds most such problems before an upload)".into()
    }
}

/// The index's own words from an error body: PyPI's JSON `message` (its last
/// paragraph: the first is a generic explanation), else an HTML page's
/// `<pre>`, `<h1>` or `<title>`, else the plain text (first line). `redact`
/// sees them as read, escapes undone, before spaces are squeezed and the
/// text is cut short (either could cut a secret in two).
pub(crate) fn message_of(
    content_type: &str,
    body: &str,
    redact: impl Fn(&str) -> String,
) -> String {
    let text = if content_type.contains("json") {
        json_message(body)
    } else if content_type.contains("html") || body.trim_start().starts_with('<') {
        html_message(body)
    } else {
        body.lines()
            .find(|l| !l.trim().is_empty())
            .map(str::to_string)
    };
    let text = redact(&text.unwrap_or_default());
    // One line, and no terminal escapes of the server's making.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    if text == "None" {
        return String::new();
    }
    truncate(&text, 500)
}

fn json_message(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let message = value.get("message")?.as_str()?;
    message
        .rsplit("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())
        .map(str::to_string)
}

fn html_message(body: &str) -> Option<String> {
    static TAGS: OnceLock<[Regex; 3]> = OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        ["pre", "h1", "title"].map(|t| Regex::new(&format!(r"(?is)<{t}[^>]*>(.*?)</{t}>")).unwrap())
    });
    tags.iter()
        .filter_map(|re| re.captures(body))
        .map(|c| strip_tags(&c[1]))
        .find(|t| !t.trim().is_empty() && t.trim() != "None")
}

fn strip_tags(html: &str) -> String {
    static TAG: OnceLock<Regex> = OnceLock::new();
    // Only what looks like a tag: a `<` or `<>` in an echoed password stays.
    let tag = TAG.get_or_init(|| Regex::new(r"</?[A-Za-z!?][^>]*>").unwrap());
    unescape(&tag.replace_all(html, ""))
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, message: &str) -> Answer {
        Answer {
            status,
            status_text: format!("{status} X"),
            message: message.into(),
            retry_after: None,
            location: None,
        }
    }

    fn refused(status: u16, message: &str) -> String {
        let ctx = Context {
            credentials_source: "environment variable PYPI_API_TOKEN",
            username: "__token__",
        };
        match verdict(&answer(status, message), &ctx) {
            Verdict::Refused(text) => text,
            other => panic!("{status} {message}: {other:?}"),
        }
    }

    #[test]
    fn warehouse_messages_get_their_remedy() {
        let cases = [
            (403, "Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.", "create a new API token"),
            (403, "The user 'jane' isn't allowed to upload to project 'demo'. See https://pypi.org/help/#project-name for more information.", "scoped to another project"),
            (403, "The credential associated with user 'jane' isn't allowed to upload to project 'demo'.", "scoped to another project"),
            (403, "User 'jane' does not have a verified primary email address. Please add a verified primary email before attempting to upload to PyPI.", "verify it"),
            (400, "User 'jane' does not have a verified primary email address.", "verify it"),
            (403, "User 'jane' does not have two-factor authentication enabled. Please enable two-factor authentication before attempting to upload to PyPI.", "enable it"),
            (401, "User jane has two factor auth enabled, an API Token or Trusted Publisher must be used to upload in place of password.", "enable it"),
            (403, "Read-only mode: Uploads are temporarily disabled.", "try again later"),
            (400, "Only one sdist may be uploaded per release.", "one sdist"),
            (400, "File too large. Limit for project 'demo' is 100 MB.", "larger than the index allows"),
            (413, "", "larger than the index allows"),
            (400, "Binary wheel 'demo-1.0-cp311-cp311-linux_x86_64.whl' has an unsupported platform tag 'linux_x86_64'.", "manylinux"),
            (400, "Can't use PEP 440 local versions.", "local versions"),
            (400, "The use of local versions in <Version('1.0+x')> is not allowed.", "local versions"),
            (400, "The description failed to render for 'text/x-rst'.", "does not render"),
            (400, "Start filename for 'demo-pkg' with 'demo_pkg'.", "file name"),
            (400, "'bad' is an invalid value for Classifier.", "metadata is invalid"),
            (400, "The name 'requestss' is too similar to an existing project.", "project name"),
            (404, "Not Found", "not the simple index"),
            (405, "Method Not Allowed", "not the simple index"),
            (410, "Project pre-registration is no longer required or supported, upload your files instead.", "no longer takes uploads"),
            (308, "An upload was attempted to /legacy but the expected upload URL is /legacy/", "redirects"),
        ];
        for (status, message, remedy) in cases {
            let text = refused(status, message);
            assert!(text.contains(remedy), "{status} {message}: {text}");
            // The index's words are not repeated: `-v` shows them.
            assert!(message.is_empty() || !text.contains(message), "{text}");
        }
    }

    #[test]
    fn an_unknown_refusal_points_to_the_index_words_only_when_there_are_some() {
        assert!(refused(418, "I'm a teapot").contains("run with -v to see the index's own message"));
        assert!(refused(418, "").contains("the index gave no reason"));
    }

    #[test]
    fn credentials_are_named_by_source_never_by_value() {
        let text = refused(403, "");
        assert!(
            text.contains("environment variable PYPI_API_TOKEN"),
            "{text}"
        );
        assert!(text.starts_with("the index answered 403"), "{text}");
    }

    #[test]
    fn existing_files_transient_failures_and_success() {
        let ctx = Context {
            credentials_source: "x",
            username: "u",
        };
        let exists = answer(
            400,
            "File already exists. See https://pypi.org/help/#file-name-reuse",
        );
        assert!(matches!(verdict(&exists, &ctx), Verdict::Exists));
        let pypiserver = answer(409, "Package 'demo-1.0.tar.gz' already exists! You may start server with `--overwrite` option.");
        assert!(matches!(verdict(&pypiserver, &ctx), Verdict::Exists));
        let reused = answer(
            400,
            "This filename has already been used, use a different version.",
        );
        assert!(matches!(verdict(&reused, &ctx), Verdict::Exists));
        for status in [429, 500, 502, 503] {
            assert!(matches!(
                verdict(&answer(status, ""), &ctx),
                Verdict::Retry(_)
            ));
        }
        assert!(matches!(verdict(&answer(200, ""), &ctx), Verdict::Uploaded));
    }

    fn message_of_(content_type: &str, body: &str) -> String {
        message_of(content_type, body, str::to_owned)
    }

    #[test]
    fn messages_from_json_html_and_text() {
        let json = r#"{"message": "The server could not comply with the request since it is either malformed or otherwise incorrect.\n\nFile already exists. See x", "code": "400 File already exists. See x", "title": "Bad Request"}"#;
        assert_eq!(
            message_of_("application/json", json),
            "File already exists. See x"
        );
        let html = "<html><head><title>Error: 409 Conflict</title></head><body><h1>Error: 409 Conflict</h1><pre>Package &#039;a-1.tar.gz&#039; already exists!\n  You may start server with `--overwrite` option.</pre></body></html>";
        assert_eq!(
            message_of_("text/html; charset=UTF-8", html),
            "Package 'a-1.tar.gz' already exists! You may start server with `--overwrite` option."
        );
        let none = "<html><title>Error: 403 Forbidden</title><h1>Error: 403 Forbidden</h1><pre>None</pre></html>";
        assert_eq!(message_of_("text/html", none), "Error: 403 Forbidden");
        assert_eq!(
            message_of_("text/plain", "\nquota exceeded\nmore"),
            "quota exceeded"
        );
        assert_eq!(message_of_("", ""), "");
        assert_eq!(
            message_of_("text/plain", "red \x1b[31mtext\x07"),
            "red [31mtext"
        );
        assert!(message_of_("text/plain", &"x".repeat(2000)).len() < 600);
    }
}
