//! The release's closing summary: every file uploaded with its size and full
//! sha256 (for audit), said once when both indexes got the same files, within
//! 80 columns; the same in `--format json`. Runs against the two real
//! pypiservers of [`Release`], with hand-made files in `dist/` (`--dist`), so
//! that the bytes are the same on every run and nothing is compiled.

use crate::release::Release;
use crate::support::assert_transcript;
use crate::support::index::{sdist, sha256_of, wheel};
use crate::support::OutputExt;
use cargo_pypi::commands::release::{ReleaseFile, Report, StepReport, Upload};
use cargo_pypi::commands::Render;
use cargo_pypi::publish::upload::Outcome;
use cargo_pypi::steps::publish::FileOutcome;

const ARGS: [&str; 6] = [
    "release",
    "patch",
    "--yes",
    "--dist",
    "dist",
    "--no-github-release",
];

/// `cargo pypi <args>` for [`Release`]; the hand-made files require numpy,
/// which the local indexes lack: pip installs the release without it.
fn command(r: &Release, args: &[&str]) -> std::process::Command {
    let mut cmd = r.command(args);
    cmd.env("PIP_NO_DEPS", "1");
    cmd
}

/// 0.2.1's sdist and wheel in `dist/`: the release takes them (`--dist dist`).
fn prebuilt(r: &Release) -> [std::path::PathBuf; 2] {
    let dist = r.ctx.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    [
        wheel(&dist, "bintool", "0.2.1", "py3-none-any", "", b"release"),
        sdist(&dist, "bintool", "0.2.1", "release"),
    ]
}

#[test]
fn release_summary() {
    let r = Release::new();
    let files = prebuilt(&r);
    let (raw, text) = r.ctx.transcript_command(&mut command(&r, &ARGS), &ARGS);
    let summary = raw
        .split_once("\nUploaded to ")
        .unwrap_or_else(|| panic!("no summary:\n{raw}"))
        .1;
    for file in &files {
        let sha256 = format!("\n    sha256:{}\n", sha256_of(file));
        assert!(summary.contains(&sha256), "{sha256}: {raw}");
    }
    // Every line within 80 columns (but the index's address, a local port).
    for line in raw.lines().filter(|l| !l.contains("http://")) {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    assert_transcript!("release_summary", &text);
}

#[test]
fn release_json_lists_each_file_with_its_size_and_sha256_per_index() {
    let r = Release::new();
    let files = prebuilt(&r);
    let args = [&ARGS[..], &["--format", "json"]].concat();
    let out = command(&r, &args).output().unwrap();
    assert!(out.status.success(), "{}", out.all());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = report["files"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "{report}");
    for (entry, path) in listed.iter().zip(&files) {
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(entry["file"], name, "{report}");
        assert_eq!(entry["size"], std::fs::metadata(path).unwrap().len());
        assert_eq!(entry["sha256"], sha256_of(path), "{report}");
    }
    let uploads = report["uploads"].as_array().unwrap();
    let steps: Vec<&str> = uploads
        .iter()
        .map(|u| u["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["staging", "production"], "{report}");
    for upload in uploads {
        assert_eq!(upload["repository"], upload["step"], "{report}");
        let sent = upload["files"].as_array().unwrap();
        assert_eq!(sent.len(), 2, "{report}");
        for (entry, path) in sent.iter().zip(&files) {
            assert_eq!(entry["sha256"], sha256_of(path), "{report}");
            assert_eq!(entry["outcome"], "uploaded", "{report}");
        }
    }
}
fn file(name: &str, size: u64, digit: char) -> ReleaseFile {
    ReleaseFile {
        file: name.into(),
        size,
        sha256: digit.to_string().repeat(64),
    }
}

fn upload(step: &'static str, files: &[&ReleaseFile]) -> Upload {
    Upload {
        step,
        repository: format!("{step}-index"),
        files: files
            .iter()
            .map(|f| FileOutcome {
                file: f.file.clone(),
                sha256: f.sha256.clone(),
                outcome: Outcome::Uploaded,
                attestations: 0,
            })
            .collect(),
    }
}

fn report(files: Vec<ReleaseFile>, uploads: Vec<Upload>) -> Report {
    Report {
        version: "1.4.0".into(),
        tag: "v1.4.0".into(),
        dry_run: false,
        resumed: true,
        steps: vec![StepReport {
            step: "tag",
            outcome: "done",
            detail: "v1.4.0".into(),
        }],
        diff: String::new(),
        files,
        uploads,
    }
}

/// Indexes that got different files each get their table; files built and
/// not uploaded (`publish = false`) are listed as such.
#[test]
fn release_summary_lists_each_index_whose_files_differ() {
    let wheel = file(
        "citool-1.4.0-py3-none-manylinux_2_17_x86_64.whl",
        2_097_152,
        'a',
    );
    let sdist = file("citool-1.4.0.tar.gz", 1_536, 'b');
    let both = vec![wheel.clone(), sdist.clone()];
    let uploads = vec![
        upload("staging", &[&wheel]),
        upload("production", &[&wheel, &sdist]),
    ];
    let text = report(both.clone(), uploads).human();
    let expected = format!(
        "\nUploaded to staging-index:\n  {w} (2.0 MiB)\n    sha256:{a}\n\
         Uploaded to production-index:\n  {w} (2.0 MiB)\n    sha256:{a}\n  {s} (1.5 KiB)\n    sha256:{b}\n",
        w = wheel.file,
        s = sdist.file,
        a = wheel.sha256,
        b = sdist.sha256
    );
    assert!(text.ends_with(&expected), "{text}");

    let text = report(both, Vec::new()).human();
    assert!(text.contains("\nChecked, not uploaded:\n"), "{text}");
    assert!(
        text.ends_with(&format!("    sha256:{}\n", sdist.sha256)),
        "{text}"
    );
}
