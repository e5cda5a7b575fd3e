#!/usr/bin/env bash
# Adds to .venv (git-ignored; the venv scripts/python-env.sh also uses) the
# Python peers that scripts/bench.sh compares pith with: jusText. The
# C4-style filter needs only the standard library. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check 'justext==3.0.2' 'lxml_html_clean==0.4.6'
.venv/bin/python -c 'import justext'
echo "setup-venv: .venv ready (jusText $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("justext"))'))" >&2
