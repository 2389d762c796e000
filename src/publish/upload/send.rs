//! One file's upload: the form streamed from the open file, attempts with
//! backoff, and "already exists" answers settled by reading the index again.

use super::classify::{self, Verdict};
use super::client::{Failed, Session};
use super::form;
use super::plan::{self, Item, Same};
use super::retry::{self, Step, Stopped, Transient};
use super::stream::FileBody;
use super::{Outcome, Progress, UploadError, UploadErrorKind as Kind, UploadOptions};
use crate::publish::index::describe_error;
use reqwest::blocking::multipart::Form;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;

/// Uploads `item` (or, for a dry run, builds its request and stops there).
pub(crate) fn upload_one(
    session: &Session,
    item: &Item,
    options: &UploadOptions,
    progress: &dyn Progress,
) -> Result<Outcome, UploadError> {
    progress.started(&item.name, item.digests.size);
    let outcome = if options.dry_run {
        // Everything but the POST: the form is built around the open file.
        let _form = build_form(item)?;
        Outcome::WouldUpload
    } else {
        send_with_retries(session, item, options, progress)?
    };
    progress.finished(&item.name, &outcome);
    Ok(outcome)
}

/// The form around a fresh handle of the file, its length, where reading the
/// file failed on our side, and the bytes of the file read so far.
type Built = (Form, u64, FailureSlot, Receiver<u64>);

fn build_form(item: &Item) -> Result<Built, UploadError> {
    // The file that was hashed, read from its start at positions of its own.
    let size = item.digests.size;
    let (sent, read) = mpsc::channel();
    let (body, failure) = FileBody::new(item.file.clone(), size, sent);
    let form = form::multipart(&item.fields, &item.name, body, size);
    // The same form without the file's bytes, for the length: what is sent
    // is exactly that plus the file (the boundary's length is fixed).
    let mut twin = Vec::new();
    form::multipart(&item.fields, &item.name, std::io::empty(), 0)
        .into_reader()
        .read_to_end(&mut twin)
        .map_err(|e| {
            Kind::Artifact.error(format!("cannot build the form of {}: {e}", item.name))
        })?;
    Ok((form, twin.len() as u64 + size, failure, read))
}

type FailureSlot = std::sync::Arc<std::sync::Mutex<Option<String>>>;

fn send_with_retries(
    session: &Session,
    item: &Item,
    options: &UploadOptions,
    progress: &dyn Progress,
) -> Result<Outcome, UploadError> {
    // Whether an earlier attempt may have reached the index (its answer lost).
    let mut maybe_sent = false;
    let attempts = options.attempts.max(1);
    let result = retry::run(
        attempts,
        |_| attempt(session, item, options, progress, &mut maybe_sent),
        |next, failure, wait| {
            progress.retrying(
                &item.name,
                next,
                &format!(
                    "{}; attempt {next} of {attempts} in {:.1} s",
                    failure.reason,
                    wait.as_secs_f64()
                ),
            )
        },
        std::thread::sleep,
    );
    result.map_err(|stopped| match stopped {
        Stopped::Failed(e) => e,
        Stopped::GaveUp(last, tries) => Kind::Unavailable.error(format!(
            "cannot upload {} to {}: {} (attempt {tries} of {attempts}){}: check the URL and the network, or try again later; re-running skips the files already uploaded",
            item.name,
            session.upload_url,
            last.reason,
            last.retry_after
                .map(|w| format!(", the index asks to wait {} s", w.as_secs()))
                .unwrap_or_default(),
        )),
    })
}

fn attempt(
    session: &Session,
    item: &Item,
    options: &UploadOptions,
    progress: &dyn Progress,
    maybe_sent: &mut bool,
) -> Step<Outcome, UploadError> {
    let (form, length, failure, read) = match build_form(item) {
        Ok(built) => built,
        Err(e) => return Step::Fail(e),
    };
    let sent = Arc::new(AtomicU64::new(0));
    // The body is read (and dropped) while the request goes out; a helper
    // hands its byte counts to `progress`. The scope waits for the helper,
    // which ends when the body is dropped, before the answer is acted on, so
    // no `sent` follows `finished`.
    let posted = std::thread::scope(|scope| {
        scope.spawn(move || {
            read.iter()
                .for_each(|bytes| progress.sent(&item.name, bytes))
        });
        session.post(form, length, sent.clone())
    });
    let all_sent = sent.load(Ordering::Relaxed) >= length;
    let answer = match posted {
        Ok(answer) => answer,
        Err(Failed::Stalled) => {
            // Bytes that went out may have reached the index.
            *maybe_sent |= sent.load(Ordering::Relaxed) > 0;
            return Step::Retry(Transient {
                reason: format!(
                    "timed out: no byte sent or received for {} s (--timeout)",
                    session.timeout.as_secs_f64()
                ),
                retry_after: None,
            });
        }
        Err(Failed::Http(e)) => {
            if let Some(why) = failure.lock().unwrap_or_else(|p| p.into_inner()).take() {
                return Step::Fail(Kind::Artifact.error(format!(
                    "cannot upload {}: {why}",
                    item.artifact.path.display()
                )));
            }
            if !e.is_connect() && !all_sent {
                // The file did not all go out, so the index cannot have it.
                return broke_off(session, item, progress);
            }
            *maybe_sent |= !e.is_connect();
            return Step::Retry(Transient {
                reason: describe_error(&e),
                retry_after: None,
            });
        }
    };
    show_words(item, progress, &answer);
    judge(session, item, options, progress, maybe_sent, &answer)
}

/// The request stopped before its file was all sent: a refused or reset
/// connection, or an early answer the client could not read. A request
/// without the file tells which.
fn broke_off(
    session: &Session,
    item: &Item,
    progress: &dyn Progress,
) -> Step<Outcome, UploadError> {
    let broken = Transient {
        reason: "the connection broke off while the file was sent (the index or a proxy in front of it may refuse files this large)".into(),
        retry_after: None,
    };
    match session.probe() {
        Err(Failed::Http(e)) => Step::Retry(Transient {
            reason: describe_error(&e),
            retry_after: None,
        }),
        Err(Failed::Stalled) => Step::Retry(broken),
        // It takes requests (400: no file): the connection was the problem.
        Ok(answer) if answer.status == 400 || answer.status < 300 => Step::Retry(broken),
        Ok(answer) => {
            show_words(item, progress, &answer);
            match session.verdict(&answer) {
                Verdict::Refused(why) => rejected(session, item, why),
                Verdict::Retry(transient) => Step::Retry(transient),
                Verdict::Uploaded | Verdict::Exists => Step::Retry(broken),
            }
        }
    }
}

fn rejected(session: &Session, item: &Item, why: String) -> Step<Outcome, UploadError> {
    Step::Fail(Kind::Rejected.error(format!(
        "cannot upload {} to {}: {why}",
        item.name, session.upload_url
    )))
}

/// The index's own words about a failed upload, for `-v` (never in a message).
fn show_words(item: &Item, progress: &dyn Progress, answer: &classify::Answer) {
    if answer.status >= 300 && !answer.message.is_empty() {
        progress.answered(&item.name, &answer.status_text, &answer.message);
    }
}

/// What an answer to the upload means for this file.
fn judge(
    session: &Session,
    item: &Item,
    options: &UploadOptions,
    progress: &dyn Progress,
    maybe_sent: &mut bool,
    answer: &classify::Answer,
) -> Step<Outcome, UploadError> {
    match session.verdict(answer) {
        Verdict::Uploaded => Step::Done(Outcome::Uploaded),
        Verdict::Retry(transient) => {
            *maybe_sent |= answer.status != 429;
            Step::Retry(transient)
        }
        Verdict::Exists => settle_exists(session, item, options, progress, *maybe_sent, answer),
        Verdict::Refused(why) => rejected(session, item, why),
    }
}

/// "File already exists": the same file (ours, from an attempt whose answer
/// was lost, or someone else's), or another one under this name.
fn settle_exists(
    session: &Session,
    item: &Item,
    options: &UploadOptions,
    progress: &dyn Progress,
    maybe_sent: bool,
    answer: &classify::Answer,
) -> Step<Outcome, UploadError> {
    let listed = match plan::listing(session, &item.artifact.name, options.attempts, progress) {
        Ok(listed) => listed,
        Err(e) => return Step::Fail(e),
    };
    let found = listed.iter().find(|f| f.filename == *item.name);
    let same = found.map(|f| {
        plan::same_file(
            session,
            &item.project,
            &item.artifact.path,
            item.sha256_and_size(),
            f,
        )
    });
    match same {
        Some(Err(e)) => Step::Fail(e),
        Some(Ok(Same::Yes)) => Step::Done(if maybe_sent {
            Outcome::Uploaded
        } else {
            Outcome::AlreadyThere
        }),
        Some(Ok(Same::No(why))) => Step::Fail(Kind::Conflict.error(plan::conflict(session, item, &why))),
        None => Step::Fail(Kind::Conflict.error(format!(
            "cannot upload {} to {}: {}, yet {} does not list it: the name was used by a file since deleted, and file names are never reused; bump the version, rebuild and upload the new files",
            item.name,
            session.upload_url,
            classify::quoted(answer),
            session.index_url
        ))),
    }
}
