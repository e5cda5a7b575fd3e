#!/usr/bin/env bash
# Adds to .venv (git-ignored; the venv scripts/python-env.sh also uses) the
# Python peers that scripts/bench.sh compares pith with: jusText, and
# datatrove's C4QualityFilter and GopherQualityFilter (their English word
# tokenizer needs spaCy). The C4-style filter needs only the standard
# library. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check 'justext==3.0.2' 'lxml_html_clean==0.4.6' \
  'datatrove==0.10.1' 'regex==2026.11.19' 'spacy==3.8.18'
.venv/bin/python -c 'import justext, datatrove.pipeline.filters, spacy'
echo "setup-venv: .venv ready (jusText $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("justext"), "datatrove", m.version("datatrove"))'))" >&2
