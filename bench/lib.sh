# bench/lib.sh: what the bench scripts share. Each script sources it right
# after its header comment and `set -euo pipefail`:
#     . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# It sets ROOT (this checkout), SELF (the script), BENCH (the script's name
# without .sh: its section is bench/results/$BENCH.md) and VENV, and defines
# the helpers below. A script sets IDLE_WAIT (the seconds it may wait for idle
# CPUs, in all) before it times anything.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$ROOT/bench/$(basename "${BASH_SOURCE[1]}")"
BENCH=$(basename "$SELF" .sh)
# The venv shared by the bench scripts: each adds the packages it needs.
VENV="$ROOT/target/bench-venv"

say() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'bench/%s: error: %s\n' "${SELF##*/}" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- tools
# need_tools [PACKAGE=PROGRAM...] [-- PROBE=PACKAGE...]: everything a script runs.
# - hyperfine, and each Debian PACKAGE whose PROGRAM (a name on the PATH or
#   an absolute path) is missing, installed with apt-get (root on Debian);
# - the venv at $VENV (made, with an up-to-date pip, if it has no python),
#   with each PyPI PACKAGE whose PROBE fails pip-installed: PROBE is a program
#   in the venv's bin/, or `import:MODULE`;
# - the release build of cargo-pypi (`cargo build --release`) of this
#   checkout, in the default target folder whatever the caller's environment
#   says.
# Sets PY (the venv's python), CP (cargo-pypi), CP_VERSION and HF_VERSION.
need_tools() {
    local pair probe apt=(hyperfine=hyperfine) missing=()
    say "tools"
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do apt+=("$1"); shift; done
    [ "$#" -eq 0 ] || shift
    for pair in "${apt[@]}"; do
        command -v "${pair#*=}" >/dev/null 2>&1 || missing+=("${pair%%=*}")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y "${missing[@]}"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet --upgrade pip
    fi
    PY="$VENV/bin/python"
    missing=()
    for pair in "$@"; do
        probe=${pair%%=*}
        case $probe in
            import:*) "$PY" -c "import ${probe#import:}" 2>/dev/null ;;
            *) [ -x "$VENV/bin/$probe" ] ;;
        esac || missing+=("${pair#*=}")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        "$VENV/bin/pip" install --quiet "${missing[@]}"
    fi
    (cd "$ROOT" && env -u CARGO_TARGET_DIR cargo build --release)
    CP="$ROOT/target/release/cargo-pypi"
    [ -x "$CP" ] || die "no $CP after cargo build --release"
    CP_VERSION=$("$CP" pypi --version)
    HF_VERSION=$(hyperfine --version)
}

# ---------------------------------------------------------------- inputs
# work_dir: a fresh temporary folder outside this repository in WORK, removed
# on exit, after the processes whose ids the script added to PIDS are killed.
PIDS=()
work_dir() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/cargo-pypi-bench-$BENCH.XXXXXX")
    trap cleanup EXIT
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}

# commit_all DIR MESSAGE: DIR made a git repository with one commit of all it holds.
commit_all() {
    git -C "$1" init -q
    git -C "$1" add -A
    git -C "$1" -c user.name=bench -c user.email=bench@localhost \
        -c commit.gpgsign=false commit -q -m "$2"
}

# ---------------------------------------------------------------- idle CPUs
# cpu_busy: percent of all CPU time that was busy over the next 3 seconds.
cpu_busy() {
    local a b
    read -r -a a < <(grep '^cpu ' /proc/stat)
    sleep 3
    read -r -a b < <(grep '^cpu ' /proc/stat)
    local i tot=0 idle
    for i in 1 2 3 4 5 6 7 8; do tot=$((tot + b[i] - a[i])); done
    idle=$((b[4] - a[4] + b[5] - a[5]))
    echo $(( tot > 0 ? 100 * (tot - idle) / tot : 0 ))
}
# load_avg: the load averages over 1, 5 and 15 minutes.
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
# wait_idle WHAT: other work on this shared machine skews the numbers: wait
# (from what is left of IDLE_WAIT seconds, counted in WAITED) for the CPUs to
# be at most 15% busy over 3 seconds; sets BUSY_BEFORE to the last reading and
# LOAD_BEFORE to the load average then. WHAT names what comes next.
WAITED=0
wait_idle() {
    local busy
    while busy=$(cpu_busy); [ "$busy" -gt 15 ] && [ "$WAITED" -lt "$IDLE_WAIT" ]; do
        echo "CPUs ${busy}% busy with other work; waiting for them to settle (${WAITED}s of ${IDLE_WAIT}s)" >&2
        sleep 12
        WAITED=$((WAITED + 15))
    done
    echo "CPUs ${busy}% busy before $1" >&2
    BUSY_BEFORE=$busy
    LOAD_BEFORE=$(load_avg)
}
# busy_ticks: busy CPU time of the whole machine so far, in clock ticks.
busy_ticks() {
    local a i tot=0
    read -r -a a < <(grep '^cpu ' /proc/stat)
    for i in 1 2 3 6 7 8; do tot=$((tot + a[i])); done
    echo "$tot"
}
# timed_block NAME LOG BUSY WHAT COMMAND...: one timed block: wait_idle, then
# COMMAND (a hyperfine run; WHAT says what it times) with its output in LOG
# (if it fails: the log's tail, and die), hyperfine's Time and Range lines
# printed, and in the file BUSY: the CPU reading before the block, the
# machine's busy clock ticks and the wall time in ns during it, the ticks
# that the function named by EXTRA_TICKS (if set) counts during it, and the
# load average before. The report subtracts the benchmark's own CPU time from
# the machine's busy time, to show how much went to other work.
timed_block() {
    local name=$1 log=$2 busy=$3 what=$4; shift 4
    local ticks0 ticks1 ns0 ns1 extra0=0 extra=
    wait_idle "$name"
    echo "timing $name: $what" >&2
    ticks0=$(busy_ticks)
    if [ -n "${EXTRA_TICKS:-}" ]; then extra0=$("$EXTRA_TICKS"); fi
    ns0=$(date +%s%N)
    "$@" >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "$name failed (log: $log)"; }
    ticks1=$(busy_ticks)
    if [ -n "${EXTRA_TICKS:-}" ]; then extra="$(($("$EXTRA_TICKS") - extra0)) "; fi
    ns1=$(date +%s%N)
    grep -E '^(  Time|  Range)' "$log" >&2
    printf '%s %s %s %s%s\n' "$BUSY_BEFORE" "$((ticks1 - ticks0))" "$((ns1 - ns0))" \
        "$extra" "$LOAD_BEFORE" >"$busy"
}
# in_dir DIR COMMAND...: COMMAND run in DIR.
in_dir() { (cd "$1" && shift && "$@"); }

# ---------------------------------------------------------------- report
# write_report: bench/results/$BENCH.md written by bench/report.py from the
# raw results (its section of BENCHMARKS.md: aims met or not, results, setup,
# and the Method of the script's header comment), with the variables the
# script exported and the machine's description; then BENCHMARKS.md
# assembled from all the sections.
write_report() {
    say "writing bench/results/$BENCH.md"
    CPU_MODEL=$(sed -n '/^model name/{s/^model name[[:space:]]*: //p;q}' /proc/cpuinfo)
    # shellcheck disable=SC1091
    OS_NAME=$( (. /etc/os-release && echo "${PRETTY_NAME:-$NAME}") 2>/dev/null || uname -s)
    NPROC=$(nproc)
    KERNEL=$(uname -r)
    RUSTC_VERSION=$(rustc --version 2>/dev/null || echo unknown)
    PY_VERSION=$("$PY" --version 2>&1)
    DATE_UTC=$(date -u '+%Y-%m-%d %H:%M UTC')
    export CP_VERSION HF_VERSION CPU_MODEL OS_NAME NPROC KERNEL RUSTC_VERSION PY_VERSION DATE_UTC
    mkdir -p "$ROOT/bench/results"
    python3 "$ROOT/bench/report.py" "$BENCH" "$SELF" "$ROOT/bench/results/$BENCH.md"
    bash "$ROOT/bench/assemble.sh"
    say "done: $ROOT/BENCHMARKS.md"
}
