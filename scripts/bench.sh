#!/usr/bin/env bash
# Throughput of pith against the machine's limits and the Python tools, in
# one run on one file.
#
# Usage: scripts/bench.sh [SIZE_MB]          (default 200)
#   PEER_MB=N  run the Python peers on the first N MB only (default: all of
#              it; jusText takes minutes on 200 MB)
#
# Builds the JSONL corpus with ../shared/eval/make_throughput_corpus.py (to
# /tmp, never into the repository), the release binary and the bare scan,
# and the Python venv (scripts/setup-venv.sh). Then measures, on the same
# file: cat > /dev/null; the bare Aho-Corasick DFA scan of the texts with
# pith's phrase set in one DFA (examples/bare_scan.rs; scan time only, texts decoded
# beforehand); pith at 1 thread and at all threads (file input, default rules
# and passes, JSONL out to /dev/null); a 10x longer stream through a pipe
# (peak memory must not grow with the stream); the C4-style Python filter;
# datatrove's C4QualityFilter and GopherQualityFilter; jusText. Peak RSS of each run comes from /usr/bin/time.
#
# Prints a Markdown table (MB/s of input file bytes, records/s, ratio to pith
# at 1 thread, CPU seconds and MB per CPU second, peak RSS) plus the machine
# and its load. On a busy machine wall-clock speed-ups from threads shrink;
# MB per CPU second shows the work itself.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-200}
CORPUS=/tmp/pith-throughput-${SIZE_MB}mb.jsonl
SHARED=../shared
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
[ -f "$SHARED/eval/make_throughput_corpus.py" ] || {
  echo "bench: $SHARED/eval/make_throughput_corpus.py is missing (../shared must sit beside the repository)" >&2
  exit 1
}

if [ ! -s "$CORPUS" ]; then
  python3 "$SHARED/eval/make_throughput_corpus.py" --size-mb "$SIZE_MB" --out "$CORPUS"
fi
. scripts/find-pith.sh
cargo build --release --quiet --features internals --example bare_scan
BARE_SCAN="$(target_dir)/release/examples/bare_scan"
[ -x "$BARE_SCAN" ] || { echo "bench: no bare_scan at $BARE_SCAN" >&2; exit 1; }
find_pith release
scripts/setup-venv.sh
BYTES=$(stat -c %s "$CORPUS")
RECORDS=$(grep -c '' "$CORPUS")
THREADS=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

PEER_CORPUS=$CORPUS
PEER_BYTES=$BYTES
PEER_RECORDS=$RECORDS
if [ -n "${PEER_MB:-}" ]; then
  PEER_CORPUS=/tmp/pith-throughput-${SIZE_MB}mb-first${PEER_MB}mb.jsonl
  head -c "$((PEER_MB * 1000000))" "$CORPUS" | sed '$d' > "$PEER_CORPUS"
  PEER_BYTES=$(stat -c %s "$PEER_CORPUS")
  PEER_RECORDS=$(grep -c '' "$PEER_CORPUS")
fi

ROWS=()
# measure NAME BYTES RECORDS COMMAND...: runs COMMAND under /usr/bin/time,
# output to /dev/null; records "name seconds rss_kb bytes records cpu_seconds".
measure() {
  local name=$1 bytes=$2 records=$3
  shift 3
  local stats
  stats=$(mktemp)
  "$TIME" -f '%e %M %U %S' -o "$stats" "$@" > /dev/null
  read -r seconds rss user sys < "$stats"
  rm -f "$stats"
  ROWS+=("$name|$seconds|$rss|$bytes|$records|$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  echo "bench: $name: ${seconds}s, peak RSS ${rss} KB, CPU $user+$sys s" >&2
}

measure "cat > /dev/null" "$BYTES" "$RECORDS" cat "$CORPUS"

# The bare scan times itself (the scan only); its RSS includes every text
# held in memory at once.
SCAN_STATS=$(mktemp)
"$TIME" -f '%M' -o "$SCAN_STATS.rss" "$BARE_SCAN" "$CORPUS" > "$SCAN_STATS"
read -r _ scan_records scan_seconds scan_matches < "$SCAN_STATS"
ROWS+=("bare Aho-Corasick DFA scan (pith's phrase set, $scan_matches raw matches)|$scan_seconds|$(cat "$SCAN_STATS.rss")|$BYTES|$scan_records|$scan_seconds")
rm -f "$SCAN_STATS" "$SCAN_STATS.rss"
echo "bench: bare scan: ${scan_seconds}s" >&2

measure "pith, 1 thread" "$BYTES" "$RECORDS" "$PITH" --quiet --threads 1 "$CORPUS"
measure "pith, $THREADS threads" "$BYTES" "$RECORDS" "$PITH" --quiet --threads "$THREADS" "$CORPUS"
measure "pith, $THREADS threads, 10x stream via stdin" "$((BYTES * 10))" "$((RECORDS * 10))" \
  bash -c 'for i in 1 2 3 4 5 6 7 8 9 10; do cat "$1"; done | "$2" --quiet --threads "$3"' _ "$CORPUS" "$PITH" "$THREADS"
measure "C4-style line filter (Python)" "$PEER_BYTES" "$PEER_RECORDS" \
  bash -c '.venv/bin/python scripts/peers/c4_filter.py < "$1"' _ "$PEER_CORPUS"
measure "datatrove 0.10.1 C4QualityFilter (Python)" "$PEER_BYTES" "$PEER_RECORDS" \
  bash -c '.venv/bin/python scripts/peers/datatrove_filter.py c4 < "$1"' _ "$PEER_CORPUS"
measure "datatrove 0.10.1 GopherQualityFilter (Python)" "$PEER_BYTES" "$PEER_RECORDS" \
  bash -c '.venv/bin/python scripts/peers/datatrove_filter.py gopher < "$1"' _ "$PEER_CORPUS"
measure "jusText 3.0.2 (Python)" "$PEER_BYTES" "$PEER_RECORDS" \
  bash -c '.venv/bin/python scripts/peers/justext_filter.py < "$1"' _ "$PEER_CORPUS"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# The table, with ratios to pith at 1 thread.
PITH1=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' '$1 == "pith, 1 thread" { print $4 / 1e6 / $2 }')
echo
echo "Corpus: $CORPUS ($(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $RECORDS records)."
echo "Machine: $THREADS cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $LOAD_START at the start, $LOAD_END at the end."
echo
echo "| run | MB/s | records/s | pith 1 thread ÷ this | CPU s | MB per CPU s | peak RSS (MiB) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
# /usr/bin/time reads to 0.01 s: a run shorter than that counts as 0.01 s
# (its speed is then a lower bound).
printf '%s\n' "${ROWS[@]}" | awk -F'|' -v p="$PITH1" '{
  t = ($2 > 0.01 ? $2 : 0.01); cpu = ($6 > 0.01 ? $6 : 0.01)
  mbs = $4 / 1e6 / t; rps = $5 / t
  printf "| %s | %.1f | %.0f | %.3g | %.2f | %.1f | %.1f |\n", $1, mbs, rps, p / mbs, $6, $4 / 1e6 / cpu, $3 / 1024 }'
