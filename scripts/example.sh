#!/usr/bin/env bash
# Runs cargo pypi's main jobs on bundled examples, in temporary folders, and
# cleans up after itself:
# 1. versions in lockstep: a copy of fixtures/workspace-inherit (a Cargo
#    workspace + maturin package + uv.lock + changelog) in a git repository:
#    status, check, a dry-run bump, then a real bump with commit and tag;
# 2. the whole release of fixtures/bin-bindings (a Rust command-line tool
#    shipped with maturin) against two real package indexes on 127.0.0.1
#    (pypiserver: staging and production, no account, installed into
#    target/example-venv) and a bare git repository as the remote; then the
#    tool is installed from the production index into a fresh environment
#    and run.
# Needs python3 (with venv), git, a Rust toolchain, and PyPI for the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# The debug build: what the tests built already, and quicker to build than --release.
cargo build --quiet
bin="${CARGO_TARGET_DIR:-$root/target}/debug/cargo-pypi"
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n$ %s\n' "$*"; "$@"; }
identity=(-c user.name=Example -c user.email=example@example.invalid)

# ---------------------------------------------------------------- 1. lockstep
cp -r "$root/fixtures/workspace-inherit" "$work/repo"
cd "$work/repo"
git init -q -b main
git "${identity[@]}" commit -q --allow-empty -m root
git add -A
git "${identity[@]}" commit -q -m "example project"
git config user.name Example
git config user.email example@example.invalid
step "$bin" pypi status
step "$bin" pypi check
step "$bin" pypi bump minor --dry-run
step "$bin" pypi bump minor --tag
step "$bin" pypi status
step git log --oneline --decorate -n 2

# ---------------------------------------------------------------- 2. release
printf '\n# The whole release of bintool against local indexes\n'
venv="$root/target/example-venv"
if ! "$venv/bin/python" -c 'import pypiserver, maturin' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "pypiserver>=2.3" "maturin>=1.8,<2"
fi
# start_index NAME: a pypiserver without accounts serving $work/NAME; sets PORT.
start_index() {
    mkdir -p "$work/$1"
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$venv/bin/pypi-server" run -p "$PORT" -i 127.0.0.1 -a . -P . --disable-fallback \
        --server wsgiref --hash-algo sha256 "$work/$1" >"$work/$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 150); do
        python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/simple/', timeout=1)" \
            2>/dev/null && return 0
        sleep 0.2
    done
    echo "pypiserver for $1 did not start:" >&2
    cat "$work/$1.log" >&2
    exit 1
}
start_index staging
staging=$PORT
start_index production
production=$PORT

cp -r "$root/fixtures/bin-bindings" "$work/tool"
cd "$work/tool"
cat >>pyproject.toml <<TOML

[tool.cargo-pypi.repositories.staging]
upload-url = "http://127.0.0.1:$staging/"
index-url = "http://127.0.0.1:$staging/simple/"

[tool.cargo-pypi.repositories.production]
upload-url = "http://127.0.0.1:$production/"
index-url = "http://127.0.0.1:$production/simple/"

[tool.cargo-pypi.release]
staging = "staging"
repository = "production"
TOML
printf '/target/\n/dist/\n' >.gitignore
git init -q -b main
git config user.name Example
git config user.email example@example.invalid
git add -A
git commit -q -m "bintool 0.2.0"
git init -q --bare -b main "$work/remote.git"
git remote add origin "$work/remote.git"
git push -q -u origin main
# The indexes take any login; the release needs one to find.
export TWINE_USERNAME=example TWINE_PASSWORD=example
PATH="$venv/bin:$PATH" step "$bin" pypi release patch --yes
step git ls-remote --tags origin
python3 -m venv "$work/fresh"
step "$work/fresh/bin/pip" install --quiet --disable-pip-version-check \
    --index-url "http://127.0.0.1:$production/simple/" bintool
step "$work/fresh/bin/bintool" --version
# CI runs this script (scripts/test.sh): the release must have happened.
installed=$("$work/fresh/bin/bintool" --version)
[ "$installed" = "bintool 0.2.1" ] || { echo "error: installed $installed, not bintool 0.2.1" >&2; exit 1; }
[ -n "$(git ls-remote --tags origin v0.2.1)" ] || { echo "error: v0.2.1 is not on the remote" >&2; exit 1; }
