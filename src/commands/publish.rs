//! `cargo pypi publish`: check, upload, prove (the publish step's plan, then
//! its apply), and the report users read.

use super::{Context, Error, Render};
use crate::publish::upload::Outcome;
pub use crate::steps::publish::{FileOutcome, Options, Report, Ui};

pub fn run(ctx: &Context, opts: &Options, ui: &Ui) -> Result<Report, Error> {
    let plan = crate::steps::publish::plan(ctx, opts)?;
    crate::steps::publish::apply(ctx, &plan, opts, ui)
}

impl Render for Report {
    fn closing_status(&self) -> Option<(&'static str, String)> {
        self.dry_run
            .then(|| ("Finished", "dry run; nothing was uploaded".to_string()))
    }

    /// The release's address and the install, then each file, what became
    /// of it and its full sha256 (for audit) on a line of its own, so that
    /// the output ends with them and stays within 80 columns.
    fn human(&self) -> String {
        let mut out = String::new();
        if let Some(url) = &self.release_url {
            out.push_str(&format!("release: {url}\n"));
        }
        if let Some(install) = &self.install {
            out.push_str(&format!(
                "installed {} in a fresh environment; imported: {}\n",
                install.installed,
                install.imported.join(", ")
            ));
            for (command, first_line) in &install.ran {
                out.push_str(&format!("  $ {command}\n    {first_line}\n"));
            }
        }
        for f in &self.files {
            let what = match f.outcome {
                Outcome::Uploaded => "uploaded",
                Outcome::AlreadyThere => "already there",
                Outcome::WouldUpload => "would upload",
            };
            let attested = match f.attestations {
                0 => String::new(),
                1 => ", with its attestation".to_string(),
                n => format!(", with {n} attestations"),
            };
            out.push_str(&format!(
                "{}  {what}{attested}\n  sha256:{}\n",
                f.file, f.sha256
            ));
        }
        out
    }
}
