#!/usr/bin/env bash
# Runs cargo pypi's main job on a bundled example: a copy of
# fixtures/workspace-inherit (a Cargo workspace + maturin package + uv.lock +
# changelog) in a temporary git repository: status, check, a dry-run bump,
# then a real bump with commit and tag.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release
bin="$PWD/target/release/cargo-pypi"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r fixtures/workspace-inherit "$work/repo"
cd "$work/repo"
git init -q -b main
git -c user.name=Example -c user.email=example@example.invalid commit -q --allow-empty -m root
git add -A
git -c user.name=Example -c user.email=example@example.invalid commit -q -m "example project"
git config user.name Example
git config user.email example@example.invalid

step() { printf '\n$ %s\n' "$*"; "$@"; }
step "$bin" pypi status
step "$bin" pypi check
step "$bin" pypi bump minor --dry-run
step "$bin" pypi bump minor --tag
step "$bin" pypi status
step git log --oneline --decorate -n 2
