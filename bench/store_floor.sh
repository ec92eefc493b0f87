#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The least a log import can spend on writing its rows: copies the log tables (log_raw,
# log_chunks) and the fate tables (fates, fates_grams) of a project that an import made into
# fresh files with the same schema and the same settings (16 KiB pages, WAL, synchronous
# NORMAL), with SQLite's own INSERT ... SELECT: no parsing, no encoding, no binding, rows in id
# order. What it prints is a floor for the present schema, to compare with issue 4's budget
# (3x pflogsumm's lines/s); its last line is the floor for any schema that keeps the raw lines
# and the indexed fates.
#   bounce-inspector-cli import --db /tmp/p.bip LOG && bench/store_floor.sh /tmp/p.bip
set -euo pipefail
project="${1:?usage: bench/store_floor.sh PROJECT (a project file an import wrote)}"
[ -f "$project" ] || { echo "store_floor: no such file: $project" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "store_floor: apt-get install sqlite3" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sqlite3 "$project" .schema | grep -v '^CREATE TABLE sqlite_stat1' > "$work/schema.sql"
cat "$project" > /dev/null # in the page cache, as the log is for an import

copy() { # name, tables...
  local name="$1"; shift
  {
    echo "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
    echo "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -32768;"
    echo ".read $work/schema.sql"
    echo "ATTACH '$project' AS old;"
    echo "BEGIN; INSERT INTO main.sources SELECT * FROM old.sources;"
    for t in "$@"; do echo "INSERT INTO main.$t SELECT * FROM old.$t ORDER BY 1;"; done
    echo "COMMIT; PRAGMA wal_checkpoint(TRUNCATE);"
  } > "$work/$name.sql"
  rm -f "$work/copy.bip"*
  /usr/bin/time -f "%e %U %S" sqlite3 "$work/copy.bip" < "$work/$name.sql" > /dev/null 2> "$work/$name.time"
  local rows
  rows=$(for t in "$@"; do sqlite3 "$project" "SELECT count(*) FROM $t"; done | awk "{ s += \$1 } END { print s }")
  read -r wall user sys < <(tail -1 "$work/$name.time")
  printf '%-28s %9d rows  %7.1f MB  %5.2f s wall  %5.2f s user  %5.2f s system\n' "$name" "$rows" \
    "$(awk "BEGIN { print $(stat -c %s "$work/copy.bip") / 1048576 }")" "$wall" "$user" "$sys"
}
copy "log (raw blocks, chunks)" log_raw log_chunks
copy "fates (rows, trigrams)" fates fates_grams
copy "all four" log_raw log_chunks fates fates_grams
# What no design of the import can leave out: the raw lines (kept for the raw view, compressed)
# and the fates with the list's indexes (issue 6's filters on a million rows). SQLite writes
# them from one connection, so this is wall time on one core whatever the other one does.
copy "raw lines and fates alone" log_raw fates
