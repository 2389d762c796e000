//! Transcripts of `cargo pypi` runs for insta snapshots: the command line, the
//! output as a terminal shows it (stdout and stderr interleaved), and the exit
//! code, with what changes from run to run (temporary paths, hashes, ports,
//! sizes, times, tool versions) replaced by placeholders.

use regex::Regex;
use std::process::Command;
use std::sync::OnceLock;

use super::TestContext;

/// The replacements applied to every transcript, in order.
fn filters() -> &'static [(Regex, &'static str)] {
    static FILTERS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    FILTERS.get_or_init(|| {
        let temp = regex::escape(&std::env::temp_dir().to_string_lossy());
        let temp = temp.trim_end_matches('/');
        [
            (format!(r"{temp}/\.tmp[A-Za-z0-9]+"), "[TEMP]"),
            (r"\b[0-9a-f]{64}\b".into(), "[SHA256]"),
            (r"127\.0\.0\.1:\d+".into(), "127.0.0.1:[PORT]"),
            (
                r"\bmanylinux_\d+_\d+_(x86_64|aarch64|i686|armv7l|ppc64le|s390x)\b".into(),
                "manylinux_[GLIBC]_[ARCH]",
            ),
            (r"\bmaturin \d+\.\d+\.\d+\S*".into(), "maturin [VERSION]"),
            (
                r"\bcargo-pypi \d+\.\d+\.\d+\S*".into(),
                "cargo-pypi [VERSION]",
            ),
            (
                r"\b\d+(\.\d+)? ?(B|KiB|MiB|GiB|kB|MB|bytes)\b".into(),
                "[SIZE]",
            ),
            (r"\b\d+(\.\d+)? ?(ms|s)\b".into(), "[TIME]"),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(&re).unwrap(), to))
        .collect()
    })
}

/// `text` with the context's folders and everything in [`filters`] replaced.
fn redact(text: &str, ctx: &TestContext) -> String {
    let mut text = text.replace(&*ctx.path().to_string_lossy(), "[PROJECT]");
    text = text.replace(&*ctx.home().to_string_lossy(), "[HOME]");
    for (re, to) in filters() {
        text = re.replace_all(&text, *to).into_owned();
    }
    text
}

impl TestContext {
    /// `$ cargo pypi <args>`, what it printed (interleaved, redacted) and its
    /// exit code, as a person reads it in a terminal.
    pub fn transcript(&self, args: &[&str]) -> String {
        self.transcript_command(&mut self.command(args), args).1
    }

    /// As [`TestContext::transcript`], for `cmd` (made here with more
    /// settings from `args`); also the text as printed, before redaction.
    pub fn transcript_command(&self, cmd: &mut Command, args: &[&str]) -> (String, String) {
        let (code, output) = self.run_interleaved_command(cmd);
        let code = code.map_or("killed by a signal".into(), |c| c.to_string());
        let text = format!(
            "$ cargo pypi {}\n{output}[exit code: {code}]\n",
            args.join(" ")
        );
        let redacted = redact(&text, self);
        (output, redacted)
    }
}

/// Compares the transcript `text` with the snapshot
/// `tests/it/snapshots/<name>.snap` (a macro, so that the snapshot names the
/// test's file as its source).
macro_rules! assert_transcript {
    ($name:expr, $text:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path($crate::support::root().join("tests/it/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!($name, $text));
    }};
}
pub(crate) use assert_transcript;
