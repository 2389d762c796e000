#!/usr/bin/env bash
# bench/build.sh: `cargo pypi build` against `python -m build`, same input, one run.
#
# Usage: bash bench/build.sh        (from any directory; root on Debian)
#   env RUNS (default 5) sets hyperfine's --runs for the warm builds after a
#   touch, RUNS_EDIT (default 3) for the warm builds after a one-line edit;
#   IDLE_WAIT (default 300) caps the total wait for an idle machine, in seconds
#   (IDLE_WAIT=0: no waiting; how busy the CPUs were is still recorded).
#   It takes about 6 minutes on 2 idle cores, plus the release build of
#   cargo-pypi and any waiting. The helpers it shares with the other bench
#   scripts are in bench/lib.sh, the report writer in bench/report.py.
#
# Method
# - Input: two copies of fixtures/pyo3-dynamic (crate and Python package
#   `pyo3-dynamic` 0.4.2: a cdylib with a real pyo3 0.23 dependency, Cargo.lock,
#   `[profile.release] lto = true`, pyproject.toml with maturin as the PEP 517
#   backend and `dynamic = ["version"]`), one per tool, each in a fresh
#   temporary folder outside this repository, made a git repository with one
#   commit. Each copy gets a `.gitignore` of `/target/` and `/dist/`, as any
#   real project has: without it maturin's sdist (the same one for both tools)
#   packs the previous build's dist/ into the next sdist. `cargo fetch` runs in
#   each copy first, so no timed run downloads crates (both tools share
#   ~/.cargo's registry cache).
# - Commands compared, both with the same Python (the venv target/bench-venv,
#   whose bin/ is first on the PATH) and with CARGO_TARGET_DIR unset:
#   1. `cargo-pypi pypi build -q`: `maturin sdist`, then the sdist unpacked in
#      a temporary folder and `maturin build --release` run inside it, with
#      CARGO_TARGET_DIR set to the repository's own target/ folder (-q only
#      captures the tools' output).
#   2. `python -m build`, with no options: the default isolated build. It also
#      builds the sdist and then the wheel from the unpacked sdist, through
#      maturin's PEP 517 hooks, into the copy's dist/.
#   So both produce the wheel from the sdist, with maturin, and both always
#   rebuild the project's own crate: cargo-pypi unpacks the sdist with fresh
#   file times, so cargo never takes a changed file for up to date (for it a
#   touch and a real edit make the same build).
#   The difference measured is where the Rust build happens: `python -m build`
#   creates a fresh isolated environment (a venv with maturin installed by pip,
#   once for the sdist and once for the wheel) and a temporary folder for each
#   build, so cargo starts with an empty target folder and recompiles pyo3 and
#   every other dependency each time; `cargo pypi build` reuses the target
#   folder, so after the first build only the changed crate is compiled (and,
#   here, linked with LTO). That reuse is the feature being measured, not a
#   trick: it is what a developer waits for between two builds.
# - Each tool's first build on its copy (no target folder) is the cold build,
#   timed once. Before any warm build is timed, the script checks that both
#   wrote an sdist and a wheel with the same names for version 0.4.2 (the
#   wheel's platform tag may differ), that the two sdists, and the two wheels,
#   hold the same files, and prints both lists; it stops if the names differ. It also
#   runs one untimed warm `cargo-pypi pypi build -v` after touching
#   src/lib.rs and checks from its log that cargo recompiled only
#   pyo3-dynamic, and checks from the cold log of `python -m build` that it
#   compiled pyo3.
# - Warm builds ("the second build after touching one .rs file"): hyperfine
#   `-N --warmup 0 --runs 5 --prepare 'touch <copy>/src/lib.rs'` (RUNS), so
#   each timed run follows a touch of the crate's source; then the same with
#   `--runs 3` (RUNS_EDIT) and a real one-line change instead of the touch (the prepare
#   step appends a `// edit` comment line to src/lib.rs). `-N` runs the
#   commands without a shell. Each timed run is the whole command, start-up,
#   environment set-up and artifact checks included. The tools' output goes to
#   a log in target/bench/ (for `python -m build`, the script reads cargo's own
#   compile time out of it); results are exported as JSON there.
# - cargo-pypi is the release build (`cargo build --release`) of this
#   checkout; maturin and build are the latest from PyPI, in the venv at
#   target/bench-venv (shared with bench/lockstep.sh). The isolated
#   environments of `python -m build` get maturin through pip, from pip's
#   cache after the first run (pip may still ask PyPI's index).
# - The machine has 2 cores shared with other work: before each timed block
#   the script waits (IDLE_WAIT seconds in all, default 300) for the CPUs to be
#   at most 15% busy over 3 seconds, and records how busy they were then and,
#   during the block, how much CPU time went to anything but the builds (the
#   machine's busy time from /proc/stat minus hyperfine's user + system time
#   of the timed commands). The table reports median and min/max, the median
#   being the least affected by a neighbour's load.
# - A short Python step (stdlib only) reads the JSON files and writes this
#   section, including whether the aim ("the second build well under half of
#   `python -m build`'s time", where we read "well under half" as a warm
#   median at most 0.4x that of `python -m build`) is met, computed from the
#   numbers.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FIXTURE="$ROOT/fixtures/pyo3-dynamic"
RESULTS="$ROOT/target/bench"
RUNS=${RUNS:-5}
RUNS_EDIT=${RUNS_EDIT:-3}
IDLE_WAIT=${IDLE_WAIT:-300}
VERSION=0.4.2
DIST_NAME=pyo3_dynamic

# ---------------------------------------------------------------- tools
# The venv is shared with bench/lockstep.sh: add what this script needs.
need_tools -- maturin=maturin import:build=build
MATURIN_VERSION=$("$VENV/bin/maturin" --version)
BUILD_VERSION=$("$PY" -m build --version | cut -d' ' -f1-2)
echo "$CP_VERSION | $MATURIN_VERSION | $BUILD_VERSION | $HF_VERSION" >&2

# Both tools run with the venv's bin first on the PATH (cargo-pypi finds
# maturin and python3 there) and with cargo's default target folder.
export PATH="$VENV/bin:$PATH"
unset CARGO_TARGET_DIR

# ---------------------------------------------------------------- inputs
work_dir

# make_copy DIR: the fixture plus a .gitignore, as a git repo with one commit,
# its dependencies fetched.
make_copy() {
    cp -R "$FIXTURE" "$1"
    printf '/target/\n/dist/\n' >"$1/.gitignore"
    commit_all "$1" "fixture pyo3-dynamic $VERSION"
    (cd "$1" && cargo fetch --locked --quiet)
}
CPDIR="$WORK/cargo-pypi"
PBDIR="$WORK/python-build"
make_copy "$CPDIR"
make_copy "$PBDIR"
CMD_CP="$CP pypi build -q"
CMD_PB="$PY -m build"

# ---------------------------------------------------------------- helpers
rm -f "$RESULTS"/build-*.json "$RESULTS"/build-*.log "$RESULTS"/build-*.txt
mkdir -p "$RESULTS"
# bench NAME DIR RUNS PREPARE COMMAND: one hyperfine block run in DIR, JSON in
# $RESULTS/NAME.json, the tools' output in $RESULTS/NAME.log.
bench() {
    local name=$1 dir=$2 runs=$3 prepare=$4 cmd=$5
    local args=(-N --warmup 0 --runs "$runs" --style basic --output inherit
        --command-name "$name" --export-json "$RESULTS/$name.json")
    if [ -n "$prepare" ]; then args+=(--prepare "$prepare"); fi
    timed_block "$name" "$RESULTS/$name.log" "$RESULTS/$name.busy.txt" "$cmd (${runs} run(s))" \
        in_dir "$dir" hyperfine "${args[@]}" "$cmd"
}

# ---------------------------------------------------------------- cold builds
say "cold builds (no target folder yet; keep the machine otherwise idle)"
bench build-cold-cargo-pypi "$CPDIR" 1 "" "$CMD_CP"
bench build-cold-python-build "$PBDIR" 1 "" "$CMD_PB"

# ---------------------------------------------------------------- verify
say "verify: both tools build the same sdist and wheel"
grep -q 'Compiling pyo3 v' "$RESULTS/build-cold-python-build.log" \
    || die "python -m build did not compile pyo3 (see $RESULTS/build-cold-python-build.log)"
grep -q 'isolated environment' "$RESULTS/build-cold-python-build.log" \
    || die "python -m build did not build in an isolated environment"
SAME_FILES=$(python3 - "$CPDIR/dist" "$PBDIR/dist" "$DIST_NAME" "$VERSION" <<'PY'
import os, re, sys, tarfile, zipfile

cp_dir, pb_dir, name, version = sys.argv[1:]
def artifacts(d):
    files = sorted(f for f in os.listdir(d) if not f.startswith("."))
    sdists = [f for f in files if f.endswith(".tar.gz")]
    wheels = [f for f in files if f.endswith(".whl")]
    return files, sdists, wheels
cp, cp_s, cp_w = artifacts(cp_dir)
pb, pb_s, pb_w = artifacts(pb_dir)
print("cargo-pypi pypi build wrote:", *cp, sep="\n    ", file=sys.stderr)
print("python -m build wrote:", *pb, sep="\n    ", file=sys.stderr)
errors = []
sdist = f"{name}-{version}.tar.gz"
wheel = re.compile(rf"{name}-{re.escape(version)}-(cp\d+)-(cp\d+)-([A-Za-z0-9_.]+)\.whl$")
for tool, files, s, w in (("cargo-pypi", cp, cp_s, cp_w), ("python -m build", pb, pb_s, pb_w)):
    if s != [sdist]:
        errors.append(f"{tool}: expected the sdist {sdist}, found {s}")
    if len(w) != 1 or not wheel.match(w[0]):
        errors.append(f"{tool}: expected one wheel {name}-{version}-cpXY-cpXY-<platform>.whl, found {w}")
    if len(files) != len(s) + len(w):
        errors.append(f"{tool}: unexpected files in dist/: {files}")
if errors:
    print(*errors, sep="\n", file=sys.stderr)
    sys.exit(1)
tags = [wheel.match(w[0]).groups() for w in (cp_w, pb_w)]
if tags[0][:2] != tags[1][:2]:
    print(f"the wheels have different Python tags: {tags}", file=sys.stderr)
    sys.exit(1)
print(f"same sdist name {sdist}; same wheel name apart from the platform tag "
      f"({tags[0][2]} vs {tags[1][2]})", file=sys.stderr)
def sdist_list(d, f):
    with tarfile.open(os.path.join(d, f)) as t:
        return sorted(m.name for m in t.getmembers() if m.isfile())
def wheel_list(d, f):
    with zipfile.ZipFile(os.path.join(d, f)) as z:
        return sorted(z.namelist())
same = []
for what, a, b in (("sdist", sdist_list(cp_dir, cp_s[0]), sdist_list(pb_dir, pb_s[0])),
                   ("wheel", wheel_list(cp_dir, cp_w[0]), wheel_list(pb_dir, pb_w[0]))):
    if a == b:
        print(f"the two {what}s hold the same {len(a)} files:", *a, sep="\n    ", file=sys.stderr)
        same.append("yes")
    else:
        print(f"the two {what}s hold different files:", file=sys.stderr)
        print("  cargo-pypi:", *a, sep="\n    ", file=sys.stderr)
        print("  python -m build:", *b, sep="\n    ", file=sys.stderr)
        same.append("no")
print(" ".join(same + [cp_w[0], pb_w[0]]))
PY
) || die "the two tools did not build the expected sdist and wheel (see above)"
read -r SAME_SDIST SAME_WHEEL WHEEL_CP WHEEL_PB <<<"$SAME_FILES"

# One untimed warm build with cargo's output, to see what it recompiles.
touch "$CPDIR/src/lib.rs"
(cd "$CPDIR" && "$CP" pypi build -v) >"$RESULTS/build-check-warm-cargo-pypi.log" 2>&1 \
    || die "warm cargo-pypi pypi build failed (see $RESULTS/build-check-warm-cargo-pypi.log)"
compiled=$(grep -oE 'Compiling [A-Za-z0-9_-]+ v' "$RESULTS/build-check-warm-cargo-pypi.log" \
    | awk '{print $2}' | sort -u | paste -sd' ' -)
echo "a warm cargo-pypi pypi build after touching src/lib.rs compiled: ${compiled:-nothing}" >&2
WARM_COMPILED=${compiled:-nothing}
[ "$WARM_COMPILED" = pyo3-dynamic ] \
    || echo "NOTE: expected the warm build to compile pyo3-dynamic only" >&2

# ---------------------------------------------------------------- warm builds
say "warm builds (keep the machine otherwise idle)"
bench build-touch-cargo-pypi "$CPDIR" "$RUNS" "touch $CPDIR/src/lib.rs" "$CMD_CP"
bench build-touch-python-build "$PBDIR" "$RUNS" "touch $PBDIR/src/lib.rs" "$CMD_PB"
edit() { printf 'sh -c "printf %s >> %s"' "'// edit\\n'" "$1/src/lib.rs"; }
bench build-edit-cargo-pypi "$CPDIR" "$RUNS_EDIT" "$(edit "$CPDIR")" "$CMD_CP"
bench build-edit-python-build "$PBDIR" "$RUNS_EDIT" "$(edit "$PBDIR")" "$CMD_PB"
edits=$(grep -c '^// edit$' "$CPDIR/src/lib.rs" || true)
[ "$edits" = "$RUNS_EDIT" ] || die "the edit step appended $edits lines to src/lib.rs, not $RUNS_EDIT"
for d in "$CPDIR" "$PBDIR"; do
    n=$(find "$d/dist" -maxdepth 1 -type f | wc -l)
    [ "$n" = 2 ] || die "$d/dist holds $n files after the timed builds, not the sdist and the wheel"
done
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(load_avg)

# ---------------------------------------------------------------- report
PYO3_VERSION=$(grep -A1 '^name = "pyo3"$' "$FIXTURE/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p')
export RESULTS RUNS RUNS_EDIT VERSION SAME_SDIST SAME_WHEEL WHEEL_CP WHEEL_PB WARM_COMPILED \
    BUSY_AFTER LOAD_AFTER MATURIN_VERSION BUILD_VERSION PYO3_VERSION IDLE_WAIT WAITED
write_report
