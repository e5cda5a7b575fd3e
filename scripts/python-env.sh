#!/usr/bin/env bash
# Makes .venv (git-ignored) hold the Python test tools
# (python/requirements-dev.txt) and the pith package built from this tree:
# one wheel, built once by maturin into target/wheels, then installed.
# Re-run it after changing Rust or Python code; it reinstalls only the wheel
# unless the requirements changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.requirements-dev.txt
if ! cmp -s python/requirements-dev.txt "$stamp"; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r python/requirements-dev.txt
  cp python/requirements-dev.txt "$stamp"
fi

rm -rf target/wheels
.venv/bin/maturin build --quiet --release --interpreter .venv/bin/python \
  --manifest-path python/Cargo.toml --out target/wheels
.venv/bin/python -m pip install --quiet --force-reinstall --no-deps target/wheels/*.whl
