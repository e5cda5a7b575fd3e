#!/usr/bin/env bash
# Rebuild the embedded model, models/pith.model, from the corpora beside the
# project (pith train), or with --check train it into a temporary file and
# fail unless it is byte-identical to the committed one (CI does this).
# Extra arguments go to `pith train` (e.g. --cv --report cv.json).
# Uses $PITH if set, else builds the release binary with cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-pith.sh
check=false
if [ "${1:-}" = "--check" ]; then
  check=true
  shift
fi
corpora=(../shared/corpus/dev ../shared/corpus/web2026)
for c in "${corpora[@]}"; do
  [ -d "$c" ] || { echo "train.sh: $c is missing" >&2; exit 1; }
done
find_pith release
if $check; then
  out=$(mktemp)
  trap 'rm -f "$out"' EXIT
  "$PITH" train "${corpora[@]}" --out "$out" "$@"
  if cmp -s "$out" models/pith.model; then
    echo "train.sh: models/pith.model is reproduced byte for byte"
  else
    echo "train.sh: retraining gives a different model than models/pith.model" >&2
    exit 1
  fi
else
  "$PITH" train "${corpora[@]}" --out models/pith.model "$@"
fi
