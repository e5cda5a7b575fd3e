#!/usr/bin/env bash
# Commit subjects stay short: at most 72 characters, the detail in the
# body. Checked for every commit after a264b14, where the rule was set
# (earlier subjects are history). A clone without that commit (shallow)
# skips the check and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
SINCE=a264b14
if ! git cat-file -e "$SINCE^{commit}" 2>/dev/null; then
  echo "check-commits: $SINCE is not in this clone's history (shallow?); skipped"
  exit 0
fi
long=0
while IFS= read -r line; do
  subject="${line#* }"
  if [ "${#subject}" -gt 72 ]; then
    echo "check-commits: ${line%% *}: subject of ${#subject} characters (at most 72): $subject" >&2
    long=$((long + 1))
  fi
done < <(git log --format='%h %s' "$SINCE..HEAD")
[ "$long" -eq 0 ] || exit 1
echo "check-commits: $(git rev-list --count "$SINCE..HEAD") subjects after $SINCE, each at most 72 characters"
