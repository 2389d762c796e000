//! Upload progress on the terminal: a bar per file with bytes and rate when
//! stderr is a terminal, plain lines otherwise (CI logs).

use cargo_pypi::publish::upload::{Outcome, Progress};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;

/// Bars on a terminal, lines elsewhere; silent with `-q`.
pub struct UploadProgress {
    bars: Option<MultiProgress>,
    active: Mutex<HashMap<String, ProgressBar>>,
    quiet: bool,
}

impl UploadProgress {
    pub fn new(quiet: bool) -> UploadProgress {
        let bars = (!quiet && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        UploadProgress {
            bars,
            active: Mutex::new(HashMap::new()),
            quiet,
        }
    }

    fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bars {
            Some(bars) => {
                let _ = bars.println(text);
            }
            None => {
                let _ = writeln!(std::io::stderr().lock(), "{text}");
            }
        }
    }
}

fn style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:40!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}")
        .expect("valid template")
        .progress_chars("=> ")
}

impl Progress for UploadProgress {
    fn started(&self, file: &str, size: u64) {
        match &self.bars {
            Some(bars) => {
                let bar = bars.add(
                    ProgressBar::new(size)
                        .with_style(style())
                        .with_message(file.to_string()),
                );
                self.active
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(file.to_string(), bar);
            }
            None => self.line(&format!(
                "   Uploading {file} ({})",
                cargo_pypi::display::human_size(size)
            )),
        }
    }

    fn sent(&self, file: &str, bytes: u64) {
        if let Some(bar) = self
            .active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(file)
        {
            bar.set_position(bytes);
        }
    }

    fn retrying(&self, file: &str, attempt: u32, reason: &str) {
        self.line(&format!(
            "    Retrying {file} (attempt {attempt}): {reason}"
        ));
    }

    fn finished(&self, file: &str, outcome: &Outcome) {
        if let Some(bar) = self
            .active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(file)
        {
            bar.finish_and_clear();
        }
        let verb = match outcome {
            Outcome::Uploaded => "    Uploaded",
            Outcome::AlreadyThere => "     Skipped",
            Outcome::WouldUpload => "Would upload",
        };
        let note = if *outcome == Outcome::AlreadyThere {
            " (already on the index, identical)"
        } else {
            ""
        };
        self.line(&format!("{verb} {file}{note}"));
    }
}
