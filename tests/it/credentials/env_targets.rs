//! The target the user meant when no flag names one: twine's, uv's and
//! maturin's target variables, in their documented order after the flags, and
//! each tool's credential variables only ever sent to the index that tool's
//! own variables name. Library-level cases, then the binary against real
//! pypiservers without a terminal.

use super::*;
use crate::support::index::{self, Pypiserver, PASSWORD, USER};
use crate::support::{OutputExt, TestContext};

const CORP: &str = "https://corp.example/legacy/";

#[test]
fn a_tools_url_variable_names_the_target_when_no_flag_does() {
    let place = Place::new();
    let twine = place
        .resolve_env(None, None, &[("TWINE_REPOSITORY_URL", CORP)])
        .unwrap();
    assert_eq!(twine.upload_url, CORP);
    assert_eq!(twine.index_url, "https://corp.example/simple/");
    assert_eq!(twine.source, "environment variable TWINE_REPOSITORY_URL");
    assert!(!twine.production);

    let env = [
        ("UV_PUBLISH_URL", "https://uv.example/upload"),
        ("UV_PUBLISH_CHECK_URL", "https://uv.example/pypi/simple/"),
    ];
    let uv = place.resolve_env(None, None, &env).unwrap();
    assert_eq!(
        (uv.upload_url.as_str(), uv.index_url.as_str()),
        (
            "https://uv.example/upload",
            "https://uv.example/pypi/simple/"
        )
    );
    assert_eq!(uv.source, "environment variable UV_PUBLISH_URL");

    let env = [("MATURIN_REPOSITORY_URL", "https://test.pypi.org/legacy/")];
    let maturin = place.resolve_env(None, None, &env).unwrap();
    assert!(maturin.is_testpypi(), "{maturin:?}");

    // twine's URL wins over twine's name, as in twine.
    let env = [
        ("TWINE_REPOSITORY", "testpypi"),
        ("TWINE_REPOSITORY_URL", CORP),
    ];
    assert_eq!(
        place.resolve_env(None, None, &env).unwrap().upload_url,
        CORP
    );
    // Nothing set: PyPI, and -v says so.
    let default = place.resolve_env(None, None, &[]).unwrap();
    assert!(default.is_pypi());
    assert!(default.source.contains("default"), "{}", default.source);
}

#[test]
fn a_tools_name_variable_is_looked_up_where_that_tool_looks() {
    let place = Place::new();
    write(
        &place.pypirc(),
        &format!("[corp]\nrepository = {CORP}\nusername = alice\n"),
        0o600,
    );
    write(
        &place.root().join("pyproject.toml"),
        "[project]\nname = \"x\"\n\n[[tool.uv.index]]\nname = \"pytorch\"\nurl = \"https://other.example/simple/\"\n\n\
         [[tool.uv.index]]\nname = \"internal\"\nurl = \"https://uv.example/pypi/simple/\"\n\
         publish-url = \"https://uv.example/pypi/upload/\"\n",
        0o644,
    );
    let twine = place
        .resolve_env(None, None, &[("TWINE_REPOSITORY", "corp")])
        .unwrap();
    assert_eq!(twine.upload_url, CORP);
    assert_eq!(twine.username.as_deref(), Some("alice"));
    assert!(
        twine
            .source
            .starts_with("environment variable TWINE_REPOSITORY: "),
        "{}",
        twine.source
    );
    assert!(twine.source.ends_with("[corp]"), "{}", twine.source);
    let testpypi = place
        .resolve_env(None, None, &[("MATURIN_REPOSITORY", "testpypi")])
        .unwrap();
    assert!(testpypi.is_testpypi());

    let uv = place
        .resolve_env(None, None, &[("UV_PUBLISH_INDEX", "internal")])
        .unwrap();
    assert_eq!(
        (uv.upload_url.as_str(), uv.index_url.as_str()),
        (
            "https://uv.example/pypi/upload/",
            "https://uv.example/pypi/simple/"
        )
    );
    assert_eq!(uv.name, "internal");
    assert!(uv.source.contains("UV_PUBLISH_INDEX"), "{}", uv.source);

    let text = err_text(place.resolve_env(None, None, &[("UV_PUBLISH_INDEX", "pytorch")]));
    assert!(
        text.contains("UV_PUBLISH_INDEX")
            && text.contains("`pytorch`")
            && text.contains("publish-url"),
        "{text}"
    );
    let text = err_text(place.resolve_env(None, None, &[("UV_PUBLISH_INDEX", "nosuch")]));
    assert!(
        text.contains("UV_PUBLISH_INDEX") && text.contains("[[tool.uv.index]]"),
        "{text}"
    );
    let text = err_text(place.resolve_env(None, None, &[("TWINE_REPOSITORY", "nosuch")]));
    assert!(
        text.contains("TWINE_REPOSITORY") && text.contains("`nosuch`"),
        "{text}"
    );
}

#[test]
fn flags_win_over_the_environment() {
    let place = Place::new();
    let env = [
        ("TWINE_REPOSITORY_URL", CORP),
        ("UV_PUBLISH_INDEX", "nosuch"),
    ];
    let flag = place.resolve_env(Some("testpypi"), None, &env).unwrap();
    assert!(flag.is_testpypi(), "{flag:?}");
    let url = place
        .resolve_env(None, Some("https://flag.example/legacy/"), &env)
        .unwrap();
    assert_eq!(url.upload_url, "https://flag.example/legacy/");
    assert_eq!(url.source, "--repository-url");
}

#[test]
fn two_tools_naming_different_indexes_is_refused() {
    let place = Place::new();
    let env = [
        ("TWINE_REPOSITORY_URL", CORP),
        ("UV_PUBLISH_URL", "https://other.example/legacy/"),
    ];
    let err = place.resolve_env(None, None, &env).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("TWINE_REPOSITORY_URL")
            && text.contains("UV_PUBLISH_URL")
            && text.contains("--repository-url"),
        "{text}"
    );
    // The same index twice (a trailing slash aside) is no conflict.
    let env = [
        ("TWINE_REPOSITORY_URL", CORP),
        ("UV_PUBLISH_URL", "https://corp.example/legacy"),
    ];
    assert_eq!(
        place.resolve_env(None, None, &env).unwrap().upload_url,
        CORP
    );
}

const TWINE_LOGIN: [(&str, &str); 2] = [("TWINE_USERNAME", "alice"), ("TWINE_PASSWORD", KNOWN)];

#[test]
fn twines_login_goes_only_to_the_index_twines_variable_names() {
    let place = Place::new();
    let env = [
        TWINE_LOGIN[0],
        TWINE_LOGIN[1],
        ("TWINE_REPOSITORY_URL", CORP),
    ];
    // No flag: the target is twine's, and so is the login.
    let corp = place.resolve_env(None, None, &env).unwrap();
    let found = place.find(&corp, &env).unwrap();
    assert_eq!(
        found.source,
        "environment variables TWINE_USERNAME and TWINE_PASSWORD"
    );
    // The flag names the same index: still twine's.
    let same = place
        .resolve_env(None, Some("https://corp.example/legacy"), &env)
        .unwrap();
    assert_eq!(place.find(&same, &env).unwrap().password.expose(), KNOWN);
    // The flag names another index: twine's login is not sent there.
    for other in [
        place.resolve_env(Some("pypi"), None, &env).unwrap(),
        place
            .resolve_env(None, Some("https://flag.example/legacy/"), &env)
            .unwrap(),
    ] {
        let text = err_text(place.find(&other, &env));
        assert!(text.starts_with("no credentials found"), "{text}");
        assert!(
            text.contains("TWINE_PASSWORD") && text.contains("TWINE_REPOSITORY_URL"),
            "the note says why twine's login was left out: {text}"
        );
        assert!(text.contains(CORP), "{text}");
        assert_no_leak("the refusal", &text, KNOWN);
    }
}

#[test]
fn a_tools_login_without_its_target_variable_follows_the_command_line_or_pypi() {
    let place = Place::new();
    let uv_target = ("UV_PUBLISH_URL", CORP);
    // uv names the target; twine's login, with no target of its own, is meant
    // for the command line's index or PyPI, so it is left out.
    let env = [TWINE_LOGIN[0], TWINE_LOGIN[1], uv_target];
    let corp = place.resolve_env(None, None, &env).unwrap();
    let text = err_text(place.find(&corp, &env));
    assert!(
        text.contains("TWINE_PASSWORD") && text.contains("UV_PUBLISH_URL"),
        "{text}"
    );
    let with_uv = [
        TWINE_LOGIN[0],
        TWINE_LOGIN[1],
        uv_target,
        ("UV_PUBLISH_TOKEN", "uv-token"),
    ];
    let found = place.find(&corp, &with_uv).unwrap();
    assert_eq!(found.source, "environment variable UV_PUBLISH_TOKEN");
    // A flag names the index: twine's login goes there, as `twine upload
    // --repository-url` would send it.
    let flag = place
        .resolve_env(None, Some("https://flag.example/legacy/"), &TWINE_LOGIN)
        .unwrap();
    assert_eq!(
        place.find(&flag, &TWINE_LOGIN).unwrap().password.expose(),
        KNOWN
    );
}

#[test]
fn maturins_testpypi_token_never_reaches_pypi() {
    let place = Place::new();
    let env = [
        ("MATURIN_REPOSITORY_URL", "https://test.pypi.org/legacy/"),
        ("MATURIN_PYPI_TOKEN", KNOWN),
    ];
    let pypi = place.resolve_env(Some("pypi"), None, &env).unwrap();
    let text = err_text(place.find(&pypi, &env));
    assert!(text.contains("MATURIN_PYPI_TOKEN"), "{text}");
    let testpypi = place.resolve_env(None, None, &env).unwrap();
    assert_eq!(
        place.find(&testpypi, &env).unwrap().source,
        "environment variable MATURIN_PYPI_TOKEN"
    );
}

#[test]
fn a_dotenv_login_is_bound_like_the_environments() {
    let place = Place::git_ignoring_env();
    write(
        &place.root().join(".env.local"),
        &format!("TWINE_USERNAME=alice\nTWINE_PASSWORD={KNOWN}\n"),
        0o600,
    );
    let env = [("TWINE_REPOSITORY_URL", CORP)];
    let pypi = place.resolve_env(Some("pypi"), None, &env).unwrap();
    let text = err_text(place.find(&pypi, &env));
    assert!(text.starts_with("no credentials found"), "{text}");
    let corp = place.resolve_env(None, None, &env).unwrap();
    assert_eq!(
        place.find(&corp, &env).unwrap().source,
        ".env.local (TWINE_USERNAME and TWINE_PASSWORD)"
    );
}

#[test]
fn a_login_in_the_environments_url_stays_with_that_url() {
    let place = Place::new();
    let env = [(
        "TWINE_REPOSITORY_URL",
        "https://alice:s3cret@corp.example/legacy/",
    )];
    let corp = place.resolve_env(None, None, &env).unwrap();
    assert_eq!(corp.upload_url, CORP);
    assert_eq!(
        place.find(&corp, &[]).unwrap().source,
        "credentials in the repository URL (environment variable TWINE_REPOSITORY_URL)"
    );
    let flag = place.resolve_env(Some("testpypi"), None, &env).unwrap();
    assert!(flag.url_credentials.is_none());
    assert_no_leak("the target", &format!("{corp:?}"), "s3cret");
}

// ------------------------------------------------------- through the binary

/// A project and a wheel and sdist of `name` 0.1.0 in `upload/`.
fn files(name: &str) -> (TestContext, Vec<String>) {
    let ctx = TestContext::fixture("bin-bindings");
    let dir = ctx.path().join("upload");
    std::fs::create_dir(&dir).unwrap();
    let wheel = index::wheel(&dir, name, "0.1.0", "py3-none-any", "", b"w");
    let sdist = index::sdist(&dir, name, "0.1.0", "s");
    let rel = |p: PathBuf| {
        let rel = p.strip_prefix(ctx.path()).unwrap();
        rel.display().to_string()
    };
    let files = vec![rel(wheel), rel(sdist)];
    (ctx, files)
}

fn publish(
    ctx: &TestContext,
    files: &[String],
    extra: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut args = vec!["publish", "-v", "--wait", "20"];
    args.extend(extra);
    args.extend(files.iter().map(String::as_str));
    let mut cmd = ctx.command(&args);
    cmd.envs(env.iter().copied());
    cmd.stdin(std::process::Stdio::null())
        .output()
        .expect("run cargo-pypi")
}

#[test]
fn twine_repository_url_is_the_target_without_a_terminal() {
    let server = Pypiserver::start();
    let (ctx, files) = files("envtarget");
    let url = format!("{}/", server.base());
    let env = [
        ("TWINE_REPOSITORY_URL", url.as_str()),
        ("TWINE_USERNAME", USER),
        ("TWINE_PASSWORD", PASSWORD),
    ];
    let out = publish(&ctx, &files, &[], &env);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(server.files().len(), 2, "{}", out.all());
    assert!(
        out.stderr().contains(&format!(
            "target {url} from environment variable TWINE_REPOSITORY_URL"
        )),
        "-v says where the target came from: {}",
        out.stderr()
    );
    assert!(!out.all().contains(PASSWORD));
}

#[test]
fn a_flag_for_another_index_does_not_get_twines_login() {
    let twines = Pypiserver::start();
    let flagged = Pypiserver::start();
    let (ctx, files) = files("envtarget");
    let twines_url = format!("{}/", twines.base());
    let flag_url = format!("{}/", flagged.base());
    let env = [
        ("TWINE_REPOSITORY_URL", twines_url.as_str()),
        ("TWINE_USERNAME", USER),
        ("TWINE_PASSWORD", PASSWORD),
    ];
    let out = publish(&ctx, &files, &["--repository-url", &flag_url], &env);
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    let err = out.stderr();
    assert!(err.contains("no credentials found"), "{err}");
    assert!(
        err.contains("TWINE_PASSWORD") && err.contains(&twines_url),
        "{err}"
    );
    assert!(flagged.files().is_empty() && twines.files().is_empty());
    assert!(!out.all().contains(PASSWORD));
}

#[test]
fn uv_publish_url_is_the_target_and_uvs_login_goes_there() {
    let server = Pypiserver::start();
    let (ctx, files) = files("envtarget");
    let url = format!("{}/", server.base());
    let env = [
        ("UV_PUBLISH_URL", url.as_str()),
        ("UV_PUBLISH_USERNAME", USER),
        ("UV_PUBLISH_PASSWORD", PASSWORD),
        // twine's, meant for PyPI: not sent to uv's index.
        ("TWINE_PASSWORD", KNOWN),
    ];
    let out = publish(&ctx, &files, &[], &env);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(server.files().len(), 2);
    assert!(
        out.stderr().contains(
            "credentials from environment variables UV_PUBLISH_USERNAME and UV_PUBLISH_PASSWORD"
        ),
        "{}",
        out.stderr()
    );
    assert!(!out.all().contains(PASSWORD) && !out.all().contains(KNOWN));
}

/// uv reads its configuration where uv would: from the workspace root in a
/// workspace (a member's own `[tool.uv]` ignored), `uv.toml` over the
/// pyproject.toml beside it, and the nearest folder above that has either.
#[test]
fn uv_publish_index_is_found_where_uv_reads_its_configuration() {
    let place = Place::new();
    let index = |name: &str, host: &str| {
        format!(
            "[[index]]\nname = \"{name}\"\nurl = \"https://{host}/simple/\"\npublish-url = \"https://{host}/upload/\"\n"
        )
    };
    let member = place.root().join("crates/py");
    std::fs::create_dir_all(&member).unwrap();
    let member_pyproject = member.join("pyproject.toml");
    write(&member_pyproject, "[project]\nname = \"x\"\n", 0o644);
    let resolve = || {
        target::resolve(&TargetRequest {
            pyproject: Some(member_pyproject.clone()),
            pypirc: Some(place.pypirc()),
            env: pairs(&[("UV_PUBLISH_INDEX", "corp")]),
            ..TargetRequest::default()
        })
    };
    // The nearest pyproject.toml above with a [tool.uv] table.
    let root = place.root().join("pyproject.toml");
    let tool_uv = format!(
        "[tool.uv]\n{}",
        index("corp", "root.example").replace("[[index]]", "[[tool.uv.index]]")
    );
    write(&root, &tool_uv, 0o644);
    assert_eq!(
        resolve().unwrap().upload_url.as_str(),
        "https://root.example/upload/"
    );
    // uv.toml beside it wins over it.
    write(
        &place.root().join("uv.toml"),
        &index("corp", "uvtoml.example"),
        0o644,
    );
    assert_eq!(
        resolve().unwrap().upload_url.as_str(),
        "https://uvtoml.example/upload/"
    );
    // A member of a workspace: the root's configuration, never the member's own.
    std::fs::remove_file(place.root().join("uv.toml")).unwrap();
    write(
        &root,
        &format!("[tool.uv.workspace]\nmembers = [\"crates/py\"]\n\n{tool_uv}"),
        0o644,
    );
    let own = "[project]\nname = \"x\"\n\n[[tool.uv.index]]\nname = \"corp\"\nurl = \"https://member.example/simple/\"\npublish-url = \"https://member.example/upload/\"\n";
    write(&member_pyproject, own, 0o644);
    let found = resolve().unwrap();
    assert_eq!(found.upload_url.as_str(), "https://root.example/upload/");
    assert!(
        found.source.contains(&root.display().to_string()),
        "{}",
        found.source
    );
    // Without a workspace, the member's own [tool.uv] is the nearest.
    write(&root, "[project]\nname = \"root\"\n", 0o644);
    assert_eq!(
        resolve().unwrap().upload_url.as_str(),
        "https://member.example/upload/"
    );
}

/// Outside a project (a CI job that only downloaded the files), uv's index is
/// looked up from the current folder, as uv does: here its `uv.toml`.
#[test]
fn outside_a_project_uv_publish_index_is_read_from_the_current_folders_uv_toml() {
    let server = Pypiserver::start();
    let ctx = TestContext::empty();
    let dir = ctx.path().join("dist");
    std::fs::create_dir(&dir).unwrap();
    index::wheel(&dir, "uvtarget", "0.1.0", "py3-none-any", "", b"w");
    index::sdist(&dir, "uvtarget", "0.1.0", "s");
    let base = server.base();
    let uv_toml = format!(
        "[[index]]\nname = \"local\"\nurl = \"{base}/simple/\"\npublish-url = \"{base}/\"\n"
    );
    std::fs::write(ctx.path().join("uv.toml"), uv_toml).unwrap();
    let env = [
        ("UV_PUBLISH_INDEX", "local"),
        ("UV_PUBLISH_USERNAME", USER),
        ("UV_PUBLISH_PASSWORD", PASSWORD),
    ];
    let out = publish(&ctx, &[], &["--dist-dir", "dist"], &env);
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(server.files().len(), 2, "{}", out.all());
    assert!(
        out.stderr()
            .contains("from environment variable UV_PUBLISH_INDEX")
            && out.stderr().contains("uv.toml [[index]] `local`"),
        "{}",
        out.stderr()
    );
}
