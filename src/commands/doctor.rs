//! `cargo pypi doctor`: whether this repository and machine are ready to
//! release, one line per check with what to do; exit 1 when something would
//! stop a release.

use super::{Context, Error, Render};
use crate::steps::readiness::Check;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Report {
    pub ready: bool,
    pub checks: Vec<Check>,
}

pub fn run(ctx: &Context) -> Result<Report, Error> {
    let checks = crate::steps::doctor::checks(ctx)?;
    let ready = !checks.iter().any(|c| c.blocks);
    Ok(Report { ready, checks })
}

impl Render for Report {
    fn human(&self) -> String {
        let width = self.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        let mut out = String::new();
        for c in &self.checks {
            let mark = match (c.ok, c.blocks) {
                (true, _) => "ok",
                (false, true) => "FAIL",
                (false, false) => "advice",
            };
            // Continuation lines of a long detail line up under its first.
            let detail = c
                .detail
                .replace('\n', &format!("\n{:w$}", "", w = width + 10));
            out.push_str(&format!("{mark:>6}  {:<width$}  {detail}\n", c.name));
        }
        out
    }

    fn closing_status(&self) -> Option<(&'static str, String)> {
        self.ready
            .then(|| ("Ready", "nothing stops a release".to_string()))
    }

    fn failure(&self) -> Option<String> {
        let blocking = self.checks.iter().filter(|c| c.blocks).count();
        (!self.ready).then(|| {
            format!("{blocking} check(s) would stop a release; the FAIL lines say what to do")
        })
    }

    fn ok(&self) -> bool {
        self.ready
    }
}
