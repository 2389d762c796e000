//! Sources 4 and 5 of the credential order: `.env.local`/`.env` at the
//! repository root and `~/.pypirc`, files refused when another user could
//! read them (or, for the `.env` files, when git tracks or does not ignore them).

use super::dotenv::{self, DotenvFile};
use super::vars::{self, Var};
use super::{CredentialError, CredentialRequest, Credentials, Search, DOTENV_FILES};
use crate::env_vars::EnvVars;
use crate::publish::pypirc::{self, Pypirc};
use crate::publish::secret::Secret;
use std::path::Path;

pub(super) fn from_dotenv(
    request: &CredentialRequest,
    search: &mut Search,
) -> Result<Option<Credentials>, CredentialError> {
    let target = request.target;
    let vars = vars::for_target(target);
    for name in DOTENV_FILES {
        let path = request.repo_root.join(name);
        let Some(file) = DotenvFile::read(&path)? else {
            search.looked(format!("{}: no such file", path.display()));
            continue;
        };
        // A malformed line for a credential variable is an error, not a skip.
        let mut wanted = Vec::new();
        for var in &vars {
            if let Var::Pair { user, .. } = var {
                wanted.push(*user);
            }
            wanted.push(var.secret_name());
        }
        for key in &wanted {
            if let Some(Err(why)) = file.get(key) {
                return Err(CredentialError::Config(why));
            }
        }
        let get = |key: &str| {
            file.get(key)
                .and_then(Result::ok)
                .map(|s| s.expose().to_owned())
        };
        let mut hints = vars::left_out(target, &get);
        let hit = vars::lookup(&vars, &get, target.username.as_deref(), &mut hints);
        search
            .hints
            .extend(hints.into_iter().map(|h| format!("{name}: {h}")));
        let Some(hit) = hit else {
            let present = if wanted.iter().any(|k| file.has(k)) {
                "only empty values"
            } else {
                "none"
            };
            search.looked(format!(
                "{}: {present} of the variables above",
                path.display()
            ));
            continue;
        };
        dotenv::check_safe(
            &path,
            name,
            &hit.names,
            &request.repo_root,
            target.token_page(),
        )?;
        return Ok(Some(Credentials {
            username: hit.username,
            password: hit.password,
            source: format!("{name} ({})", hit.names),
            renewal: None,
        }));
    }
    Ok(None)
}

pub(super) fn from_pypirc(
    request: &CredentialRequest,
    search: &mut Search,
) -> Result<Option<Credentials>, CredentialError> {
    let path = request.pypirc.clone().or_else(|| {
        let home = (request.env)(EnvVars::HOME).filter(|h| !h.is_empty());
        home.map(|h| Path::new(&h).join(".pypirc"))
    });
    let Some(path) = path else {
        search.looked("~/.pypirc: HOME is not set");
        return Ok(None);
    };
    let shown = pypirc::display_path(&path);
    let file = Pypirc::read(&path)?;
    let Some(file) = file else {
        search.looked(format!("{shown}: no such file"));
        return Ok(None);
    };
    let target = request.target;
    let Some(section) = file.section_for(&target.name, &target.upload_url) else {
        search.looked(format!(
            "{shown}: no section for {} with repository {}",
            target.name, target.upload_url
        ));
        return Ok(None);
    };
    let Some(password) = section
        .password
        .clone()
        .filter(|p| !p.expose().trim().is_empty())
    else {
        search.looked(format!("{shown} [{}]: no password", section.name));
        return Ok(None);
    };
    if let Some(mode) = dotenv::loose_mode(&path) {
        return Err(CredentialError::Unsafe(format!(
            "refusing to use the password in {shown} [{}]: the file is readable by other \
             users (mode {mode:o}); run `chmod 600 {shown}`",
            section.name
        )));
    }
    let username = section.username.clone().filter(|u| !u.trim().is_empty());
    Ok(Some(Credentials {
        username: username.unwrap_or_else(|| "__token__".into()),
        password: Secret::new(password.expose().trim()),
        source: format!("{shown} [{}]", section.name),
        renewal: None,
    }))
}
