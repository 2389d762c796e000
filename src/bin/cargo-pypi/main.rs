//! The `cargo-pypi` binary: parse the command line, run one command, render its
//! report (human or JSON) and map errors to exit codes (0 ok, 1 failed, 2 bad input).
//! It is the only place that writes to the terminal (`ui`).

mod cli;
mod ui;

use cargo_pypi::commands::{self, Context, Error, Render};
use cargo_pypi::error::exit;
use cargo_pypi::report::Reporter;
use clap::Parser;
use cli::{Cargo, Command, Global, PublishArgs, ReleaseArgs};
use std::io::Write;
use ui::Terminal;

fn main() {
    let Cargo::Pypi(args) = Cargo::parse_from(argv());
    let terminal = Terminal::new(args.global.color(), args.global.verbosity());
    let code = match run(&args.global, &args.command, &terminal) {
        Ok(code) => code,
        Err(e) if args.global.json() => {
            print(json_error(&e, &args.global) + "\n");
            e.exit_code()
        }
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
    cargo_pypi::display::relative_to(message, &root)
}

/// With `--format json` an error is one JSON object on stdout, where the
/// report would be: `error` (the message), `kind`, and `path` and `line`
/// where the error names a file.
fn json_error(e: &Error, global: &Global) -> String {
    let mut value = serde_json::json!({
        "error": relative_to_root(&e.to_string(), global),
        "kind": e.kind(),
    });
    if let Some((path, line)) = e.location() {
        value["path"] = relative_to_root(&path.display().to_string(), global).into();
        if let Some(line) = line {
            value["line"] = line.into();
        }
    }
    serde_json::to_string_pretty(&value).expect("errors serialize")
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
    if let Command::CheckDist(args) = command {
        // Files alone need no project; a folder is searched as --dist-dir is.
        if !args.files.is_empty() && !args.files.iter().any(|f| f.is_dir()) {
            let report = commands::check_dist::run(None, &args.options())?;
            return Ok(show(&report, global, terminal));
        }
    }
    let start = global.manifest_path.clone().unwrap_or_else(|| ".".into());
    let ctx = Context::new(&start, global.package.clone(), terminal)?;
    Ok(match command {
        Command::Status => show(&commands::status::run(&ctx)?, global, terminal),
        Command::Check => show(&commands::check::run(&ctx)?, global, terminal),
        Command::Doctor => show(&commands::doctor::run(&ctx)?, global, terminal),
        Command::Bump(args) => {
            let report = commands::bump::run(&ctx, &args.target, &args.options())?;
            show(&report, global, terminal)
        }
        Command::Build(args) => {
            let report = commands::build::run(&ctx, &args.options(global))?;
            show(&report, global, terminal)
        }
        Command::CheckDist(args) => {
            let report = commands::check_dist::run(Some(&ctx), &args.options())?;
            show(&report, global, terminal)
        }
        Command::Publish(args) => publish(&ctx, args, global, terminal)?,
        Command::Release(args) => release(&ctx, args, global, terminal)?,
        Command::Init(args) => show(
            &commands::init::run(&ctx, &args.options())?,
            global,
            terminal,
        ),
    })
}

fn release(
    ctx: &Context,
    args: &ReleaseArgs,
    global: &Global,
    terminal: &Terminal,
) -> Result<i32, Error> {
    if args.abort {
        return Ok(show(&commands::release::abort(ctx)?, global, terminal));
    }
    with_upload_ui(global, |hooks, interactive| {
        let mut opts = args.options(interactive).map_err(Error::Input)?;
        opts.publish.prompt = interactive.then_some(ui::tty::ask);
        let report = commands::release::run(ctx, &opts, hooks)?;
        Ok(show(&report, global, terminal))
    })
}

fn publish(
    ctx: &Context,
    args: &PublishArgs,
    global: &Global,
    terminal: &Terminal,
) -> Result<i32, Error> {
    with_upload_ui(global, |hooks, interactive| {
        let mut opts = args.options(interactive);
        opts.prompt = interactive.then_some(ui::tty::ask);
        let report = commands::publish::run(ctx, &opts, hooks)?;
        Ok(show(&report, global, terminal))
    })
}

/// Runs `f` with what uploads show on the terminal (progress bars, the
/// confirmation question, the output of the tools they run) and whether stdin
/// and stderr are terminals.
fn with_upload_ui(
    global: &Global,
    f: impl FnOnce(&commands::publish::Ui, bool) -> Result<i32, Error>,
) -> Result<i32, Error> {
    let progress = ui::progress::UploadProgress::new(
        global.quiet || global.json(),
        global.verbosity() >= ui::Verbosity::Verbose,
    );
    let runner = |line: &str| eprintln!("{line}");
    let hooks = commands::publish::Ui {
        progress: &progress,
        confirm: &ui::prompt::confirm,
        runner: &runner,
    };
    f(&hooks, ui::prompt::interactive())
}

/// Prints the report (JSON or human) and its closing lines; the exit code
/// says whether it found problems.
fn show<R: Render>(report: &R, global: &Global, terminal: &Terminal) -> i32 {
    if global.json() {
        print(serde_json::to_string_pretty(report).expect("reports serialize") + "\n");
    } else {
        print(report.human());
        if let Some((verb, message)) = report.closing_status() {
            terminal.status(verb, &message);
        }
    }
    if let Some(message) = report.failure().filter(|_| !global.json()) {
        terminal.error(&message);
    }
    if report.ok() {
        exit::OK
    } else {
        exit::FAILED
    }
}

fn print(text: String) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
}
