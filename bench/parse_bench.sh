#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Parse throughput: bounce-inspector-cli parse vs Debian's sisimai on the same mbox, in one run.
# The mbox is ../shared/corpus/bounces/public.mbox repeated to at least SIZE_MB (default 100).
# Prints messages/s, MB/s and peak RSS of each run (ROUNDS, default 3, taken in turn), and the
# ratio of the medians.
#   bench/parse_bench.sh [SIZE_MB]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
size_mb="${1:-100}"
corpus="${BI_SHARED_CORPUS_DIR:-$root/../shared/corpus}"
build="${BI_BUILD_DIR:-$root/build}"
cli="$build/bin/bounce-inspector-cli"
src="$corpus/bounces/public.mbox"
[ -f "$src" ] || { echo "parse_bench: $src not found" >&2; exit 1; }
[ -x "$cli" ] || { echo "parse_bench: build first ($cli missing)" >&2; exit 1; }
command -v perl >/dev/null && perl -MSisimai -e1 2>/dev/null \
  || { echo "parse_bench: install libsisimai-perl for the peer run" >&2; exit 1; }

calc() { awk "BEGIN { print $1 }"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
big="$work/big.mbox"
: > "$big"
while [ "$(stat -c %s "$big")" -lt $((size_mb * 1024 * 1024)) ]; do cat "$src" >> "$big"; done
bytes=$(stat -c %s "$big")
messages=$(grep -c '^From ' "$big")
printf 'input: %s, %d bytes (%.1f MB), %d messages\n' "$big" "$bytes" "$(calc "$bytes/1048576")" "$messages"

rounds="${ROUNDS:-3}"
measure() { # name, command...
  local name="$1"; shift
  local t="$work/$name.time"
  /usr/bin/time -v "$@" > "$work/$name.out" 2> "$t"
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$t")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
  printf '%-22s %8.2f s  %9.0f msg/s  %7.2f MB/s  peak RSS %7.1f MB  results %d\n' "$name" "$secs" \
    "$(calc "$messages/$secs")" "$(calc "$bytes/1048576/$secs")" "$(calc "$rss/1024")" \
    "$(wc -l < "$work/$name.out")"
  echo "$secs" >> "$work/$name.secs"
}
median() { sort -g "$1" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The machine is shared and noisy: the two run in turn, ROUNDS times (default 3), and the
# medians are compared.
for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  measure bounce-inspector "$cli" parse --jsonl "$big"
  measure sisimai-4.25 perl "$here/sisimai_parse.pl" "$big"
done
bi=$(median "$work/bounce-inspector.secs")
ss=$(median "$work/sisimai-4.25.secs")
printf 'median: bounce-inspector %.2f s (%.0f msg/s), sisimai %.2f s (%.0f msg/s)\n' \
  "$bi" "$(calc "$messages/$bi")" "$ss" "$(calc "$messages/$ss")"
printf 'ratio (messages/s, bounce-inspector / sisimai): %.1fx\n' "$(calc "$ss / $bi")"
