#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Memory bound of a mailbox import: builds an mbox of SIZE_MB (default 2048) by repeating
# ../shared/corpus/bounces/public.mbox, imports it into a fresh project and prints the
# wall time, messages/s and peak RSS (/usr/bin/time -v).   bench/mbox_import_memory.sh [SIZE_MB]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
size_mb="${1:-2048}"
build="${BI_BUILD_DIR:-$root/build}"
cli="$build/bin/bounce-inspector-cli"
src="${BI_SHARED_CORPUS_DIR:-$root/../shared/corpus}/bounces/public.mbox"
[ -f "$src" ] || { echo "mbox_import_memory: $src not found" >&2; exit 1; }
[ -x "$cli" ] || { echo "mbox_import_memory: build first ($cli missing)" >&2; exit 1; }
calc() { awk "BEGIN { print $1 }"; }
work="$(mktemp -d "${TMPDIR:-/tmp}/bi-mem.XXXXXX")"
trap 'rm -rf "$work"' EXIT
big="$work/big.mbox"
: > "$big"
# Each copy's messages get a header of their own (X-Bench-Copy: N after the From_ line): the
# project stores a message once whatever file it comes from, and identical copies would only
# be looked up, not stored.
copy=0
while [ "$(stat -c %s "$big")" -lt $((size_mb * 1024 * 1024)) ]; do
  copy=$((copy + 1))
  awk -v n="$copy" '{ print } /^From / { print "X-Bench-Copy: " n }' "$src" >> "$big"
done
bytes=$(stat -c %s "$big")
messages=$(grep -c '^From ' "$big")
/usr/bin/time -v "$cli" import --db "$work/p.bip" "$big" > "$work/out" 2> "$work/time"
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
printf 'mbox %.0f MB, %d messages: import %.1f s, %.0f msg/s, peak RSS %.1f MB, project %.0f MB\n' \
  "$(calc "$bytes/1048576")" "$messages" "$secs" "$(calc "$messages/$secs")" "$(calc "$rss/1024")" \
  "$(calc "$(stat -c %s "$work/p.bip")/1048576")"
grep -E '^(messages added|bounces):' "$work/out"
