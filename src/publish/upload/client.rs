//! The HTTP side of an upload: one client for the upload URL (no redirects,
//! `Accept: application/json`, Basic authentication marked sensitive) and one
//! for the simple index, the answer read once, and redaction of every text
//! that could carry the URL's credentials or the token.
//!
//! Uploads run on a small async runtime of the session's own, so that a
//! request with no byte sent or received for the timeout can be dropped, and
//! its connection with it, however far it got; a slow upload that keeps
//! moving is never cut off.

use super::super::credentials::oidc::renew::Renewing;
use super::super::credentials::Credentials;
use super::super::target::Target;
use super::classify::{self, Answer};
use super::stream::{Activity, StreamBody};
use super::{UploadError, UploadErrorKind as Kind};
use crate::publish::index::{self, IndexAuth, IndexError, IndexFile, Root};
use crate::publish::secret::{Redactor, Secret};
use crate::publish::url::{self, same_origin, DisplaySafeUrl};
use reqwest::blocking::multipart::Form;
use reqwest::blocking::Client;
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, LOCATION,
};
use std::future::Future;
use std::io::Read;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

/// At most this much of an error answer is read.
const MAX_ANSWER: usize = 64 * 1024;

pub(crate) struct Session {
    upload: reqwest::Client,
    /// Drives the uploads; each uploading thread waits on it.
    runtime: tokio::runtime::Runtime,
    index: Client,
    /// As the target gives them, for messages: requests go to them without
    /// user information (the credentials go in the header).
    pub(crate) upload_url: DisplaySafeUrl,
    pub(crate) index_url: DisplaySafeUrl,
    username: String,
    password: Secret,
    /// Trusted publishing: gives the token of each request, renewed in time.
    renewal: Option<Arc<Renewing>>,
    /// Where the credentials came from, for messages.
    source: String,
    /// Credentials for the index: its URL's own, else the upload's when both
    /// share an origin (never PyPI's token to another host).
    index_auth: Option<(String, Secret)>,
    /// Set when no simple index answers at `index_url` (its root answered
    /// this status) nor at another layout's place beside the upload URL.
    pub(crate) index_missing: Option<String>,
    pub(crate) timeout: Duration,
    /// PyPI or TestPyPI: the simple index is where it always is.
    well_known: bool,
}

/// Where [`Session::locate`] found the simple index: another place than
/// the one given, or none (the status its root answered).
#[derive(Debug, Clone, Default)]
pub(crate) struct Located {
    moved_to: Option<DisplaySafeUrl>,
    missing: Option<String>,
}

/// Why an upload request got no answer.
pub(crate) enum Failed {
    /// No byte sent or received for the timeout: the request was dropped.
    Stalled,
    Http(reqwest::Error),
}

impl Session {
    pub(crate) fn new(
        target: &Target,
        credentials: &Credentials,
        timeout: Duration,
    ) -> Result<Session, UploadError> {
        let cannot =
            |e: String| Kind::Unavailable.error(format!("cannot set up an HTTP client: {e}"));
        let upload = reqwest::Client::builder()
            .user_agent(index::user_agent())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(30)))
            .build()
            .map_err(|e| cannot(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("cargo-pypi-upload")
            .enable_all()
            .build()
            .map_err(|e| cannot(e.to_string()))?;
        let index = index::client(timeout).map_err(|e| Kind::Index.error(e.to_string()))?;
        Ok(Session {
            upload,
            runtime,
            index,
            upload_url: target.upload_url.clone(),
            index_url: target.index_url.clone(),
            username: credentials.username.clone(),
            password: credentials.password.clone(),
            renewal: credentials.renewal.clone(),
            source: credentials.source.clone(),
            index_auth: index_auth(target, credentials),
            index_missing: None,
            timeout,
            well_known: target.is_pypi() || target.is_testpypi(),
        })
    }

    /// Checks that a simple index answers at `index_url` (PyPI's and
    /// TestPyPI's are known); when it was derived from the upload URL and is
    /// not there, finds the first other layout's place that answers (devpi's
    /// `…/+simple/`). Without an answer either way, the listing tells more.
    /// Reads only, so that it can run beside a listing; [`Session::settle`]
    /// takes the result.
    pub(crate) fn locate(&self) -> Located {
        let here = Located::default();
        if self.well_known {
            return here;
        }
        let probe = |url: &DisplaySafeUrl| index::probe_root(&self.index, url, self.auth());
        let Root::Missing { status, devpi } = probe(&self.index_url.without_credentials()) else {
            return here;
        };
        let derived = url::derived_index(&self.upload_url.without_credentials());
        if self.index_url.without_credentials() == derived {
            let candidates = url::index_candidates(&self.upload_url.without_credentials());
            if let Some(found) = candidates
                .into_iter()
                .skip(1)
                .find(|c| probe(c) == Root::Found)
            {
                return Located {
                    moved_to: Some(found),
                    missing: None,
                };
            }
        }
        let devpi = if devpi {
            " (a devpi server: its simple index is …/USER/INDEX/+simple/)"
        } else {
            ""
        };
        Located {
            moved_to: None,
            missing: Some(format!("{status}{devpi}")),
        }
    }

    /// What was found, for another session at `index_url`.
    pub(crate) fn located(&self) -> Located {
        Located {
            moved_to: None,
            missing: self.index_missing.clone(),
        }
    }

    /// Takes what [`Session::locate`] found; whether the index moved.
    pub(crate) fn settle(&mut self, located: Located) -> bool {
        self.index_missing = located.missing;
        match located.moved_to {
            Some(found) => {
                self.index_url = found;
                true
            }
            None => false,
        }
    }

    fn auth(&self) -> Option<IndexAuth<'_>> {
        (self.index_auth.as_ref()).map(|(username, password)| IndexAuth { username, password })
    }

    /// Sends one upload request of `length` bytes and reads the answer;
    /// `sent` counts the bytes of the form handed to the connection.
    pub(crate) fn post(
        &self,
        form: Form,
        length: u64,
        sent: Arc<AtomicU64>,
    ) -> Result<Answer, Failed> {
        let content_type = format!("multipart/form-data; boundary={}", form.boundary());
        let activity = Activity::new();
        let body = StreamBody::new(form.into_reader(), length, activity.clone(), sent);
        self.send(reqwest::Body::wrap(body), &content_type, length, &activity)
    }

    /// A small upload request without a file, sent when an upload broke off
    /// before its file was sent: the index's answer to it (an early 403, say)
    /// tells why. Indexes check the credentials before the file, so this
    /// request gets the same refusal, or a harmless 400 for the missing file.
    pub(crate) fn probe(&self) -> Result<Answer, Failed> {
        let form = Form::new()
            .text(":action", "file_upload")
            .text("protocol_version", "1");
        let content_type = format!("multipart/form-data; boundary={}", form.boundary());
        let mut body = Vec::new();
        form.into_reader()
            .read_to_end(&mut body)
            .expect("an in-memory form reads");
        let length = body.len() as u64;
        self.send(body.into(), &content_type, length, &Activity::new())
    }

    fn send(
        &self,
        body: reqwest::Body,
        content_type: &str,
        length: u64,
        activity: &Activity,
    ) -> Result<Answer, Failed> {
        let request = (self
            .upload
            .post(self.upload_url.without_credentials().as_str()))
        .header(AUTHORIZATION, self.authorization())
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, content_type)
        .header(CONTENT_LENGTH, length)
        .body(body);
        self.runtime.block_on(async {
            let response = watched(request.send(), activity, self.timeout)
                .await
                .ok_or(Failed::Stalled)?
                .map_err(Failed::Http)?;
            activity.touch();
            Ok(self.answer(response, activity).await)
        })
    }

    async fn answer(&self, mut response: reqwest::Response, activity: &Activity) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        // An answer cut short still has its status; its words are a bonus.
        while body.len() < MAX_ANSWER {
            match watched(response.chunk(), activity, self.timeout).await {
                Some(Ok(Some(chunk))) => {
                    activity.touch();
                    body.extend_from_slice(&chunk);
                }
                _ => break,
            }
        }
        body.truncate(MAX_ANSWER);
        let content_type = header(&headers, CONTENT_TYPE)
            .unwrap_or_default()
            .to_ascii_lowercase();
        // Whole secrets hidden in the body as sent, then every form and slice
        // in the words read from it (escapes undone), before they are cut short.
        let body = self
            .redactor()
            .redact_whole(&String::from_utf8_lossy(&body));
        Answer {
            status: status.as_u16(),
            status_text: index::status_text(status),
            message: classify::message_of(&content_type, &body, |t| self.scrub(t)),
            retry_after: index::retry_after(&headers),
            location: header(&headers, LOCATION).map(|l| self.scrub(&l)),
        }
    }

    fn authorization(&self) -> HeaderValue {
        let password =
            (self.renewal.as_ref()).map_or_else(|| self.password.clone(), |r| r.current());
        let mut value = HeaderValue::from_str(&password.basic_auth(&self.username))
            .expect("base64 is a valid header value");
        value.set_sensitive(true);
        value
    }

    /// The files the index lists for `project`, messages scrubbed.
    pub(crate) fn listing(&self, project: &str) -> Result<Vec<IndexFile>, IndexError> {
        self.page(project).map(Option::unwrap_or_default)
    }

    /// Like [`Session::listing`], `None` when the index has no page for `project`.
    pub(crate) fn page(&self, project: &str) -> Result<Option<Vec<IndexFile>>, IndexError> {
        let index_url = self.index_url.without_credentials();
        // Not scrubbed: the messages are the tool's own words (the password
        // `index` must not turn "the index answered" into "the *** answered").
        index::project_page(&self.index, &index_url, project, self.auth())
    }

    /// The sha256 of `file` as the index serves it (its link on the page of
    /// `project`), for an index that lists no sha256; `size` is what it
    /// should weigh, for the time the download is given.
    pub(crate) fn download_sha256(
        &self,
        project: &str,
        file: &IndexFile,
        size: u64,
    ) -> Result<String, String> {
        let page = index::project_url(&self.index_url.without_credentials(), project)
            .map_err(|e| e.to_string())?;
        let href = file.href.as_deref().unwrap_or(&file.filename);
        let url = page
            .join(href)
            .map_err(|e| format!("the link {href:?} is not a URL ({e})"))?;
        let shown = DisplaySafeUrl::from(url.clone());
        let mut request = self
            .index
            .get(url.clone())
            .timeout(self.timeout + Duration::from_secs(size / (256 * 1024)));
        if let Some(auth) = self.auth().filter(|_| same_origin(&url, &self.index_url)) {
            request = request.basic_auth(auth.username, Some(auth.password.expose()));
        }
        // The tool's own words, with the URL shown without its login.
        let cannot = |why: String| format!("cannot download {shown} to compare it: {why}");
        let response = request
            .send()
            .map_err(|e| cannot(index::describe_error(&e)))?;
        if !response.status().is_success() {
            return Err(cannot(format!(
                "the index answered {}",
                index::status_text(response.status())
            )));
        }
        let (_, sha256) = crate::digest::sha256(response).map_err(|e| cannot(e.to_string()))?;
        Ok(sha256)
    }

    /// Text the index sent with every password replaced by `***`, in any
    /// encoding it may have echoed it (see [`Redactor`]); never the tool's own words.
    pub(crate) fn scrub(&self, text: &str) -> String {
        self.redactor().redact(text)
    }

    fn redactor(&self) -> Redactor {
        let mut redactor = Redactor::new();
        redactor.add_with_username(&self.username, &self.password);
        for token in self.renewal.iter().flat_map(|r| r.issued()) {
            redactor.add_with_username(&self.username, &token);
        }
        if let Some((username, password)) = &self.index_auth {
            redactor.add_with_username(username, password);
        }
        redactor
    }

    /// What `answer` means; a refusal names the credentials by their source.
    pub(crate) fn verdict(&self, answer: &Answer) -> classify::Verdict {
        let failure = self.renewal.as_ref().and_then(|r| r.failure());
        let source = match failure {
            Some(why) => format!("{}, whose token could not be renewed: {why}", self.source),
            None => self.source.clone(),
        };
        let ctx = classify::Context {
            credentials_source: &source,
            username: &self.username,
        };
        classify::verdict(answer, &ctx)
    }
}

/// Credentials for the simple index: the index URL's own, else the upload
/// credentials when the index shares the upload URL's origin.
fn index_auth(target: &Target, credentials: &Credentials) -> Option<(String, Secret)> {
    if let Some((username, password)) = target.index_url.credentials() {
        return Some((username, Secret::new(password)));
    }
    same_origin(&target.index_url, &target.upload_url)
        .then(|| (credentials.username.clone(), credentials.password.clone()))
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::to_string)
}

/// `future`'s output, or `None` once `activity` has seen no bytes move for `timeout`.
async fn watched<T>(
    future: impl Future<Output = T>,
    activity: &Activity,
    timeout: Duration,
) -> Option<T> {
    let mut future = std::pin::pin!(future);
    loop {
        let deadline = activity.last() + timeout;
        match tokio::time::timeout_at(deadline.into(), future.as_mut()).await {
            Ok(output) => return Some(output),
            Err(_) if activity.last() + timeout <= std::time::Instant::now() => return None,
            Err(_) => {}
        }
    }
}
