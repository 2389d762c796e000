//! Credentials typed at the prompt: the binary's prompt needs a terminal, so
//! the publish step runs in this process with a prompt function standing in
//! for it, against the same echoing stand-in index, and what it reports (the
//! error, the retry reasons, the index's words that `-v` shows) is searched.

use super::echo::EchoIndex;
use super::every_source::{assert_masked, scripts, LONG, SHORT, USER};
use crate::support::TestContext;
use cargo_pypi::commands::{self, Context};
use cargo_pypi::publish::credentials::{CredentialError, Credentials, PROMPT_SOURCE};
use cargo_pypi::publish::secret::Secret;
use cargo_pypi::publish::target::{Target, TargetRequest};
use cargo_pypi::publish::upload::{Outcome, Progress};
use cargo_pypi::report::Silent;
use std::sync::Mutex;

fn typed(password: &str) -> Result<Credentials, CredentialError> {
    Ok(Credentials {
        username: USER.into(),
        password: Secret::new(password),
        source: PROMPT_SOURCE.into(),
        renewal: None,
    })
}

fn long(_: &Target) -> Result<Credentials, CredentialError> {
    typed(LONG)
}

fn short(_: &Target) -> Result<Credentials, CredentialError> {
    typed(SHORT)
}

/// What the binary would print, as lines: retries and the index's words.
#[derive(Default)]
struct Lines(Mutex<Vec<String>>);

impl Progress for Lines {
    fn started(&self, _: &str, _: u64) {}
    fn sent(&self, _: &str, _: u64) {}
    fn retrying(&self, file: &str, attempt: u32, reason: &str) {
        let line = format!("Retrying {file} (attempt {attempt}): {reason}");
        self.0.lock().unwrap().push(line);
    }
    fn finished(&self, _: &str, _: &Outcome) {}
    fn answered(&self, file: &str, status: &str, words: &str) {
        let line = format!("Answered {status} to {file}: {words}");
        self.0.lock().unwrap().push(line);
    }
}

/// Every failure path with a password typed at the prompt.
pub(super) fn typed_at_the_prompt(ctx: &TestContext) {
    for (password, prompt) in [(LONG, long as fn(&Target) -> _), (SHORT, short)] {
        for (path, script) in scripts() {
            let index = EchoIndex::start(script.clone());
            let opts = commands::publish::Options {
                target: TargetRequest {
                    repository_url: Some(index.url()),
                    ..TargetRequest::default()
                },
                jobs: 1,
                interactive: true,
                prompt: Some(prompt),
                ..commands::publish::Options::default()
            };
            let lines = Lines::default();
            let ui = commands::publish::Ui {
                progress: &lines,
                confirm: &|_| true,
                runner: &|_| {},
            };
            let context = Context::new(ctx.path(), None, &Silent).unwrap();
            let error = commands::publish::run(&context, &opts, &ui).unwrap_err();
            let mut all = lines.0.lock().unwrap().join("\n");
            all.push_str(&format!("\nerror: {error}\n{error:?}"));
            let case = format!("prompt, {path}, password {password:?}");
            // Nothing is sent without credentials: the prompt gave them.
            assert!(index.requests() >= 1, "{case}: {all}");
            assert_masked(&case, &all, password, script.listing.is_none());
            assert!(all.contains("the index answered"), "{case}: {all}");
        }
    }
}
