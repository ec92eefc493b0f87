#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the libFuzzer targets of tests/fuzz, each for SECONDS (default 600), JOBS at a time
# (default 2), niced, from a copy of its committed seeds. Builds build-fuzz with clang first.
#   tests/fuzz/run_fuzzers.sh [SECONDS] [TARGET...]      e.g. run_fuzzers.sh 60 fuzz_mbox_reader
# Environment: BI_FUZZ_BUILD (build dir, default build-fuzz), BI_FUZZ_OUT (work dir, default
# $BI_FUZZ_BUILD/fuzz-runs), JOBS, BI_FUZZ_NO_BUILD=1 (use the binaries as they are). Needs clang and libclang-rt-14-dev (apt install clang
# libclang-rt-14-dev). A finding is left as crash-*/timeout-*/leak-*/oom-* in the target's
# work dir: minimise it (fuzz_X -minimize_crash=1 FILE), fix, and commit it under
# tests/fuzz/regress/fuzz_X/ so ctest's fuzz_X_replay keeps it fixed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds="${1:-600}"
shift || true
all=(fuzz_mbox_reader fuzz_mime_adapter fuzz_dsn_parser fuzz_bounce_decoders fuzz_log_parsers)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
build="${BI_FUZZ_BUILD:-$repo/build-fuzz}"
out="${BI_FUZZ_OUT:-$build/fuzz-runs}"
jobs="${JOBS:-2}"

die() { printf 'run_fuzzers.sh: %s\n' "$*" >&2; exit 1; }
command -v clang++ >/dev/null || die "clang++ missing: apt install clang libclang-rt-14-dev"
rt="$(clang++ -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a"
[ -f "$rt" ] || die "libFuzzer runtime missing ($rt): apt install libclang-rt-14-dev"

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja -DBI_FUZZ=ON -DBI_BUILD_GUI=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
if [ -z "${BI_FUZZ_NO_BUILD:-}" ]; then
  lock=()
  [ -e /tmp/bi-build.lock ] && lock=(flock /tmp/bi-build.lock)
  "${lock[@]}" cmake --build "$build" -j"${BUILD_JOBS:-2}" --target "${targets[@]}"
fi

run_one() {
  local t="$1" dir="$out/$1"
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  cp "$here/seeds/$t/"* "$dir/corpus/"
  [ -d "$here/regress/$t" ] && cp "$here/regress/$t/"* "$dir/corpus/"
  # -detect_leaks: Qt keeps a few process-lifetime caches; leaks are reported at exit only,
  # so a real per-input leak still fails the final leak check of the replay tests.
  (cd "$dir" && nice -n 19 "$build/fuzz/$t" -max_total_time="$seconds" -rss_limit_mb=2048 \
     -timeout=10 -max_len=262144 -print_final_stats=1 corpus \
     >"$dir/log.txt" 2>&1) || true
}

summary() {
  local t="$1" log="$out/$1/log.txt"
  local execs cov ft secs findings
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  secs="$(sed -n 's/^stat::.*//;s/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)"
  cov="$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)"
  findings="$(find "$out/$t" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'oom-*' \) | wc -l)"
  printf '%-22s execs %-10s %-22s time %ss  findings %s\n' "$t" "${execs:-?}" "${cov:-cov: ?}" \
    "${secs:-?}" "$findings"
}

for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  printf 'fuzzing %s for %ss\n' "$t" "$seconds"
  run_one "$t" &
done
wait
printf '\n%-22s summary (%ss each, logs in %s)\n' target "$seconds" "$out"
status=0
for t in "${targets[@]}"; do
  line="$(summary "$t")"
  printf '%s\n' "$line" | tee -a "$out/summary.txt"
  case "$line" in *"findings 0") ;; *) status=1 ;; esac
done
exit $status
