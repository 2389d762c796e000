//! The `cargo-pypi` binary: parse the command line, run one command, render its
//! report (human or JSON) and map errors to exit codes (0 ok, 1 failed, 2 bad input).

use cargo_pypi::cli::{BumpArgs, Cargo, CheckDistArgs, Command, Format, Global, PublishArgs};
use cargo_pypi::commands::{self, Context, Error};
use cargo_pypi::error::exit;
use cargo_pypi::ops::report::{Reporter, Terminal};
use clap::Parser;
use std::io::Write;

fn main() {
    let Cargo::Pypi(args) = Cargo::parse_from(argv());
    let terminal = Terminal::new(args.global.color(), args.global.verbosity());
    let code = match run(&args.global, &args.command, &terminal) {
        Ok(code) => code,
        Err(e) => {
            terminal.error(&relative_to_root(&e.to_string(), &args.global));
            e.exit_code()
        }
    };
    std::process::exit(code);
}

/// Paths in messages are shown relative to the repository root, as in reports.
fn relative_to_root(message: &str, global: &Global) -> String {
    let start = global.manifest_path.clone().unwrap_or_else(|| ".".into());
    let Ok(start) = std::fs::canonicalize(&start) else {
        return message.to_string();
    };
    let dir = if start.is_file() {
        start.parent().unwrap_or(&start).to_path_buf()
    } else {
        start
    };
    let root = cargo_pypi::project::walk::repo_root(&dir);
    message.replace(&format!("{}/", root.display()), "")
}

/// Accepts `cargo-pypi pypi <args>` (as cargo runs it) and `cargo-pypi <args>`.
fn argv() -> Vec<std::ffi::OsString> {
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_none_or(|a| a != "pypi") {
        args.insert(1, "pypi".into());
    }
    args
}

fn run(global: &Global, command: &Command, terminal: &Terminal) -> Result<i32, Error> {
    let start = global.manifest_path.clone().unwrap_or_else(|| ".".into());
    if let Command::CheckDist(args) = command {
        if !args.files.is_empty() {
            return check_dist(None, args, global.format == Format::Json, terminal);
        }
    }
    let ctx = Context::new(&start, global.package.clone(), terminal)?;
    let json = global.format == Format::Json;
    match command {
        Command::Status => {
            let report = commands::status::run(&ctx)?;
            print(if json {
                to_json(&report)
            } else {
                report.human()
            });
            Ok(if report.packages.iter().all(|p| p.agree) {
                exit::OK
            } else {
                exit::FAILED
            })
        }
        Command::Check => {
            let report = commands::check::run(&ctx)?;
            if json {
                print(to_json(&report));
            } else {
                print(report.problems.iter().map(|p| format!("{p}\n")).collect());
            }
            if !report.ok && !json {
                terminal.error(&format!("{} version source(s) out of step; `cargo pypi bump --force <version>` rewrites them all", report.problems.len()));
            }
            Ok(if report.ok { exit::OK } else { exit::FAILED })
        }
        Command::Bump(args) => bump(&ctx, args, json, terminal),
        Command::Build(args) => {
            let opts = commands::build::Options {
                out_dir: args.out_dir.clone(),
                no_isolation: args.no_isolation,
                quiet: global.quiet || json,
            };
            let report = commands::build::run(&ctx, &opts)?;
            print(if json {
                to_json(&report)
            } else {
                report.human(&ctx.project.root)
            });
            Ok(exit::OK)
        }
        Command::CheckDist(args) => check_dist(Some(&ctx), args, json, terminal),
        Command::Publish(args) => publish(&ctx, args, global, terminal),
    }
}

fn publish(
    ctx: &Context,
    args: &PublishArgs,
    global: &Global,
    terminal: &Terminal,
) -> Result<i32, Error> {
    use cargo_pypi::commands::publish::{Options, Ui};
    use cargo_pypi::ops::{progress::UploadProgress, prompt};
    use cargo_pypi::publish::{secret::Secret, target::TargetRequest};
    let json = global.format == Format::Json;
    let opts = Options {
        files: args.files.clone(),
        dist_dir: args.dist_dir.clone(),
        target: TargetRequest {
            repository: args.repository.clone(),
            repository_url: args.repository_url.clone(),
            index_url: args.index_url.clone(),
            pyproject: None,
            pypirc: None,
        },
        token: args.token.clone().map(Secret::new),
        jobs: args.jobs,
        yes: args.yes,
        dry_run: args.dry_run,
        verify_install: args.verify_install,
        wait: std::time::Duration::from_secs(args.wait),
        interactive: prompt::interactive(),
    };
    let progress = UploadProgress::new(global.quiet || json);
    let runner = |line: &str| eprintln!("{line}");
    let ui = Ui {
        progress: &progress,
        confirm: &prompt::confirm,
        runner: &runner,
    };
    let report = commands::publish::run(ctx, &opts, &ui)?;
    print(if json {
        to_json(&report)
    } else {
        report.human()
    });
    if report.dry_run && !json {
        terminal.status("Dry run", "nothing was uploaded");
    }
    Ok(exit::OK)
}

fn check_dist(
    ctx: Option<&Context>,
    args: &CheckDistArgs,
    json: bool,
    terminal: &Terminal,
) -> Result<i32, Error> {
    let opts = commands::check_dist::Options {
        files: args.files.clone(),
        dist_dir: args.dist_dir.clone(),
        strict: args.strict,
    };
    let report = commands::check_dist::run(ctx, &opts)?;
    print(if json {
        to_json(&report)
    } else {
        report.human()
    });
    if !report.ok && !json {
        terminal.error("the artifacts would be rejected or are broken; see above");
    }
    Ok(if report.ok { exit::OK } else { exit::FAILED })
}

fn bump(ctx: &Context, args: &BumpArgs, json: bool, terminal: &Terminal) -> Result<i32, Error> {
    let target = match args.target() {
        Ok(target) => target,
        Err(message) => {
            terminal.error(&message);
            return Ok(exit::INPUT);
        }
    };
    let report = commands::bump::run(ctx, &target, &args.options())?;
    if json {
        print(to_json(&report));
    } else if let Some(diff) = &report.diff {
        print(diff.clone());
        terminal.status(
            "Would bump",
            &format!(
                "{} {} -> {} ({} files; dry run, nothing written)",
                report.name,
                report.from.pep440,
                report.to.pep440,
                report.files.len()
            ),
        );
    }
    Ok(exit::OK)
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("reports serialize") + "\n"
}

fn print(text: String) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
}
