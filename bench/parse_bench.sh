#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Parse throughput: bounce-inspector-cli parse vs Debian's sisimai on the same mbox, in one run.
# The mbox is ../shared/corpus/bounces/public.mbox repeated to at least SIZE_MB (default 100).
# Prints messages/s, MB/s and peak RSS of each, and the ratio.
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
  echo "$secs" > "$work/$name.secs"
}

measure bounce-inspector "$cli" parse --jsonl "$big"
measure sisimai-4.25 perl "$here/sisimai_parse.pl" "$big"
printf 'ratio (messages/s, bounce-inspector / sisimai): %.1fx\n' \
  "$(calc "$(cat "$work/sisimai-4.25.secs") / $(cat "$work/bounce-inspector.secs")")"
