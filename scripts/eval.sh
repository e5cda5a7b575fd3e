#!/usr/bin/env bash
# Score `pith --no-title` on both flavours of the evaluation corpus with the
# shared scorer. Usage: scripts/eval.sh [CORPUS_DIR] [extra pith args...]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/dev}
shift || true
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for flavour in page residue; do
  ../shared/eval/run_cleaner.sh "$corpus" "$flavour" "$out/$flavour" -- ./target/release/pith --no-title "$@" 2>/dev/null
  echo "== $flavour"
  python3 ../shared/eval/score.py --gold-dir "$corpus" --pred-dir "$out/$flavour"
done
