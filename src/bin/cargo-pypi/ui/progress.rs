//! Upload progress on the terminal: a bar per file with bytes and rate when
//! stderr is a terminal, plain lines otherwise (CI logs).

use cargo_pypi::publish::upload::{Outcome, Progress};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;

/// Bars on a terminal, lines elsewhere; silent with `-q`; the index's own
/// words about a failed upload only with `-v`.
pub struct UploadProgress {
    bars: Option<MultiProgress>,
    active: Mutex<HashMap<String, ProgressBar>>,
    quiet: bool,
    verbose: bool,
}

impl UploadProgress {
    pub fn new(quiet: bool, verbose: bool) -> UploadProgress {
        let bars = (!quiet && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        UploadProgress {
            bars,
            active: Mutex::new(HashMap::new()),
            quiet,
            verbose: verbose && !quiet,
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

/// Characters a bar's label takes.
const LABEL_WIDTH: usize = 40;

fn style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:40} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}")
        .expect("valid template")
        .progress_chars("=> ")
}

/// `file` in at most `width` characters. What tells files of one release
/// apart is at the end (a wheel's platform tag, an sdist's version), so a long
/// name loses characters in the middle: `bintool_with_a…-manylinux_2_17_x86_64.whl`.
fn label(file: &str, width: usize) -> String {
    let chars: Vec<char> = file.chars().collect();
    if chars.len() <= width {
        return file.to_string();
    }
    // From the last `-`: the platform tag, or `-VERSION.tar.gz`; at least
    // `MIN_HEAD` characters of the name stay in front.
    const MIN_HEAD: usize = 8;
    let last_dash = chars.iter().rposition(|&c| c == '-').unwrap_or(chars.len());
    let tail = (chars.len() - last_dash).clamp(1, width.saturating_sub(1 + MIN_HEAD).max(1));
    let head = width.saturating_sub(1 + tail);
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

impl Progress for UploadProgress {
    fn started(&self, file: &str, size: u64) {
        match &self.bars {
            Some(bars) => {
                let bar = bars.add(
                    ProgressBar::new(size)
                        .with_style(style())
                        .with_message(label(file, LABEL_WIDTH)),
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

    fn answered(&self, file: &str, status: &str, words: &str) {
        if self.verbose {
            self.line(&format!("    Answered {status} to {file}: {words}"));
        }
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

#[cfg(test)]
mod tests {
    use super::{label, LABEL_WIDTH};

    #[test]
    fn labels_keep_the_platform_tag_and_fit() {
        let x86 = "bintool_with_a_long_name-0.2.0-py3-none-manylinux_2_17_x86_64.whl";
        let arm = "bintool_with_a_long_name-0.2.0-py3-none-manylinux_2_17_aarch64.whl";
        let (a, b) = (label(x86, LABEL_WIDTH), label(arm, LABEL_WIDTH));
        assert_ne!(a, b);
        assert!(a.ends_with("manylinux_2_17_x86_64.whl"), "{a}");
        assert!(b.ends_with("manylinux_2_17_aarch64.whl"), "{b}");
        assert!(a.starts_with("bintool"), "{a}");
        for l in [&a, &b] {
            assert_eq!(l.chars().count(), LABEL_WIDTH, "{l}");
            assert!(l.contains('…'), "{l}");
        }
        let mac = "pkg-1.0-cp312-cp312-macosx_10_12_x86_64.macosx_11_0_arm64.whl";
        let m = label(mac, LABEL_WIDTH);
        assert!(
            m.ends_with("macosx_11_0_arm64.whl") && m.starts_with("pkg-1.0"),
            "{m}"
        );
        assert_eq!(m.chars().count(), LABEL_WIDTH, "{m}");
        let sdist = "a_rather_long_package_name_indeed-10.20.30rc1.tar.gz";
        let s = label(sdist, LABEL_WIDTH);
        assert!(
            s.ends_with("-10.20.30rc1.tar.gz") && s.starts_with("a_rather"),
            "{s}"
        );
        let short = "tool-1.0-py3-none-any.whl";
        assert_eq!(label(short, LABEL_WIDTH), short);
    }
}
