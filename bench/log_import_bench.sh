#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Log import throughput: bounce-inspector-cli import (parse, correlate, store with indexes) of a
# generated Postfix log of at least LINES lines (default 1,000,000) into a fresh project, next to
# Debian's pflogsumm summarising the same log, in one run. Prints lines/s and peak RSS of each
# run (ROUNDS, default 3, the two taken in turn) and the ratio of the medians.
#   bench/log_import_bench.sh [LINES]
# Issue 9's memory goal is the same run at ten million lines: ROUNDS=1 bench/log_import_bench.sh
# 10000000 (peak RSS of the import must stay under 300 MB; needs about 6 GB free in $TMPDIR).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
want="${1:-1000000}"
build="${BI_BUILD_DIR:-$root/build}"
cli="$build/bin/bounce-inspector-cli"
gen="$build/tests/bi-scenario"
[ -x "$cli" ] && [ -x "$gen" ] || { echo "log_import_bench: build first (./bootstrap.sh build)" >&2; exit 1; }
command -v pflogsumm >/dev/null || { echo "log_import_bench: apt-get install pflogsumm for the peer run" >&2; exit 1; }

calc() { awk "BEGIN { print $1 }"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# About 19 log lines per message in the default traffic mix. bi-scenario holds a whole scenario
# in memory (about 20 GB for ten million lines), so a large log is written in pieces of at
# most 56,555 messages (seeds 42, 43, ...) and joined; each piece spans the same 30 days, so
# time steps back where they join. One piece is exactly the 1,000,000-line run.
messages=$(( want / 18 + 1000 ))
piece=56555
log="$work/scenario/postfix.log"
seed=42
while [ "$messages" -gt 0 ]; do
  n=$(( messages < piece ? messages : piece ))
  if [ "$seed" -eq 42 ]; then
    "$gen" --seed "$seed" --messages "$n" --days 30 "$work/scenario" >/dev/null
  else
    "$gen" --seed "$seed" --messages "$n" --days 30 "$work/piece" >/dev/null
    cat "$work/piece/postfix.log" >> "$log"
    rm -rf "$work/piece"
  fi
  messages=$(( messages - n ))
  seed=$(( seed + 1 ))
done
lines=$(wc -l < "$log")
printf 'input: %s, %d lines, %.1f MB\n' "$log" "$lines" "$(calc "$(stat -c %s "$log")/1048576")"

rounds="${ROUNDS:-3}"
measure() { # name, command...
  local name="$1"; shift
  /usr/bin/time -v "$@" > "$work/$name.out" 2> "$work/$name.time"
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
  printf '%-18s %8.2f s  %10.0f lines/s  peak RSS %7.1f MB\n' "$name" "$secs" "$(calc "$lines/$secs")" "$(calc "$rss/1024")"
  echo "$secs" >> "$work/$name.secs"
  echo "$rss" >> "$work/$name.rss"
}
median() { sort -g "$1" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The machine is shared and noisy (pflogsumm alone varies by half from run to run): the two run
# in turn, ROUNDS times, each import into a fresh project, and the medians are compared.
for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  rm -f "$work"/bench.bip*
  measure bounce-inspector "$cli" import --db "$work/bench.bip" --tz UTC+01:00 "$log"
  measure pflogsumm pflogsumm "$log"
done
printf 'project: %.1f MB; fates: %s\n' "$(calc "$(stat -c %s "$work/bench.bip")/1048576")" \
  "$(awk -F': ' '/^fates:/ {print $2}' "$work/bounce-inspector.out")"
bi=$(median "$work/bounce-inspector.secs")
pf=$(median "$work/pflogsumm.secs")
printf 'median: bounce-inspector %.2f s (%.0f lines/s, peak RSS at most %.1f MB), pflogsumm %.2f s (%.0f lines/s)\n' \
  "$bi" "$(calc "$lines/$bi")" "$(calc "$(sort -g "$work/bounce-inspector.rss" | tail -1)/1024")" \
  "$pf" "$(calc "$lines/$pf")"
printf 'ratio (lines/s, bounce-inspector / pflogsumm): %.2fx\n' "$(calc "$pf / $bi")"
