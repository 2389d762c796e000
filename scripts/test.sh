#!/usr/bin/env bash
# The project's test command (README "Tests"; .ci/run calls it).
# Installs the Python tools the tests drive (pre-commit) into a venv of its own,
# then runs formatting, lints and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/test-venv
if [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit>=4,<5"
fi
export PRE_COMMIT="$PWD/$venv/bin/pre-commit"

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked
