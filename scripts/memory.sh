#!/usr/bin/env bash
# Peak memory (RSS) of pith on the memory cases of issue 10, each against
# the bound it set: 64 MiB + 4 x the largest record pith accepted; and
# against the same bound counting what pith held of a record it refused
# (the reader holds up to --max-record-bytes of a record before it knows
# it is too long).
#
#   scripts/memory.sh            # builds the release binary, ~2 GB of scratch files in $TMPDIR
#
# A record over --max-record-bytes (64 MiB by default) is not accepted: it
# becomes an error record, and the reader held at most the limit of it.
# The newline and short-line cases measure the engine's per-line
# bookkeeping (a document of over 32,768 lines is cleaned a window of
# lines at a time).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-pith.sh
find_pith release
pith=$PITH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
MiB=1048576

newlines() { head -c "$1" /dev/zero | tr '\0' '\n'; }
newlines 10000000 > "$tmp/nl10.txt"
newlines 20000000 > "$tmp/nl20.txt"
newlines 100000000 | gzip -9 > "$tmp/nl100.gz"
python3 - "$tmp" <<'PY'
import gzip, json, sys
tmp = sys.argv[1]
sentence = "All work and no play makes Jack a dull boy, said the report on Monday. "
# A gzip bomb: one text record of 1 GiB, as 1024 members of 1 MiB each.
member = gzip.compress((sentence * (2**20 // len(sentence) + 1)).encode()[: 2**20], 9)
with open(f"{tmp}/bomb.gz", "wb") as f:
    for _ in range(1024):
        f.write(member)
# One JSONL record of 100 MB of text (paragraphs of ten sentences).
paragraph = sentence * 10 + "\n\n"
text = paragraph * (100_000_000 // len(paragraph))
with open(f"{tmp}/record100.jsonl", "w") as f:
    f.write(json.dumps({"id": "big", "text": text}) + "\n")
# Many short lines: 10 M lines of one letter (20 MB), and 1 M lines of
# one to twelve common words (25 MB): the engine's per-line bookkeeping.
with open(f"{tmp}/short20.txt", "w") as f:
    f.write("a\n" * 10_000_000)
import random
random.seed(1)
words = "the of and to in a is that for it as was with be by on not he this are".split()
with open(f"{tmp}/words25.txt", "w") as f:
    for _ in range(1_000_000):
        f.write(" ".join(random.choice(words) for _ in range(random.randint(1, 12))) + "\n")
# One text line of 200 MB.
with open(f"{tmp}/line200.txt", "w") as f:
    f.write(sentence * (200_000_000 // len(sentence)))
PY

printf '| case | input | pith exit | records out | peak RSS | 64 MiB + 4 × accepted | within | 64 MiB + 4 × held | within |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |\n'
# case name, input file, largest record accepted and held (bytes), pith arguments...
run() {
    local name=$1 input=$2 accepted=$3 held=$4
    shift 4
    local code=0
    /usr/bin/time -f '%M' -o "$tmp/time" "$pith" --summary "$@" "$input" > "$tmp/out" 2> "$tmp/err" || code=$?
    local peak_kb records bound_mib held_mib peak_mib within within_held
    peak_kb=$(tail -1 "$tmp/time")
    records=$(grep -c '' "$tmp/out" || true)
    peak_mib=$((peak_kb / 1024))
    bound_mib=$((64 + 4 * accepted / MiB))
    held_mib=$((64 + 4 * held / MiB))
    within=no within_held=no
    [ "$peak_mib" -le "$bound_mib" ] && within=yes
    [ "$peak_mib" -le "$held_mib" ] && within_held=yes
    grep -q '^pith: .* record' "$tmp/err" || within="$within (no summary: $(tail -1 "$tmp/err"))"
    printf '| %s | %s MB | %s | %s | %s MiB | %s MiB | %s | %s MiB | %s |\n' "$name" \
        "$(( $(stat -c %s "$input") / 1000000 ))" "$code" "$records" "$peak_mib" \
        "$bound_mib" "$within" "$held_mib" "$within_held"
}
limit=67108864
run "10 MB of newlines, text" "$tmp/nl10.txt" 10000000 10000000 --output jsonl
run "20 MB of newlines, text" "$tmp/nl20.txt" 20000000 20000000 --output jsonl
run "10 M lines of one letter, text" "$tmp/short20.txt" 20000000 20000000 --output jsonl
run "1 M lines of words, text" "$tmp/words25.txt" "$(stat -c %s "$tmp/words25.txt")" "$(stat -c %s "$tmp/words25.txt")" --output jsonl
run "gzip (97 KB) of 100 MB of newlines, text" "$tmp/nl100.gz" 0 $limit --output jsonl
run "gzip bomb: one 1 GiB text record" "$tmp/bomb.gz" 0 $limit --output jsonl
run "one 100 MB JSONL record" "$tmp/record100.jsonl" 0 $limit
run "one 100 MB JSONL record, --max-record-bytes 128 MiB" "$tmp/record100.jsonl" 100000000 100000000 --max-record-bytes 134217728
run "one 200 MB text line" "$tmp/line200.txt" 0 $limit --output jsonl
run "one 200 MB text line, --max-record-bytes 256 MiB" "$tmp/line200.txt" 200000000 200000000 --output jsonl --max-record-bytes 268435456
