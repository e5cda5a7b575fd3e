#!/usr/bin/env bash
# Score `pith --no-title` on both flavours of the evaluation corpus with the
# shared scorer. Usage: scripts/eval.sh [CORPUS_DIR] [extra pith args...]
# Runs $PITH when set, else the release binary cargo builds (wherever
# CARGO_TARGET_DIR puts it); fails when there is none or the corpus is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-pith.sh
corpus=${1:-../shared/corpus/dev}
shift || true
[ -d "$corpus" ] || { echo "eval.sh: no corpus at $corpus" >&2; exit 1; }
find_pith release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for flavour in page residue; do
  ../shared/eval/run_cleaner.sh "$corpus" "$flavour" "$out/$flavour" -- "$PITH" --no-title "$@" 2>/dev/null
  echo "== $flavour"
  python3 ../shared/eval/score.py --gold-dir "$corpus" --pred-dir "$out/$flavour"
done
