#!/usr/bin/env bash
# bench/publish.sh: `cargo pypi publish` against twine, uv and maturin upload,
# same files, same local index, one run.
#
# Usage: bash bench/publish.sh        (from any directory; root on Debian)
#   env RUNS (default 5) sets hyperfine's --runs for the 90 MB wheel and the
#   twenty wheels, RUNS_BIG (default 3) for the 300 MiB wheel; IDLE_WAIT
#   (default 600) caps the total wait for an idle machine, in seconds
#   (IDLE_WAIT=0: no waiting; how busy the CPUs were is still recorded).
#   It takes about 7 minutes on 2 idle cores, plus the release build of
#   cargo-pypi and any waiting. The helpers it shares with the other bench
#   scripts are in bench/lib.sh, the report writer in bench/report.py.
#
# Method
# - Index: pypiserver (latest from PyPI) on 127.0.0.1, started once by the
#   script as `pypi-server run -p PORT -i 127.0.0.1 -a update -P HTPASSWD
#   --disable-fallback --server wsgiref --hash-algo sha256 PACKAGES`: only
#   uploads need the password (an htpasswd file written with passlib), no
#   request is redirected to pypi.org, and its simple pages give each file's
#   sha256, as PyPI's do. pypiserver reads PACKAGES on every request (no cache
#   without watchdog, which is not installed): before every run, warm-up runs
#   included, hyperfine's --prepare step empties PACKAGES, so every run uploads
#   every file to an empty index and no tool can skip a file. The script checks
#   that an emptied folder makes the project unknown to the index (404).
# - Input, written by a Python step (stdlib) into a temporary folder: valid
#   wheels with METADATA (Metadata-Version 2.1, a Markdown description),
#   WHEEL, an `__init__.py`, one data file of random bytes (os.urandom, so
#   nothing compresses) stored uncompressed, and a RECORD with every sha256
#   and size. `cargo-pypi pypi check-dist` and `twine check` run on each
#   before any timing.
#   1. One 300 MiB wheel (`bench_publish_big-1.0.0-py3-none-any.whl`).
#   2. One wheel of 90 MB (`bench_publish_limit-…`), the size issue 11's
#      CPU aim names, under PyPI's default upload limit of 100 MiB (which
#      `cargo pypi publish` applies to PyPI and TestPyPI only).
#   3. Twenty 2 MiB wheels of one release, as a real one looks: project
#      `bench-publish-many` 1.0.0, the same files but for the platform tag
#      (py3-none-manylinux_2_17_{x86_64,aarch64,i686,armv7l,ppc64le,s390x},
#      …manylinux_2_28_{x86_64,aarch64}, …musllinux_1_2_{x86_64,aarch64,i686,
#      armv7l,ppc64le,s390x}, …macosx_10_12_x86_64, …macosx_11_0_arm64,
#      …macosx_10_12_universal2, …win_amd64, …win32, …win_arm64), each with
#      its own random data.
# - Commands, each given the files on the command line and the credentials:
#   - `cargo-pypi pypi publish --repository-url URL --yes FILES`, with
#     TWINE_USERNAME/TWINE_PASSWORD in the environment. It does more than the
#     peers: it runs check-dist on every file first (reading each whole once,
#     which also gives the sha256 the upload sends), reads the project's simple
#     page to skip files already there (beside a probe of the index's root),
#     then uploads (one wheel alone, the other wheels up to 8 at a time as
#     their sizes allow, any sdist last), and afterwards
#     reads the simple page again until every file is listed with its sha256
#     (`--wait`, default 120 s: pypiserver lists a file as soon as its upload
#     is answered, so that is one more GET; `--wait 0` also makes that one GET,
#     so it is not timed separately).
#   - `twine upload --repository-url URL -u USER -p PASS --disable-progress-bar
#     --non-interactive FILES` (one POST per file, one after the other).
#   - `uv publish --publish-url URL -u USER -p PASS --trusted-publishing never
#     FILES` (no --check-url: it does not read the index; one POST per file).
#   - `maturin upload --repository-url URL -u USER -p PASS --non-interactive
#     FILES` (deprecated but present; one POST per file).
#   All four accept a plain-http index on 127.0.0.1.
# - Measurement 1 (one large wheel, straight to pypiserver): client CPU time
#   (user + system) and peak memory (maximum resident set size), both from
#   GNU time (`/usr/bin/time -f %e_%U_%S_%M` around each run, one line per
#   run), and wall time from hyperfine; hyperfine `-N --warmup 1`, RUNS_BIG
#   runs on the 300 MiB wheel, RUNS runs on the 90 MB one. If check-dist
#   refuses the 300 MiB wheel, cargo-pypi is run on it once, untimed by
#   hyperfine, to record its message, CPU time and peak memory until it stops.
#   For reference, `cargo-pypi pypi check-dist FILE` and `cargo-pypi pypi
#   publish --dry-run …` (check, hash and read the index; no upload) are
#   timed the same way on the 90 MB wheel, to show where cargo-pypi's time
#   and memory go. The aim ("on the 90 MB wheel, CPU, check included, at
#   most 1.5x maturin upload's; peak memory under 16 MB") is judged on
#   medians; MB here is 10^6 bytes.
# - Measurement 2 (twenty wheels, slow index): bench/fault_proxy.py (Python
#   stdlib) listens in front of pypiserver and, for every request, reads it
#   whole, sleeps 0.5 s, then forwards it: each request takes at least 0.5 s,
#   and parallel requests wait in parallel. Wall time from hyperfine
#   (`-N --warmup 1`, RUNS runs), CPU time from GNU time. The proxy logs every
#   request; the script checks that each run sent one POST per file, all
#   answered 200, and reports each tool's requests per run. For reference,
#   cargo-pypi is also timed with `--jobs 4` (the former default; by default
#   it now sends up to 8 small files at once). The aim: cargo-pypi's median
#   under a third of twine's, with default settings.
# - After each block the script checks that the index holds exactly the files
#   given, byte for byte (sha256), so every timed run really uploaded them.
#   The files are read from the page cache (the same for every tool; each
#   is read once untimed before the timing), and written by pypiserver to the
#   same disk.
# - cargo-pypi is the release build (`cargo build --release`) of this checkout;
#   twine, uv (the PyPI package, which ships uv's binary), maturin, pypiserver
#   and passlib are the latest from PyPI, in the venv at target/bench-venv
#   (shared with the other bench scripts).
# - The machine has 2 cores shared with other work: before each timed block
#   the script waits (IDLE_WAIT seconds in all, default 600) for the CPUs to be
#   at most 15% busy over 3 seconds, and records how busy they were then and,
#   during the block, how much CPU time went to anything but the benchmark (the
#   machine's busy time from /proc/stat minus the clients' CPU time from GNU
#   time and pypiserver's and the proxy's from /proc/PID/stat). Peak memory
#   does not depend on a neighbour's load, wall times do, and so does the CPU
#   time of clients that hand the request body from one thread to another
#   (cargo-pypi, uv): on an idle machine the two threads run on different
#   cores and every hand-off is a wake-up, which costs CPU time; on a busy one
#   there are fewer (cargo-pypi, by hand on a 99.9 MiB wheel: about 1.1 s
#   idle, 0.5 s busy or pinned to one core with taskset).
# - A short Python step (stdlib only) reads the results (raw files in
#   target/bench/publish-*) and writes this section, including whether each
#   aim is met, computed from the numbers.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROXY_PY="$ROOT/bench/fault_proxy.py"
RESULTS="$ROOT/target/bench"
RUNS=${RUNS:-5}
RUNS_BIG=${RUNS_BIG:-3}
IDLE_WAIT=${IDLE_WAIT:-600}
DELAY=0.5
JOBS_MORE=4
BIG_SIZE=$((300 * 1024 * 1024))                  # payload of the 300 MiB wheel
LIMIT_SIZE=$((90 * 1000 * 1000 - 2 * 1024))      # the wheel is about 90 MB
SMALL_SIZE=$((2 * 1024 * 1024))
USER_NAME=bench
USER_PASS=bench-publish-secret

# ---------------------------------------------------------------- tools
# The venv is shared with the other bench scripts: add what this one needs.
need_tools time=/usr/bin/time -- twine=twine uv=uv maturin=maturin pypi-server=pypiserver \
    import:passlib=passlib
TWINE="$VENV/bin/twine"
UV="$VENV/bin/uv"
MATURIN="$VENV/bin/maturin"
TWINE_VERSION=$("$TWINE" --version | head -n 1 | sed 's/ (.*//')
UV_VERSION=$("$UV" --version | cut -d' ' -f1-2)
MATURIN_VERSION=$("$MATURIN" --version)
PYPISERVER_VERSION="pypiserver $("$VENV/bin/pypi-server" --version)"
TIME_VERSION="GNU time $(dpkg-query -W -f '${Version}' time 2>/dev/null || echo unknown)"
echo "$CP_VERSION | $TWINE_VERSION | $UV_VERSION | $MATURIN_VERSION | $PYPISERVER_VERSION | $HF_VERSION | $TIME_VERSION" >&2

# ---------------------------------------------------------------- inputs
work_dir

say "inputs: writing the wheels"
mkdir -p "$WORK/big" "$WORK/limit" "$WORK/many"
"$PY" - "$WORK" "$BIG_SIZE" "$LIMIT_SIZE" "$SMALL_SIZE" <<'PY'
import base64, hashlib, os, sys, zipfile

work, big, limit, small = sys.argv[1], *map(int, sys.argv[2:])

def b64(digest):
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

def make_wheel(out_dir, dist, version, tag, size, purelib):
    pkg = dist.replace("-", "_")
    info = f"{pkg}-{version}.dist-info"
    path = os.path.join(out_dir, f"{pkg}-{version}-{tag}.whl")
    metadata = (
        "Metadata-Version: 2.1\n"
        f"Name: {dist}\n"
        f"Version: {version}\n"
        "Summary: Benchmark payload for cargo pypi publish\n"
        "License: MIT\n"
        "Requires-Python: >=3.8\n"
        "Description-Content-Type: text/markdown\n"
        "\n"
        f"# {dist}\n\nA wheel written by `bench/publish.sh`: one data file of random bytes.\n"
    ).encode()
    wheel = (
        "Wheel-Version: 1.0\n"
        "Generator: cargo-pypi-bench (1.0)\n"
        f"Root-Is-Purelib: {'true' if purelib else 'false'}\n"
        f"Tag: {tag}\n"
    ).encode()
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        def add(arcname, data):
            z.writestr(arcname, data)
            record.append(f"{arcname},sha256={b64(hashlib.sha256(data).digest())},{len(data)}")
        add(f"{pkg}/__init__.py", b'"""Benchmark payload."""\n')
        h, n = hashlib.sha256(), 0
        with z.open(f"{pkg}/payload.bin", "w", force_zip64=size >= 2**31) as f:
            while n < size:
                chunk = os.urandom(min(1 << 20, size - n))
                f.write(chunk)
                h.update(chunk)
                n += len(chunk)
        record.append(f"{pkg}/payload.bin,sha256={b64(h.digest())},{n}")
        add(f"{info}/METADATA", metadata)
        add(f"{info}/WHEEL", wheel)
        record.append(f"{info}/RECORD,,")
        z.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return path

make_wheel(os.path.join(work, "big"), "bench-publish-big", "1.0.0", "py3-none-any", big, True)
make_wheel(os.path.join(work, "limit"), "bench-publish-limit", "1.0.0", "py3-none-any", limit, True)
platforms = [f"manylinux_2_17_{a}" for a in ("x86_64", "aarch64", "i686", "armv7l", "ppc64le", "s390x")]
platforms += [f"manylinux_2_28_{a}" for a in ("x86_64", "aarch64")]
platforms += [f"musllinux_1_2_{a}" for a in ("x86_64", "aarch64", "i686", "armv7l", "ppc64le", "s390x")]
platforms += ["macosx_10_12_x86_64", "macosx_11_0_arm64", "macosx_10_12_universal2",
              "win_amd64", "win32", "win_arm64"]
assert len(platforms) == 20
for p in platforms:
    make_wheel(os.path.join(work, "many"), "bench-publish-many", "1.0.0", f"py3-none-{p}", small, False)
PY
BIG=("$WORK"/big/*.whl)
LIMIT=("$WORK"/limit/*.whl)
MANY=("$WORK"/many/*.whl)
if [ "${#BIG[@]}" != 1 ] || [ "${#LIMIT[@]}" != 1 ] || [ "${#MANY[@]}" != 20 ]; then
    die "the wheels were not all written"
fi
BIG_BYTES=$(stat -c %s "${BIG[0]}")
LIMIT_BYTES=$(stat -c %s "${LIMIT[0]}")
MANY_BYTES=$(stat -c %s "${MANY[0]}")
[ "$LIMIT_BYTES" -lt $((100 * 1024 * 1024)) ] || die "the 'limit' wheel is not under 100 MiB ($LIMIT_BYTES bytes)"
# shellcheck disable=SC2012 # a listing to read, of names the script chose
ls -l "${BIG[@]}" "${LIMIT[@]}" "${MANY[@]}" | sed 's/^/    /' >&2

say "verify: the wheels are valid"
rm -f "$RESULTS"/publish-*
mkdir -p "$RESULTS"
"$CP" pypi check-dist "${LIMIT[@]}" >&2 || die "cargo-pypi pypi check-dist fails on ${LIMIT[0]}"
"$CP" pypi check-dist "${MANY[@]}" >&2 || die "cargo-pypi pypi check-dist fails on the twenty wheels"
"$TWINE" check "${BIG[@]}" "${LIMIT[@]}" "${MANY[@]}" >&2 || die "twine check fails on the wheels"
# The 300 MiB wheel: cargo-pypi may refuse it for its size, and for nothing else.
if "$CP" pypi check-dist --format json "${BIG[@]}" >"$RESULTS/publish-big-check-dist.json"; then
    CP_TAKES_BIG=yes
else
    CP_TAKES_BIG=no
    "$PY" - "$RESULTS/publish-big-check-dist.json" <<'PY' || die "cargo-pypi pypi check-dist finds more than the file size wrong in the 300 MiB wheel"
import json, sys
report = json.load(open(sys.argv[1]))
errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
print("cargo-pypi pypi check-dist on the 300 MiB wheel:", file=sys.stderr)
for d in report["diagnostics"]:
    print(f"    {d['severity']}[{d['rule']}]: {d['message']}", file=sys.stderr)
sys.exit(0 if errors and all(d["rule"] == "file-too-large" for d in errors) else 1)
PY
    # `cargo pypi publish` applies PyPI's 100 MiB limit to PyPI and TestPyPI only;
    # this benchmark's index is a local pypiserver, so publish takes the wheel.
    CP_TAKES_BIG=yes
fi
echo "cargo-pypi accepts the 300 MiB wheel: $CP_TAKES_BIG" >&2

# ---------------------------------------------------------------- index
say "index: pypiserver and the slow proxy"
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PKG="$WORK/packages"
mkdir -p "$PKG"
"$PY" - "$WORK/htpasswd" "$USER_NAME" "$USER_PASS" <<'PY'
import sys
from passlib.apache import HtpasswdFile
h = HtpasswdFile(sys.argv[1], new=True)
h.set_password(sys.argv[2], sys.argv[3])
h.save()
PY
SERVER_PORT=$(free_port)
"$VENV/bin/pypi-server" run -p "$SERVER_PORT" -i 127.0.0.1 -a update -P "$WORK/htpasswd" \
    --disable-fallback --server wsgiref --hash-algo sha256 "$PKG" \
    >"$RESULTS/publish-pypiserver.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
PROXY_PORT=$(free_port)
PROXY_LOG="$RESULTS/publish-proxy.log"
: >"$PROXY_LOG"
"$PY" "$PROXY_PY" "$PROXY_PORT" "$SERVER_PORT" "$DELAY" "$PROXY_LOG" \
    >"$RESULTS/publish-proxy.out" 2>&1 &
PROXY_PID=$!
PIDS+=("$PROXY_PID")
# http_status URL: the HTTP status of a GET (0 if there is no answer).
http_status() {
    "$PY" - "$1" <<'PY'
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=10).status)
except urllib.error.HTTPError as e:
    print(e.code)
except OSError:
    print(0)
PY
}
DIRECT="http://127.0.0.1:$SERVER_PORT/"
SLOW="http://127.0.0.1:$PROXY_PORT/"
for _ in $(seq 60); do
    [ "$(http_status "${DIRECT}simple/")" = 200 ] && [ "$(http_status "${SLOW}simple/")" = 200 ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "pypi-server exited: $(tail -n 5 "$RESULTS/publish-pypiserver.log")"
    kill -0 "$PROXY_PID" 2>/dev/null || die "the proxy exited: $(tail -n 5 "$RESULTS/publish-proxy.out")"
    sleep 0.5
done
[ "$(http_status "${DIRECT}simple/")" = 200 ] || die "pypi-server does not answer on $DIRECT"
[ "$(http_status "${SLOW}simple/")" = 200 ] || die "the proxy does not answer on $SLOW"
echo "pypiserver on $DIRECT, the proxy ($DELAY s per request) on $SLOW" >&2

export TWINE_USERNAME="$USER_NAME" TWINE_PASSWORD="$USER_PASS"
# The commands, each followed by the files. TOOL_CMD NAME URL.
tool_cmd() {
    case $1 in
        cargo-pypi) echo "$CP pypi publish --repository-url $2 --yes" ;;
        "cargo-pypi-jobs$JOBS_MORE") echo "$CP pypi publish --repository-url $2 --yes --jobs $JOBS_MORE" ;;
        cargo-pypi-dry-run) echo "$CP pypi publish --repository-url $2 --yes --dry-run" ;;
        cargo-pypi-check-dist) echo "$CP pypi check-dist" ;;
        twine) echo "$TWINE upload --repository-url $2 -u $USER_NAME -p $USER_PASS --disable-progress-bar --non-interactive" ;;
        uv) echo "$UV publish --publish-url $2 -u $USER_NAME -p $USER_PASS --trusted-publishing never" ;;
        maturin) echo "$MATURIN upload --repository-url $2 -u $USER_NAME -p $USER_PASS --non-interactive" ;;
        *) die "unknown tool $1" ;;
    esac
}
# Before every run: an empty index, and a mark in the proxy's log.
cat >"$WORK/prepare.sh" <<EOF
rm -f "$PKG"/*
echo "--- run" >>"$PROXY_LOG"
EOF
PREPARE="sh $WORK/prepare.sh"

# check_index NAME FILES...: the index holds exactly FILES, byte for byte.
check_index() {
    local name=$1; shift
    "$PY" - "$PKG" "$@" <<'PY' || die "after $name the index does not hold the files given (see above)"
import hashlib, os, sys
pkg, files = sys.argv[1], sys.argv[2:]
def sha(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()
held = sorted(os.listdir(pkg))
want = sorted(os.path.basename(f) for f in files)
if held != want:
    print(f"the index holds {held}, not {want}", file=sys.stderr)
    sys.exit(1)
bad = [os.path.basename(f) for f in files if sha(f) != sha(os.path.join(pkg, os.path.basename(f)))]
if bad:
    print(f"the index holds other bytes for {bad}", file=sys.stderr)
    sys.exit(1)
PY
}

say "verify: each tool uploads to an emptied index"
sh "$WORK/prepare.sh"
[ "$(http_status "${DIRECT}simple/bench-publish-many/")" = 404 ] || die "an empty packages folder still lists bench-publish-many"
for tool in cargo-pypi twine uv maturin; do
    sh "$WORK/prepare.sh"
    # shellcheck disable=SC2046
    $(tool_cmd "$tool" "$DIRECT") "${MANY[@]:0:2}" >"$RESULTS/publish-verify-$tool.log" 2>&1 \
        || { tail -n 20 "$RESULTS/publish-verify-$tool.log" >&2; die "$tool could not upload to pypiserver"; }
    check_index "$tool" "${MANY[@]:0:2}"
    [ "$(http_status "${DIRECT}simple/bench-publish-many/")" = 200 ] || die "the index does not list what $tool uploaded"
    echo "$tool uploaded two wheels to $DIRECT" >&2
done
sh "$WORK/prepare.sh"
[ "$(http_status "${DIRECT}simple/bench-publish-many/")" = 404 ] || die "emptying the packages folder does not empty the index"
echo "emptying the packages folder empties the index (404 for the project)" >&2
: >"$PROXY_LOG"

# ---------------------------------------------------------------- helpers
# index_ticks: CPU time of pypiserver and the proxy so far, in clock ticks.
index_ticks() {
    local pid tot=0 f
    for pid in "$SERVER_PID" "$PROXY_PID"; do
        read -r -a f < <(sed 's/^.*) //' "/proc/$pid/stat")
        tot=$((tot + f[11] + f[12]))
    done
    echo "$tot"
}
# The index's CPU time is the benchmark's too: timed_block records it apart.
EXTRA_TICKS=index_ticks
# bench NAME RUNS URL FILES...: one hyperfine block, an empty index before each
# run; wall times in $RESULTS/publish-NAME.json, GNU time's `wall user system
# maxrss_kb` per run (warm-up first) in publish-NAME.time, output in .log.
bench() {
    local name=$1 runs=$2 url=$3; shift 3
    local tool=${name#*-}
    local timef="$RESULTS/publish-$name.time"
    local cmd
    cmd="/usr/bin/time -a -o $timef -f %e_%U_%S_%M $(tool_cmd "$tool" "$url") $*"
    local args=(-N --warmup 1 --runs "$runs" --style basic --output inherit
        --prepare "$PREPARE" --command-name "$name" --export-json "$RESULTS/publish-$name.json")
    : >"$timef"
    printf '=== %s\n' "$name" >>"$PROXY_LOG"
    timed_block "$name" "$RESULTS/publish-$name.log" "$RESULTS/publish-$name.busy.txt" \
        "$(tool_cmd "$tool" "$url") <$# files> (${runs} runs)" hyperfine "${args[@]}" "$cmd"
    case $tool in
        cargo-pypi-dry-run) [ -z "$(ls -A "$PKG")" ] || die "$name uploaded something" ;;
        cargo-pypi-check-dist) ;;
        *) check_index "$name" "$@" ;;
    esac
}

# ---------------------------------------------------------------- measurement 1
say "measurement 1: one large wheel, straight to pypiserver (keep the machine otherwise idle)"
# Read every file once, so that every tool finds them in the page cache.
cat "${BIG[@]}" "${LIMIT[@]}" "${MANY[@]}" >/dev/null
BIG_TOOLS="twine uv maturin"
if [ "$CP_TAKES_BIG" = yes ]; then
    BIG_TOOLS="cargo-pypi $BIG_TOOLS"
else
    # One run, to record what it says and what it cost until it stopped.
    sh "$WORK/prepare.sh"
    set +e
    # shellcheck disable=SC2046
    /usr/bin/time -o "$RESULTS/publish-big-cargo-pypi-refused.time" -f %e_%U_%S_%M \
        $(tool_cmd cargo-pypi "$DIRECT") "${BIG[@]}" >"$RESULTS/publish-big-cargo-pypi-refused.log" 2>&1
    status=$?
    set -e
    [ "$status" != 0 ] || die "cargo-pypi uploaded the 300 MiB wheel that its check-dist refuses"
    grep -q 'file-too-large' "$RESULTS/publish-big-cargo-pypi-refused.log" \
        || die "cargo-pypi failed on the 300 MiB wheel for another reason than its size (see $RESULTS/publish-big-cargo-pypi-refused.log)"
    [ -z "$(ls -A "$PKG")" ] || die "cargo-pypi refused the 300 MiB wheel but uploaded something"
    echo "cargo-pypi refuses the 300 MiB wheel (exit status $status):" >&2
    sed 's/^/    /' "$RESULTS/publish-big-cargo-pypi-refused.log" >&2
fi
for tool in cargo-pypi twine uv maturin cargo-pypi-dry-run cargo-pypi-check-dist; do
    bench "limit-$tool" "$RUNS" "$DIRECT" "${LIMIT[@]}"
done
for tool in $BIG_TOOLS; do
    bench "big-$tool" "$RUNS_BIG" "$DIRECT" "${BIG[@]}"
done

# ---------------------------------------------------------------- measurement 2
say "measurement 2: twenty wheels to an index that takes $DELAY s per request (keep the machine otherwise idle)"
for tool in cargo-pypi twine uv maturin "cargo-pypi-jobs$JOBS_MORE"; do
    bench "many-$tool" "$RUNS" "$SLOW" "${MANY[@]}"
done
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(load_avg)

# ---------------------------------------------------------------- report
export RESULTS RUNS RUNS_BIG DELAY JOBS_MORE CP_TAKES_BIG BIG_BYTES LIMIT_BYTES MANY_BYTES \
    BUSY_AFTER LOAD_AFTER TWINE_VERSION UV_VERSION MATURIN_VERSION PYPISERVER_VERSION \
    TIME_VERSION IDLE_WAIT WAITED PROXY_LOG
write_report
