//! What an OIDC ID token says about the job, for the message when the index
//! refuses to mint: its claims, read without verifying the signature (the
//! index verifies it). The token is never shown; only the claims a trusted
//! publisher is matched against are quoted (repository, workflow, ref,
//! environment), which are not secrets.

use base64::Engine;
use serde_json::Value;

/// The payload of a JWT.
pub struct Claims(Value);

/// The claims of `jwt`; `None` when it is not a readable JWT.
pub fn read(jwt: &str) -> Option<Claims> {
    let payload = jwt.trim().split('.').nth(1)?;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let bytes = engine.decode(payload.trim_end_matches('=')).ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    value.is_object().then_some(Claims(value))
}

impl Claims {
    fn text(&self, key: &str) -> Option<&str> {
        self.0.get(key)?.as_str().filter(|s| !s.is_empty())
    }

    /// The `aud` claim, one or several.
    pub fn audiences(&self) -> Option<Vec<String>> {
        match self.0.get("aud")? {
            Value::String(aud) => Some(vec![aud.clone()]),
            Value::Array(auds) => Some(
                auds.iter()
                    .filter_map(|a| a.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// `repository `o/r`, workflow `.github/workflows/x.yml`, …`: what the
    /// index matches against its publishers.
    pub fn identity(&self) -> String {
        let mut parts = Vec::new();
        let repository = self.text("repository").or(self.text("project_path"));
        if let Some(repository) = repository {
            parts.push(format!("repository `{repository}`"));
        }
        let workflow = (self.text("job_workflow_ref"))
            .or(self.text("ci_config_ref_uri"))
            .map(without_ref);
        if let Some(workflow) = workflow {
            parts.push(format!("workflow `{workflow}`"));
        }
        if let Some(reference) = self.text("ref") {
            parts.push(format!("ref `{reference}`"));
        }
        match self.text("environment") {
            Some(environment) => parts.push(format!("environment `{environment}`")),
            None => parts.push("no environment".into()),
        }
        parts.join(", ")
    }

    /// The causes these claims point at, most specific first.
    pub fn causes(&self, host: &str) -> Vec<String> {
        let mut causes = Vec::new();
        if let Some(cause) = self.reusable_workflow() {
            causes.push(cause);
        }
        causes.push(match self.text("environment") {
            Some(name) => format!(
                "the job runs in the environment `{name}`: a publisher that names an \
                 environment must name exactly `{name}` (or none)"
            ),
            None => "the job names no environment: a publisher that names one never matches \
                     it; add `environment: NAME` to the job, or remove the environment from \
                     the publisher"
                .into(),
        });
        causes.push(format!(
            "a pending publisher (made for a project not yet on {host}) must name the project \
             exactly as the files do, and is dropped once a project of its name exists"
        ));
        causes
    }

    /// A GitHub job in a reusable workflow: `job_workflow_ref` names the
    /// called workflow, `workflow_ref` the one that was triggered.
    fn reusable_workflow(&self) -> Option<String> {
        let job = self.text("job_workflow_ref")?;
        let triggered = self.text("workflow_ref")?;
        if without_ref(job) == without_ref(triggered) {
            return None;
        }
        Some(format!(
            "the job runs in a reusable workflow: `job_workflow_ref` is `{}` but the \
             workflow that was triggered (`workflow_ref`) is `{}`; PyPI does not take a \
             reusable workflow as a trusted publisher: upload from a job of `{}` itself",
            without_ref(job),
            without_ref(triggered),
            file_name(triggered),
        ))
    }
}

/// `o/r/.github/workflows/x.yml` of `o/r/.github/workflows/x.yml@refs/heads/main`.
fn without_ref(reference: &str) -> &str {
    reference.split('@').next().unwrap_or(reference)
}

/// `x.yml` of `o/r/.github/workflows/x.yml@refs/heads/main`.
fn file_name(reference: &str) -> &str {
    let path = without_ref(reference);
    path.rsplit('/').next().unwrap_or(path)
}
