#!/usr/bin/env bash
# bench/lockstep.sh: cargo-pypi against bump-my-version, same input, one run.
#
# Usage: bash bench/lockstep.sh        (from any directory; root on Debian)
#   env RUNS_RS (default 200) and RUNS_PY (default 30) set hyperfine's --runs;
#   IDLE_WAIT (default 600) caps the wait for an idle machine, in seconds
#   (IDLE_WAIT=0: no waiting; how busy the CPUs were is still recorded).
#   The helpers it shares with the other bench scripts are in bench/lib.sh.
#
# Method
# - Input: a copy of fixtures/static-version (Cargo.toml, Cargo.lock,
#   pyproject.toml with a static version, python/static_version/__init__.py with
#   `__version__`, CHANGELOG.md with `## [Unreleased]`; all at 1.3.0) in a fresh
#   temporary folder outside this repository, made a git repository with one
#   commit. The copy gets a `.bumpversion.toml` that makes bump-my-version do the
#   same job as cargo-pypi: `[package].version` in Cargo.toml, the crate's own
#   entry in Cargo.lock (the search includes the `name = "static-version"` line,
#   so no other entry can match), `[project].version` in pyproject.toml,
#   `__version__`, and the changelog rotation (a dated `## [X.Y.Z]` heading under
#   `## [Unreleased]`, and the compare links at the bottom of the file).
#   cargo-pypi needs no configuration for this project.
# - Pairs compared:
#   1. `cargo-pypi pypi check` vs `bump-my-version show current_version`.
#      bump-my-version has no lockstep check; `show` is its nearest read-only
#      command, and it does less: it reads its own config and prints the version
#      recorded there, without opening the files that hold the version.
#   2. `cargo-pypi pypi bump patch --dry-run` vs
#      `bump-my-version bump patch --dry-run -v --allow-dirty --no-commit --no-tag`.
#      Both compute the bump and print the would-be changes, writing nothing.
#      bump-my-version prints its diff only with `-v`, so `-v` is part of the
#      timed command; the same command without `-v` (it then prints nothing) is
#      timed too, for reference.
# - Before timing, both tools do a real `bump patch` on separate copies; the
#   script checks that each changed exactly the five version files, all to 1.3.1,
#   prints a short diff summary, compares the two results file by file, and
#   stops if bump-my-version's config (or cargo-pypi) misses a file.
# - Timing: hyperfine, `-N` (commands run without a shell, so no shell start-up
#   is counted), `--warmup 3`, `--runs` 200 for cargo-pypi and 30 for
#   bump-my-version, output discarded, results exported as JSON. Each timed run
#   is a whole process: start-up (for bump-my-version, the Python interpreter and
#   its imports) is part of what a user or a pre-commit hook waits for.
# - cargo-pypi is the release build (`cargo build --release`) of this checkout;
#   bump-my-version is the latest from PyPI, in a venv at target/bench-venv.
# - The machine has 2 cores shared with other work: the script waits (up to
#   IDLE_WAIT seconds, default 600) for the CPUs to be at most 15% busy before
#   timing, and records how busy they were just before and after. The table
#   reports median and min/max; the median is the least affected by a
#   neighbour's load.
# - A short Python step (stdlib only) reads the JSON files and regenerates
#   BENCHMARKS.md entirely, including whether the aim ("check at least 50x
#   faster than `bump-my-version show`, in a few milliseconds", where we read
#   "a few" as at most 5 ms median) is met, computed from the numbers.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FIXTURE="$ROOT/fixtures/static-version"
RESULTS="$ROOT/target/bench/lockstep"
RUNS_RS=${RUNS_RS:-200}
RUNS_PY=${RUNS_PY:-30}
IDLE_WAIT=${IDLE_WAIT:-600}
WARMUP=3

# ---------------------------------------------------------------- tools
need_tools -- bump-my-version=bump-my-version
BMV="$VENV/bin/bump-my-version"
BMV_VERSION=$("$BMV" --version)
echo "$CP_VERSION | $BMV_VERSION | $HF_VERSION" >&2

# ---------------------------------------------------------------- inputs
work_dir

write_bumpversion_config() {
    cat >"$1/.bumpversion.toml" <<'EOF'
# bump-my-version config covering the same sources cargo-pypi finds by itself.
[tool.bumpversion]
current_version = "1.3.0"
commit = false
tag = false
allow_dirty = true

[[tool.bumpversion.files]]
filename = "Cargo.toml"
search = '''
[package]
name = "static-version"
version = "{current_version}"'''
replace = '''
[package]
name = "static-version"
version = "{new_version}"'''

# The crate's own entry only: the search includes its name line.
[[tool.bumpversion.files]]
filename = "Cargo.lock"
search = '''
name = "static-version"
version = "{current_version}"'''
replace = '''
name = "static-version"
version = "{new_version}"'''

[[tool.bumpversion.files]]
filename = "pyproject.toml"
search = '''
[project]
name = "static-version"
version = "{current_version}"'''
replace = '''
[project]
name = "static-version"
version = "{new_version}"'''

[[tool.bumpversion.files]]
filename = "python/static_version/__init__.py"
search = '__version__ = "{current_version}"'
replace = '__version__ = "{new_version}"'

# Changelog rotation: a dated heading under Unreleased ...
[[tool.bumpversion.files]]
filename = "CHANGELOG.md"
search = "## [Unreleased]"
replace = "## [Unreleased]\n\n## [{new_version}] - {now:%Y-%m-%d}"

# ... and the compare links, as cargo-pypi moves them too.
[[tool.bumpversion.files]]
filename = "CHANGELOG.md"
search = "[Unreleased]: https://github.com/example-org/static-version/compare/v{current_version}...HEAD"
replace = "[Unreleased]: https://github.com/example-org/static-version/compare/v{new_version}...HEAD\n[{new_version}]: https://github.com/example-org/static-version/compare/v{current_version}...v{new_version}"
EOF
}

# make_copy DIR: the fixture plus .bumpversion.toml, as a git repo with one commit.
make_copy() {
    cp -R "$FIXTURE" "$1"
    write_bumpversion_config "$1"
    commit_all "$1" "fixture static-version 1.3.0"
}

make_copy "$WORK/bench"     # timed runs (dry runs and read-only commands only)
make_copy "$WORK/real-bmv"  # real bump by bump-my-version
make_copy "$WORK/real-cp"   # real bump by cargo-pypi

# ---------------------------------------------------------------- verify
say "verify: both tools do the job"
EXPECTED=(Cargo.toml Cargo.lock pyproject.toml python/static_version/__init__.py CHANGELOG.md)

(cd "$WORK/real-bmv" && "$BMV" bump patch --allow-dirty --no-commit --no-tag >/dev/null)
(cd "$WORK/real-cp" && "$CP" pypi bump patch --no-commit --no-tag --quiet)

# check_bumped DIR TOOL EXTRA...: every expected file changed and holds 1.3.1,
# and nothing else changed except the EXTRA files named.
check_bumped() {
    local dir=$1 tool=$2; shift 2
    local changed f ok=1
    changed=$(git -C "$dir" diff --name-only)
    echo "$tool: git diff --stat after a real bump patch:" >&2
    git -C "$dir" diff --stat | sed 's/^/    /' >&2
    for f in "${EXPECTED[@]}"; do
        if ! grep -qxF "$f" <<<"$changed"; then
            echo "    MISSING: $f did not change" >&2; ok=0
        elif ! grep -qF '1.3.1' "$dir/$f"; then
            echo "    MISSING: $f changed but holds no 1.3.1" >&2; ok=0
        fi
    done
    while read -r f; do
        [ -z "$f" ] && continue
        case " ${EXPECTED[*]} $* " in *" $f "*) ;; *) echo "    UNEXPECTED: $f changed" >&2; ok=0 ;; esac
    done <<<"$changed"
    [ "$ok" = 1 ] || die "$tool did not bump every version source to 1.3.1 (see above)"
}
check_bumped "$WORK/real-bmv" bump-my-version .bumpversion.toml
check_bumped "$WORK/real-cp" cargo-pypi

if diff -r -q -x .git -x .bumpversion.toml "$WORK/real-bmv" "$WORK/real-cp" >/dev/null; then
    SAME_RESULT=yes
    echo "results: the two bumped trees are identical (apart from .bumpversion.toml)" >&2
else
    SAME_RESULT=no
    echo "results: the bumped trees differ:" >&2
    diff -r -u -x .git -x .bumpversion.toml "$WORK/real-bmv" "$WORK/real-cp" | sed 's/^/    /' >&2 || true
fi

# The commands to time must succeed on the input, print what they should and
# leave it untouched.
cd "$WORK/bench"
"$CP" pypi check || die "cargo-pypi pypi check fails on the input"
[ "$("$BMV" show current_version)" = 1.3.0 ] || die "bump-my-version show current_version is not 1.3.0"
out=$("$CP" pypi bump patch --dry-run)
grep -q '^+version = "1.3.1"' <<<"$out" || die "cargo-pypi pypi bump patch --dry-run shows no diff"
out=$("$BMV" bump patch --dry-run -v --allow-dirty --no-commit --no-tag 2>&1)
grep -q 'Would change file' <<<"$out" || die "bump-my-version bump patch --dry-run -v shows no change"
[ -z "$(git status --porcelain)" ] || die "a dry run changed the input"

# ---------------------------------------------------------------- timing
say "timing (keep the machine otherwise idle)"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
wait_idle timing
# bench NAME RUNS COMMAND: one hyperfine run, JSON in $RESULTS/NAME.json.
bench() {
    local name=$1 runs=$2 cmd=$3
    hyperfine -N --warmup "$WARMUP" --runs "$runs" --style basic \
        --command-name "$name" --export-json "$RESULTS/$name.json" "$cmd"
}
bench check-cargo-pypi "$RUNS_RS" "$CP pypi check"
bench show-bmv "$RUNS_PY" "$BMV show current_version"
bench dryrun-cargo-pypi "$RUNS_RS" "$CP pypi bump patch --dry-run"
bench dryrun-bmv "$RUNS_PY" "$BMV bump patch --dry-run -v --allow-dirty --no-commit --no-tag"
bench dryrun-bmv-quiet "$RUNS_PY" "$BMV bump patch --dry-run --allow-dirty --no-commit --no-tag"
LOAD_AFTER=$(load_avg)
BUSY_AFTER=$(cpu_busy)
[ -z "$(git status --porcelain)" ] || die "the timed runs changed the input"
cd "$ROOT"

# ---------------------------------------------------------------- report
say "writing bench/results/lockstep.md"
CPU_MODEL=$(sed -n '/^model name/{s/^model name[[:space:]]*: //p;q}' /proc/cpuinfo)
# shellcheck disable=SC1091
OS_NAME=$( (. /etc/os-release && echo "${PRETTY_NAME:-$NAME}") 2>/dev/null || uname -s)
export RESULTS RUNS_RS RUNS_PY WARMUP SAME_RESULT LOAD_BEFORE LOAD_AFTER BUSY_BEFORE BUSY_AFTER \
    CP_VERSION BMV_VERSION HF_VERSION CPU_MODEL OS_NAME
NPROC=$(nproc)
KERNEL=$(uname -r)
RUSTC_VERSION=$(rustc --version 2>/dev/null || echo unknown)
PY_VERSION=$("$VENV/bin/python" --version 2>&1)
DATE_UTC=$(date -u '+%Y-%m-%d %H:%M UTC')
# Method text for the report: the script's header comment, from "# Method" on.
METHOD=$(sed -n '/^# Method$/,/^set -euo pipefail$/p' "$SELF" \
    | sed -e '1d' -e '$d' -e 's/^# \{0,1\}//')
export NPROC KERNEL RUSTC_VERSION PY_VERSION DATE_UTC METHOD

mkdir -p "$ROOT/bench/results"
python3 - "$ROOT/bench/results/lockstep.md" <<'PY'
import json, os, sys

env = os.environ
res = env["RESULTS"]

def load(name):
    with open(os.path.join(res, name + ".json")) as f:
        r = json.load(f)["results"][0]
    return {k: r[k] * 1000.0 for k in ("median", "min", "max", "mean", "stddev")} | {
        "runs": len(r["times"])}

def ms(x):
    return f"{x:.1f} ms" if x >= 10 else f"{x:.2f} ms"

rows = [
    ("check-cargo-pypi", "`cargo-pypi pypi check`"),
    ("show-bmv", "`bump-my-version show current_version`"),
    ("dryrun-cargo-pypi", "`cargo-pypi pypi bump patch --dry-run`"),
    ("dryrun-bmv", "`bump-my-version bump patch --dry-run -v --allow-dirty --no-commit --no-tag`"),
    ("dryrun-bmv-quiet", "`bump-my-version bump patch --dry-run --allow-dirty --no-commit --no-tag` (no `-v`: prints no diff; reference only)"),
]
r = {name: load(name) for name, _ in rows}
check_ratio = r["show-bmv"]["median"] / r["check-cargo-pypi"]["median"]
bump_ratio = r["dryrun-bmv"]["median"] / r["dryrun-cargo-pypi"]["median"]
check_ms = r["check-cargo-pypi"]["median"]
FEW_MS = 5.0
AIM_RATIO = 50.0
met_ratio = check_ratio >= AIM_RATIO
met_ms = check_ms <= FEW_MS
met = met_ratio and met_ms

out = []
w = out.append
w("## Lockstep versions: `check` and `bump --dry-run` against bump-my-version")
w("")
w("Generated by `bash bench/lockstep.sh`.")
w("")
w("### Aim")
w("")
verdict = "**met**" if met else "**not met**"
w(f"Aim: `cargo pypi check` at least {AIM_RATIO:.0f}x faster than `bump-my-version show`, "
  f"in a few milliseconds (read as a median of at most {FEW_MS:.0f} ms). "
  f"Result: {verdict}: the check's median is {ms(check_ms)} "
  f"({'within' if met_ms else 'over'} {FEW_MS:.0f} ms) and it is {check_ratio:.1f}x faster "
  f"({'at least' if met_ratio else 'less than'} {AIM_RATIO:.0f}x).")
w("")
w("### Results")
w("")
w("| command | runs | median | min | max | mean ± σ |")
w("| --- | ---: | ---: | ---: | ---: | ---: |")
for name, label in rows:
    x = r[name]
    w(f"| {label} | {x['runs']} | {ms(x['median'])} | {ms(x['min'])} | {ms(x['max'])} | "
      f"{ms(x['mean'])} ± {ms(x['stddev'])} |")
w("")
w("| pair | bump-my-version median / cargo-pypi median |")
w("| --- | ---: |")
w(f"| read-only: `check` vs `show current_version` | {check_ratio:.1f}x |")
w(f"| `bump patch --dry-run` (bump-my-version with `-v`, so both print the change) | {bump_ratio:.1f}x |")
w("")
w("bump-my-version has no lockstep check: `show current_version` is its nearest read-only "
  "command, and it does less than `cargo pypi check` (it prints the version recorded in its "
  "own config and opens none of the files that hold the version).")
w("")
same = env["SAME_RESULT"] == "yes"
w("Before timing, a real `bump patch` by each tool on its own copy changed the same five files "
  "(Cargo.toml, Cargo.lock, pyproject.toml, `__init__.py`, CHANGELOG.md) to 1.3.1"
  + (", with identical results (bump-my-version also rewrites its own `.bumpversion.toml`)."
     if same else "; the results differ in detail (the script prints the diff)."))
w("")
w("### Setup")
w("")
w(f"- Date: {env['DATE_UTC']}")
w(f"- Machine: {env['NPROC']} cores, {env['CPU_MODEL']}; {env['OS_NAME']}, Linux {env['KERNEL']}; "
  f"shared with other work: CPUs {env['BUSY_BEFORE']}% busy in the 3 s before timing and "
  f"{env['BUSY_AFTER']}% in the 3 s after (load average {env['LOAD_BEFORE']} before, {env['LOAD_AFTER']} after)")
w(f"- Tools: {env['CP_VERSION']} (release build, {env['RUSTC_VERSION']}); "
  f"{env['BMV_VERSION']} ({env['PY_VERSION']}); {env['HF_VERSION']}")
w("- Input: a copy of `fixtures/static-version` (crate and Python package `static-version` 1.3.0; "
  "Cargo.toml, Cargo.lock, pyproject.toml with a static `[project].version`, "
  "`python/static_version/__init__.py` with `__version__`, CHANGELOG.md with `## [Unreleased]`) "
  "in a temporary git repository, plus the `.bumpversion.toml` written by the script.")
w(f"- hyperfine `-N --warmup {env['WARMUP']}`, `--runs {env['RUNS_RS']}` (cargo-pypi) and "
  f"`--runs {env['RUNS_PY']}` (bump-my-version); raw JSON in `target/bench/lockstep/`.")
w("")
w("### Method")
w("")
w(env["METHOD"].strip())
w("")
with open(sys.argv[1], "w") as f:
    f.write("\n".join(out))
print("\n".join(out[out.index("### Aim"):out.index("### Setup")]))
PY
bash "$ROOT/bench/assemble.sh"
say "done: $ROOT/BENCHMARKS.md"
