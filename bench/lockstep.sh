#!/usr/bin/env bash
# bench/lockstep.sh: cargo-pypi against bump-my-version, same input, one run.
#
# Usage: bash bench/lockstep.sh        (from any directory; root on Debian)
#   env RUNS_RS (default 200), RUNS_PY (default 30) and RUNS_BIG (default 60)
#   set hyperfine's --runs; BASELINE (default 8df726c) is the earlier
#   cargo-pypi the discovery is compared with;
#   IDLE_WAIT (default 600) caps the wait for an idle machine, in seconds
#   (IDLE_WAIT=0: no waiting; how busy the CPUs were is still recorded).
#   The helpers it shares with the other bench scripts are in bench/lib.sh,
#   the report writer in bench/report.py.
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
# - Discovery against the earlier cargo-pypi: `check` of this checkout and of
#   BASELINE (8df726c, the last commit whose walk did not read git's ignore
#   rules; built from `git archive` into target/bench-baseline) on the same
#   fixture copy, and on a large repository: the fixture plus 60,000 files
#   in 6,000 folders (src/mA/sB/tC/fN.rs, 20 x 20 x 15 folders of 10 files,
#   with a .gitignore), committed. Aims: on the fixture, at most 1.2x the
#   baseline's median; on the large repository, a median under 50 ms.
#   Untimed, the script also checks the verdicts on the large repository with
#   an ignored `build/lib/` copy of the package at another version: the
#   baseline fails there and this checkout passes.
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
RUNS_BIG=${RUNS_BIG:-60}
BASELINE=${BASELINE:-8df726c}
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

# The earlier cargo-pypi, for the discovery comparison.
say "baseline: cargo-pypi at $BASELINE"
mkdir -p "$WORK/baseline-src"
git -C "$ROOT" archive "$BASELINE" | tar -x -C "$WORK/baseline-src"
(cd "$WORK/baseline-src" && CARGO_TARGET_DIR="$ROOT/target/bench-baseline" cargo build --release --locked -q)
CP_BASE="$ROOT/target/bench-baseline/release/cargo-pypi"

# The large repository: the fixture and 60,000 files in 6,000 folders.
cp -R "$FIXTURE" "$WORK/big"
python3 - "$WORK/big" <<'PY'
import os, sys
root = sys.argv[1]
for a in range(20):
    for b in range(20):
        for c in range(15):
            d = os.path.join(root, "src", f"m{a}", f"s{b}", f"t{c}")
            os.makedirs(d)
            for n in range(10):
                with open(os.path.join(d, f"f{n}.rs"), "w") as f:
                    f.write("pub fn f() {}\n")
with open(os.path.join(root, ".gitignore"), "w") as f:
    f.write("/build/\n/dist/\n*.so\n")
PY
commit_all "$WORK/big" "60,000 files"
[ "$(git -C "$WORK/big" ls-files | wc -l)" -gt 60000 ] || die "the large repository has too few files"

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

# Verdicts with an ignored stale copy of the package in build/lib/ (removed after).
mkdir -p "$WORK/big/build/lib"
sed 's/1\.3\.0/0.9.0/' "$WORK/big/Cargo.toml" >"$WORK/big/build/lib/Cargo.toml"
sed 's/1\.3\.0/0.9.0/' "$WORK/big/pyproject.toml" >"$WORK/big/build/lib/pyproject.toml"
(cd "$WORK/big" && "$CP" pypi check >/dev/null 2>&1) && IGNORED_NOW=passes || IGNORED_NOW=fails
(cd "$WORK/big" && "$CP_BASE" pypi check >/dev/null 2>&1) && IGNORED_BASE=passes || IGNORED_BASE=fails
rm -rf "$WORK/big/build"
echo "with an ignored stale build/lib/: this checkout $IGNORED_NOW, baseline $IGNORED_BASE" >&2
[ "$IGNORED_NOW" = passes ] || die "check fails on the large repository with an ignored build/lib/"
(cd "$WORK/big" && "$CP" pypi check && "$CP_BASE" pypi check) >/dev/null || die "check fails on the large repository"

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
bench check-baseline "$RUNS_RS" "$CP_BASE pypi check"
cd "$WORK/big"
bench big-cargo-pypi "$RUNS_BIG" "$CP pypi check"
bench big-baseline "$RUNS_BIG" "$CP_BASE pypi check"
cd "$WORK/bench"
LOAD_AFTER=$(load_avg)
BUSY_AFTER=$(cpu_busy)
[ -z "$(git status --porcelain)" ] || die "the timed runs changed the input"
cd "$ROOT"

# ---------------------------------------------------------------- report
export RUNS_BIG BASELINE IGNORED_NOW IGNORED_BASE
export RESULTS RUNS_RS RUNS_PY WARMUP SAME_RESULT LOAD_BEFORE LOAD_AFTER BUSY_BEFORE \
    BUSY_AFTER BMV_VERSION
write_report
