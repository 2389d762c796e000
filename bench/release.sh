#!/usr/bin/env bash
# bench/release.sh: `cargo pypi release` against the same release done by
# hand with the peers (bump-my-version, twine, pip, git), same project, same
# local indexes and remote, one run.
#
# Usage: bash bench/release.sh        (from any directory; root on Debian)
#   env RUNS (default 5) sets hyperfine's --runs of the full releases, RUNS_DRY
#   (default 10) those of the dry runs; IDLE_WAIT (default 600) caps the
#   total wait for an idle machine, in seconds. The helpers it shares with
#   the other bench scripts are in bench/lib.sh, the report writer in
#   bench/report.py.
#
# Method
# - Input: a copy of fixtures/bin-bindings (bintool 0.2.0: a Rust command-line
#   tool shipped as a maturin `bindings = "bin"` wheel; its version is in
#   Cargo.toml, Cargo.lock and VERSION, and pyproject.toml's is dynamic) in a
#   git repository with one commit, whose `origin` is a local bare repository
#   (the branch pushed and tracked). Two pypiservers on 127.0.0.1 (latest from
#   PyPI, `-a . -P .`: any login, `--hash-algo sha256`) are the staging and
#   production indexes; the project's pyproject.toml names them in
#   `[tool.cargo-pypi.repositories]` and `[tool.cargo-pypi.release]`.
# - The build is left out: both sides take the same sdist and wheel of
#   bintool 0.2.1, built once before timing by `cargo pypi build` on another
#   copy bumped to 0.2.1 (cargo-pypi through `release --dist DIR`, the peers by
#   copying them into dist/). What is timed is every other step of a release.
# - Full release, each run from the same start (hyperfine's --prepare puts
#   back a fresh copy of the repository and of the bare remote, and empties
#   both indexes' package folders):
#   - cargo-pypi: `cargo-pypi pypi release patch --yes --dist PREBUILT`: the
#     preflight (clean tree, branch, git fetch and not behind, the tag absent
#     here and on the remote, lockstep, credentials, the version on neither
#     index), bump and commit, check-dist of both files, staging upload
#     (wheel first, the sdist last) and the wait for the index to list both
#     with their sha256, an install of bintool==0.2.1 from staging into a
#     fresh venv, the same for production, the annotated tag, `git push
#     --atomic` of the branch and the tag; the GitHub release is skipped (no
#     repository).
#   - by hand, a bash script of the runbook's commands: `bump-my-version bump
#     patch --commit` (its .bumpversion.toml names Cargo.toml, Cargo.lock and
#     VERSION, the files cargo-pypi finds by itself; the config file is
#     committed with the project), the files copied into dist/, `twine check`,
#     `twine upload` to staging, `python -m venv` + `pip install
#     bintool==0.2.1` from staging + `bintool --version`, the same for
#     production, `git tag -a`, `git push --atomic origin main v0.2.1`. It
#     checks nothing before it starts and does not wait for the index to
#     list the files (pypiserver lists them at once).
#   - by hand, lean: the same script with the environments made as
#     cargo-pypi makes them (`python -m venv --without-pip`, then `python -m
#     pip --python ENV/bin/python install`), which takes ensurepip's seconds
#     out of the comparison: what is left is the steps themselves.
# - Dry run (nothing written, nothing sent):
#   - cargo-pypi: `cargo-pypi pypi release patch --dry-run`: the whole
#     preflight above (git fetch and the remote's tags included, both
#     indexes read) and the plan with the diff of every file.
#   - by hand: `bump-my-version bump patch --dry-run -v`, `git fetch origin`,
#     `git ls-remote --tags origin`: the nearest the peers have; they do not
#     read the indexes or check credentials.
# - Before timing, each side does one full release, and the script checks the
#   outcome is the same: both indexes hold the two files, the remote has the
#   tag v0.2.1 on a commit whose tree has 0.2.1 in the three files.
# - Timing: hyperfine `--runs` RUNS (full) and RUNS_DRY (dry run), one warm-up
#   run, commands through bash (both sides), verify-install's Python the
#   bench venv's for both. The machine has 2 cores shared with other work:
#   the script waits (up to IDLE_WAIT seconds) for the CPUs to be at most
#   15% busy before each block and records how busy they were.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FIXTURE="$ROOT/fixtures/bin-bindings"
RESULTS="$ROOT/target/bench/release"
RUNS=${RUNS:-5}
RUNS_DRY=${RUNS_DRY:-10}
IDLE_WAIT=${IDLE_WAIT:-600}

need_tools -- bump-my-version=bump-my-version twine=twine pypi-server=pypiserver \
    maturin=maturin import:passlib=passlib
BMV_VERSION=$("$VENV/bin/bump-my-version" --version)
TWINE_VERSION=$("$VENV/bin/twine" --version | head -n 1)
PYPISERVER_VERSION="pypiserver $("$VENV/bin/pypi-server" --version)"
GIT_VERSION=$(git --version)
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*
work_dir
export PATH="$VENV/bin:$PATH" CARGO_PYPI_PYTHON="$PY"
export TWINE_USERNAME=bench TWINE_PASSWORD=bench
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$WORK/gitconfig"
printf '[user]\n\tname = bench\n\temail = bench@localhost\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n' >"$GIT_CONFIG_GLOBAL"
unset GITHUB_REPOSITORY GITHUB_TOKEN GH_TOKEN

# ---------------------------------------------------------------- indexes
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# start_index NAME: a pypiserver serving $WORK/NAME; sets PORT (not in a
# subshell, so that its process id reaches PIDS and the cleanup).
start_index() {
    local name=$1
    PORT=$(free_port)
    mkdir -p "$WORK/$name"
    "$VENV/bin/pypi-server" run -p "$PORT" -i 127.0.0.1 -a . -P . --disable-fallback \
        --server wsgiref --hash-algo sha256 "$WORK/$name" >"$RESULTS/$name.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 150); do
        "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/simple/', timeout=1)" \
            2>/dev/null && return
        sleep 0.2
    done
    die "pypiserver $name did not start: $(tail -n 5 "$RESULTS/$name.log")"
}
start_index staging
STAGING=$PORT
start_index production
PRODUCTION=$PORT

# ---------------------------------------------------------------- inputs
say "inputs"
T="$WORK/template"
cp -R "$FIXTURE" "$T"
cat >>"$T/pyproject.toml" <<TOML

[tool.cargo-pypi.repositories.staging]
upload-url = "http://127.0.0.1:$STAGING/"
index-url = "http://127.0.0.1:$STAGING/simple/"

[tool.cargo-pypi.repositories.production]
upload-url = "http://127.0.0.1:$PRODUCTION/"
index-url = "http://127.0.0.1:$PRODUCTION/simple/"

[tool.cargo-pypi.release]
staging = "staging"
repository = "production"
TOML
cat >"$T/.bumpversion.toml" <<'TOML'
# bump-my-version: the files cargo-pypi finds by itself.
[tool.bumpversion]
current_version = "0.2.0"
commit = true
tag = false
message = "release {new_version}"

[[tool.bumpversion.files]]
filename = "Cargo.toml"
search = """
name = "bintool"
version = "{current_version}""""
replace = """
name = "bintool"
version = "{new_version}""""

[[tool.bumpversion.files]]
filename = "Cargo.lock"
search = """
name = "bintool"
version = "{current_version}""""
replace = """
name = "bintool"
version = "{new_version}""""

[[tool.bumpversion.files]]
filename = "VERSION"
TOML
printf '/target/\n/dist/\n/venv-*/\n' >"$T/.gitignore"
git -C "$T" init -q -b main
git -C "$T" add -A
git -C "$T" commit -q -m "bintool 0.2.0"
git init -q --bare -b main "$WORK/remote-template.git"
git -C "$T" remote add origin "$WORK/remote.git"
cp -R "$WORK/remote-template.git" "$WORK/remote.git"
git -C "$T" push -q -u origin main
rm -rf "$WORK/remote-template.git"
cp -R "$WORK/remote.git" "$WORK/remote-template.git"

# The 0.2.1 artifacts, built once on a bumped copy.
cp -R "$T" "$WORK/build"
(cd "$WORK/build" && "$CP" pypi bump patch --no-commit --no-tag --quiet \
    && env -u CARGO_TARGET_DIR "$CP" pypi build --quiet)
mkdir "$WORK/prebuilt"
cp "$WORK/build"/dist/bintool-0.2.1* "$WORK/prebuilt/"
[ "$(ls "$WORK/prebuilt" | wc -l)" = 2 ] || die "expected an sdist and a wheel: $(ls "$WORK/prebuilt")"
WHEEL=$(cd "$WORK/prebuilt" && ls ./*.whl)
WHEEL=${WHEEL#./}

cat >"$WORK/reset.sh" <<SH
set -e
rm -rf "$WORK/run" "$WORK/remote.git"
cp -R "$T" "$WORK/run"
cp -R "$WORK/remote-template.git" "$WORK/remote.git"
rm -f "$WORK/staging/"* "$WORK/production/"*
SH
cat >"$WORK/ours.sh" <<SH
cd "$WORK/run" && "$CP" pypi release patch --yes --dist "$WORK/prebuilt"
SH
cat >"$WORK/ours-dry.sh" <<SH
cd "$WORK/run" && "$CP" pypi release patch --dry-run
SH
cat >"$WORK/by-hand.sh" <<SH
set -euo pipefail
cd "$WORK/run"
bump-my-version bump patch
mkdir -p dist && cp "$WORK/prebuilt/"* dist/
twine check dist/*
for port in $STAGING $PRODUCTION; do
    twine upload --repository-url "http://127.0.0.1:\$port/" --non-interactive \
        --disable-progress-bar dist/*.whl dist/*.tar.gz
    rm -rf "venv-\$port"
    "$PY" -m venv "venv-\$port"
    "venv-\$port/bin/pip" install --quiet --disable-pip-version-check \
        --index-url "http://127.0.0.1:\$port/simple/" bintool==0.2.1
    "venv-\$port/bin/bintool" --version
done
git tag -a v0.2.1 -m "release 0.2.1"
git push -q --atomic origin main v0.2.1
SH
sed -e "s|\"$PY\" -m venv \"venv-|\"$PY\" -m venv --without-pip \"venv-|" \
    -e "s|\"venv-\\\$port/bin/pip\" install|\"$PY\" -m pip --python \"venv-\\\$port/bin/python\" install|" \
    "$WORK/by-hand.sh" >"$WORK/by-hand-lean.sh"
grep -q -- '--without-pip' "$WORK/by-hand-lean.sh" && grep -q -- '--python' "$WORK/by-hand-lean.sh" \
    || die "by-hand-lean.sh: the environments are not the lean ones"
cat >"$WORK/by-hand-dry.sh" <<SH
set -euo pipefail
cd "$WORK/run"
bump-my-version bump patch --dry-run -v
git fetch -q origin
git ls-remote --tags origin
SH

# ---------------------------------------------------------------- verify
say "verify: both sides release 0.2.1"
check_released() {
    local who=$1 f
    for f in staging production; do
        [ "$(ls "$WORK/$f" | sort | tr '\n' ' ')" = "$(ls "$WORK/prebuilt" | sort | tr '\n' ' ')" ] \
            || die "$who: $f holds $(ls "$WORK/$f")"
    done
    git -C "$WORK/remote.git" rev-parse -q --verify refs/tags/v0.2.1 >/dev/null \
        || die "$who: no v0.2.1 on the remote"
    for f in Cargo.toml Cargo.lock VERSION; do
        git -C "$WORK/remote.git" show "v0.2.1:$f" | grep -q '0\.2\.1' \
            || die "$who: $f at v0.2.1 does not hold 0.2.1"
    done
    [ "$(git -C "$WORK/run" status --porcelain)" = "" ] || die "$who: the tree is not clean"
    echo "$who: both indexes hold $(ls "$WORK/production" | tr '\n' ' '); v0.2.1 on the remote" >&2
}
bash "$WORK/reset.sh"
bash "$WORK/ours.sh" >"$RESULTS/verify-ours.log" 2>&1 || { tail -n 30 "$RESULTS/verify-ours.log"; die "cargo-pypi's release failed"; }
check_released cargo-pypi
bash "$WORK/reset.sh"
bash "$WORK/by-hand.sh" >"$RESULTS/verify-by-hand.log" 2>&1 || { tail -n 30 "$RESULTS/verify-by-hand.log"; die "the release by hand failed"; }
check_released "by hand"
bash "$WORK/reset.sh"
bash "$WORK/by-hand-lean.sh" >"$RESULTS/verify-by-hand-lean.log" 2>&1 || { tail -n 30 "$RESULTS/verify-by-hand-lean.log"; die "the lean release by hand failed"; }
check_released "by hand, lean"
bash "$WORK/reset.sh"
bash "$WORK/ours-dry.sh" >"$RESULTS/verify-ours-dry.log" 2>&1 || die "cargo-pypi's dry run failed"
bash "$WORK/by-hand-dry.sh" >"$RESULTS/verify-by-hand-dry.log" 2>&1 || die "the dry run by hand failed"
[ "$(git -C "$WORK/run" status --porcelain)" = "" ] || die "a dry run changed the tree"

# ---------------------------------------------------------------- timing
say "timing"
for side in ours by-hand by-hand-lean; do
    timed_block "release-$side" "$RESULTS/release-$side.log" "$RESULTS/release-$side.busy.txt" \
        "full release ($side), $RUNS runs" \
        hyperfine --runs "$RUNS" --warmup 1 --prepare "bash $WORK/reset.sh" \
        --export-json "$RESULTS/release-$side.json" "bash $WORK/$side.sh"
done
bash "$WORK/reset.sh"
for side in ours by-hand; do
    timed_block "dry-$side" "$RESULTS/dry-$side.log" "$RESULTS/dry-$side.busy.txt" \
        "dry run ($side), $RUNS_DRY runs" \
        hyperfine --runs "$RUNS_DRY" --warmup 1 \
        --export-json "$RESULTS/dry-$side.json" "bash $WORK/$side-dry.sh"
done
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(load_avg)

export RESULTS RUNS RUNS_DRY IDLE_WAIT WAITED BUSY_AFTER LOAD_AFTER WHEEL \
    BMV_VERSION TWINE_VERSION PYPISERVER_VERSION GIT_VERSION
write_report
