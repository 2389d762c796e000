//! What a release will do before it does anything: the steps listed for
//! `--dry-run` (with the bump's diff) and for the confirmation question.

use super::{Options, Plan, Report, State, Step, StepReport};
use crate::steps::{bump, Context};

/// A dry run's report: every step planned (or already done, or skipped), the
/// bump's diff; nothing changed.
pub(super) fn dry_run(ctx: &Context, plan: &Plan, opts: &Options, mut report: Report) -> Report {
    let remote = plan
        .upstream
        .as_ref()
        .map(|u| format!("{}/{}", u.remote, u.branch));
    if let Some(bump) = &plan.bump {
        report.diff = bump::diff(ctx, bump);
    }
    let state = &plan.state;
    for (step, detail) in planned_steps(state, &plan.targets, remote, &plan.github, opts) {
        let skipped = detail
            .strip_prefix("skipped")
            .map(|d| d.trim_start_matches([':', ' ']));
        let (outcome, detail) = match skipped {
            _ if state.is_done(step) => ("already done", detail.as_str()),
            Some(reason) => ("skipped", reason),
            None => ("planned", detail.as_str()),
        };
        report.steps.push(StepReport {
            step: step.name(),
            outcome,
            detail: detail.to_owned(),
        });
    }
    report
}

/// What each step will do, for `--dry-run` and the confirmation.
pub fn planned_steps(
    state: &State,
    targets: &[(String, String)],
    remote: Option<String>,
    github: &str,
    opts: &Options,
) -> Vec<(Step, String)> {
    let mut steps = vec![
        (Step::Bump, format!("version {} and commit", state.version)),
        (
            Step::Build,
            match &opts.dist {
                Some(dir) => format!("take the artifacts in {} and check them", dir.display()),
                None => "build the sdist and a wheel, and check them".into(),
            },
        ),
    ];
    for (step, name) in [(Step::Staging, "staging"), (Step::Production, "production")] {
        let detail = targets
            .iter()
            .find(|(n, _)| n == name)
            .map_or("skipped: not asked for".into(), |(_, r)| {
                format!("upload to `{r}` (wheels, then the sdist) and verify the install")
            });
        steps.push((step, detail));
    }
    steps.push((Step::Tag, format!("annotated tag {}", state.tag)));
    let push = match (opts.no_push, remote) {
        (true, _) => "skipped (--no-push)".into(),
        (false, Some(remote)) => format!("push the branch and {} to {remote}", state.tag),
        (false, None) => "skipped: no upstream".into(),
    };
    steps.push((Step::Push, push));
    steps.push((Step::GithubRelease, github.to_owned()));
    steps
}
