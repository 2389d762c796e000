#!/usr/bin/env bash
# The project's test command (README "Tests"; .ci/run calls it).
# Installs the Python tools the tests drive into a venv of its own (target/test-venv),
# then runs formatting, lints and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# Python tools the tests drive for real: pre-commit (the hook), maturin and
# build and cffi (cargo pypi build), twine and readme-renderer (check-dist parity), pypiserver and passlib
# (a real index for publish), devpi-server (a real devpi: its simple index lives at .../+simple/),
# pypi-attestations (the reference implementation of PEP 740 attestations, to check ours against).
venv=target/test-venv
tools=("pre-commit>=4,<5" "maturin>=1.8,<2" "build>=1.2" "twine>=6" "readme-renderer>=44" "cffi" "pypiserver>=2.3" "passlib" "devpi-server>=6" "pypi-attestations>=0.0.26")
stamp="$venv/.installed"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${tools[*]}" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${tools[@]}"
  echo "${tools[*]}" > "$stamp"
fi
export PRE_COMMIT="$PWD/$venv/bin/pre-commit"
export CARGO_PYPI_TEST_VENV="$PWD/$venv"
export CARGO_PYPI_TWINE="$PWD/$venv/bin/twine"
export CARGO_PYPI_PYTHON="$PWD/$venv/bin/python"
export CARGO_PYPI_MATURIN="$PWD/$venv/bin/maturin"

# The real-artifact corpus of check-dist (tests/it/dist/corpus.rs), downloaded
# once into target/corpus; offline, its test fails in CI and is skipped elsewhere.
if ! scripts/corpus.sh; then
  [ -z "${CI:-}" ] || exit 1
  echo "warning: the check-dist corpus could not be downloaded; its test is skipped" >&2
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked

# The README's first command: the whole release of the example project against
# two local indexes and a local remote, checked to end with the new version installed.
bash scripts/example.sh >target/example.log 2>&1 || { cat target/example.log; exit 1; }
echo "scripts/example.sh: ok (output in target/example.log)"
