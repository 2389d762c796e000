//! The HTTP side of an upload: one client for the upload URL (no redirects,
//! `Accept: application/json`, Basic authentication marked sensitive) and one
//! for the simple index, the answer read once, and redaction of every text
//! that could carry the URL's credentials or the token.

use super::super::credentials::Credentials;
use super::super::target::Target;
use super::classify::{self, Answer};
use super::{UploadError, UploadErrorKind as Kind};
use crate::publish::index::{self, IndexAuth, IndexError, IndexFile};
use crate::publish::secret::{Redactor, Secret};
use crate::publish::url::{same_origin, DisplaySafeUrl};
use reqwest::blocking::multipart::Form;
use reqwest::blocking::Client;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use std::io::Read;
use std::time::Duration;

/// Slowest transfer rate an upload is given time for, on top of the timeout.
const MIN_RATE: u64 = 256 * 1024;
/// At most this much of an error answer is read.
const MAX_ANSWER: u64 = 64 * 1024;

pub(crate) struct Session {
    upload: Client,
    index: Client,
    /// As the target gives them, for messages: requests go to them without
    /// user information (the credentials go in the header).
    pub(crate) upload_url: DisplaySafeUrl,
    pub(crate) index_url: DisplaySafeUrl,
    username: String,
    password: Secret,
    /// Where the credentials came from, for messages.
    source: String,
    /// Credentials for the index: its URL's own, else the upload's when both
    /// share an origin (never PyPI's token to another host).
    index_auth: Option<(String, Secret)>,
    timeout: Duration,
}

impl Session {
    pub(crate) fn new(
        target: &Target,
        credentials: &Credentials,
        timeout: Duration,
    ) -> Result<Session, UploadError> {
        let upload = Client::builder()
            .user_agent(index::user_agent())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(30)))
            .build()
            .map_err(|e| Kind::Unavailable.error(format!("cannot set up an HTTP client: {e}")))?;
        let index = index::client(timeout).map_err(|e| Kind::Index.error(e.to_string()))?;
        Ok(Session {
            upload,
            index,
            upload_url: target.upload_url.clone(),
            index_url: target.index_url.clone(),
            username: credentials.username.clone(),
            password: credentials.password.clone(),
            source: credentials.source.clone(),
            index_auth: index_auth(target, credentials),
            timeout,
        })
    }

    /// Sends one upload request and reads the answer.
    pub(crate) fn post(&self, form: Form, size: u64) -> Result<Answer, reqwest::Error> {
        let timeout = self.timeout + Duration::from_secs(size / MIN_RATE);
        let response = (self
            .upload
            .post(self.upload_url.without_credentials().as_str()))
        .header(AUTHORIZATION, self.authorization())
        .header(ACCEPT, "application/json")
        .timeout(timeout)
        .multipart(form)
        .send()?;
        Ok(self.answer(response))
    }

    /// A small upload request without a file, sent when an upload broke off
    /// before its file was sent: the blocking client then loses the index's
    /// answer (an early 403, say) and the cause of a refused connection.
    /// Indexes check the credentials before the file, so this request gets
    /// the same refusal, or a harmless 400 for the missing file.
    pub(crate) fn probe(&self) -> Result<Answer, reqwest::Error> {
        let form = Form::new()
            .text(":action", "file_upload")
            .text("protocol_version", "1");
        let content_type = format!("multipart/form-data; boundary={}", form.boundary());
        let mut body = Vec::new();
        form.into_reader()
            .read_to_end(&mut body)
            .expect("an in-memory form reads");
        let response = (self
            .upload
            .post(self.upload_url.without_credentials().as_str()))
        .header(AUTHORIZATION, self.authorization())
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, content_type)
        .timeout(self.timeout)
        .body(body)
        .send()?;
        Ok(self.answer(response))
    }

    fn answer(&self, response: reqwest::blocking::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let header = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let mut body = Vec::new();
        // An answer cut short still has its status; its words are a bonus.
        let _ = response.take(MAX_ANSWER).read_to_end(&mut body);
        let content_type = header(CONTENT_TYPE)
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
            location: header(LOCATION).map(|l| self.scrub(&l)),
        }
    }

    fn authorization(&self) -> HeaderValue {
        let mut value = HeaderValue::from_str(&self.password.basic_auth(&self.username))
            .expect("base64 is a valid header value");
        value.set_sensitive(true);
        value
    }

    /// The files the index lists for `project`, messages scrubbed.
    pub(crate) fn listing(&self, project: &str) -> Result<Vec<IndexFile>, IndexError> {
        let auth =
            (self.index_auth.as_ref()).map(|(username, password)| IndexAuth { username, password });
        let index_url = self.index_url.without_credentials();
        // Not scrubbed: the messages are the tool's own words (the password
        // `index` must not turn "the index answered" into "the *** answered").
        index::existing_files(&self.index, &index_url, project, auth)
    }

    /// Text the index sent with every password replaced by `***`, in any
    /// encoding it may have echoed it (see [`Redactor`]); never the tool's own words.
    pub(crate) fn scrub(&self, text: &str) -> String {
        self.redactor().redact(text)
    }

    fn redactor(&self) -> Redactor {
        let mut redactor = Redactor::new();
        redactor.add_with_username(&self.username, &self.password);
        if let Some((username, password)) = &self.index_auth {
            redactor.add_with_username(username, password);
        }
        redactor
    }

    /// What `answer` means; a refusal names the credentials by their source.
    pub(crate) fn verdict(&self, answer: &Answer) -> classify::Verdict {
        let ctx = classify::Context {
            credentials_source: &self.source,
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
