#!/usr/bin/env bash
# The Python tests: pith.Cleaner against the CLI, the datatrove step, and both
# Spark examples on local[2] (needs java). Builds the CLI and the wheel from
# this tree first (scripts/python-env.sh). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-pith.sh
scripts/python-env.sh
find_pith debug
PITH_BIN="$PITH" .venv/bin/python -m pytest python/tests "$@"
