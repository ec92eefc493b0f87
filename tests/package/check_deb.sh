#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the .deb from a configured and built tree, unpacks it into a temporary root and runs the
# unpacked programs there, away from the build tree: the CLI's --version, an import of the packaged
# demo mailbox and the GUI on the result (offscreen). Proves the package is complete, that its
# binaries need nothing from the build tree and that Qt's SQLite driver comes from the system.
# Usage: check_deb.sh CPACK BUILD_DIR WORK_DIR VERSION BUILD_TREE_CLI
# Exit: 0 pass, 1 fail, 77 skipped (a tool the check needs is not installed).
set -uo pipefail

cpack="$1" build="$2" work="$3" version="$4" built_cli="$5"

fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
step() { printf -- '-- %s\n' "$*"; }

missing=()
for tool in dpkg-deb dpkg-shlibdeps file readelf ldd timeout; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  printf 'SKIP: packaging tools missing: %s (Debian: dpkg-dev file binutils)\n' "${missing[*]}"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work/out" "$work/home"
root="$work/root"

step "cpack -G DEB"
if ! "$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
  tail -n 30 "$work/cpack.log"
  fail "cpack -G DEB failed (log: $work/cpack.log)"
fi
debs=("$work"/out/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb in $work/out, found: ${debs[*]}"
deb="${debs[0]}"
ln -sf "$deb" "$work/package.deb"
printf '%s\n' "$deb"

step "control fields"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = bounce-inspector ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', the project is $version"
depends="$(field Depends)"
printf 'Depends: %s\n' "$depends"
# libqt6sql6-sqlite is named by hand (a dlopen'ed plugin); the others prove dpkg-shlibdeps ran.
for dep in libqt6sql6-sqlite libqt6core6 libqt6sql6 libqt6widgets6 libc6; do
  grep -Eq "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends lacks $dep"
done

step "contents"
dpkg-deb --contents "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents.txt"
app_id=net.bounceinspector.BounceInspector
expected=(
  /usr/bin/bounce-inspector
  /usr/bin/bounce-inspector-cli
  "/usr/share/applications/$app_id.desktop"
  "/usr/share/metainfo/$app_id.metainfo.xml"
  "/usr/share/mime/packages/$app_id.xml"
  "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  /usr/share/man/man1/bounce-inspector.1.gz
  /usr/share/man/man1/bounce-inspector-cli.1.gz
  /usr/share/doc/bounce-inspector/copyright
  /usr/share/doc/bounce-inspector/changelog.gz
  /usr/share/bounce-inspector/demo/bounces.mbox
)
for size in 16 24 32 48 64 128 256 512; do
  expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
for path in "${expected[@]}"; do
  grep -qxF "$path" "$work/contents.txt" || fail "the package lacks $path"
done
outside="$(grep -v -e '^/usr/' -e '^/$' -e '^/usr$' "$work/contents.txt" || true)"
[ -z "$outside" ] || fail "files outside /usr: $outside"

step "unpack into $root"
dpkg-deb --extract "$deb" "$root" || fail "dpkg-deb --extract failed"
for size in 16 24 32 48 64 128 256 512; do
  file "$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png" | grep -q "PNG image data, $size x $size" \
    || fail "the ${size}x${size} icon is not a $size x $size PNG"
done

step "binaries are self-standing"
for exe in bounce-inspector bounce-inspector-cli; do
  bin="$root/usr/bin/$exe"
  [ -x "$bin" ] || fail "$exe is not executable"
  # A build-tree RUNPATH would make the package work here and nowhere else.
  if readelf -d "$bin" | grep -Eq 'R(UN)?PATH'; then fail "$exe has an RPATH/RUNPATH: $(readelf -d "$bin" | grep -E 'R(UN)?PATH')"; fi
  if ldd "$bin" | grep -q 'not found'; then fail "$exe: unresolved libraries: $(ldd "$bin" | grep 'not found')"; fi
  if readelf -S "$bin" | grep -q '\.debug_info'; then fail "$exe is not stripped"; fi
done

# The unpacked programs run with a clean environment from an unrelated directory, so that nothing
# (QT_PLUGIN_PATH, LD_LIBRARY_PATH, a qt.conf, the current directory) can point them into the build.
mkdir -p -m 0700 "$work/runtime"
run() { (cd "$work/home" && env -i HOME="$work/home" XDG_RUNTIME_DIR="$work/runtime" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"); }

step "installed bounce-inspector-cli --version"
out="$(run "$root/usr/bin/bounce-inspector-cli" --version 2>&1)" || fail "--version exited non-zero: $out"
[ "$out" = "bounce-inspector-cli $version" ] || fail "--version printed '$out'"

step "import the packaged demo mailbox with the installed CLI"
project="$work/demo.bip"
if ! run QT_DEBUG_PLUGINS=1 "$root/usr/bin/bounce-inspector-cli" import --db "$project" \
      "$root/usr/share/bounce-inspector/demo/" >"$work/import.out" 2>"$work/import.err"; then
  grep -v '^qt\.core\.\|^[{}]\|^$' "$work/import.err" | tail -n 20
  fail "the installed CLI could not import the demo mailbox"
fi
# Qt reports each plugin it loads; the SQLite driver must be the system's (libqt6sql6-sqlite).
# Qt 6.4 writes: qt.core.library: "/usr/lib/x86_64-linux-gnu/qt6/plugins/sqldrivers/libqsqlite.so" loaded library
loaded="$(grep -o '"[^"]*libqsqlite[^"]*" loaded library' "$work/import.err" | head -n 1 | cut -d'"' -f2)"
printf 'sqlite driver: %s\n' "${loaded:-<none reported>}"
case "$loaded" in
  /usr/lib/*/qt6/plugins/sqldrivers/libqsqlite.so) ;;
  *) fail "the QSQLITE driver was not loaded from the system Qt plugin directory" ;;
esac

step "summary and bounces from the installed CLI"
run "$root/usr/bin/bounce-inspector-cli" summary --db "$project" >"$work/summary.txt" 2>&1 \
  || fail "summary failed: $(cat "$work/summary.txt")"
[ -s "$work/summary.txt" ] || fail "summary printed nothing"
run "$root/usr/bin/bounce-inspector-cli" bounces --db "$project" --jsonl >"$work/bounces-installed.jsonl" \
  || fail "bounces failed"
records="$(wc -l <"$work/bounces-installed.jsonl")"
[ "$records" -gt 0 ] || fail "the demo project holds no recipient results"
# The same demo through the build tree's CLI must give the same records: the package ships the same
# program, decoder tables included. Only the "file" member (the path) may differ.
built_project="$work/built.bip"
"$built_cli" import --db "$built_project" "$root/usr/share/bounce-inspector/demo/" >/dev/null 2>&1 \
  || fail "the build tree's CLI could not import the demo"
"$built_cli" bounces --db "$built_project" --jsonl >"$work/bounces-built.jsonl" || fail "build-tree bounces failed"
normalise() { sed -E 's/"file":"[^"]*"/"file":""/' "$1"; }
if ! diff <(normalise "$work/bounces-built.jsonl") <(normalise "$work/bounces-installed.jsonl") >"$work/bounces.diff"; then
  head -n 20 "$work/bounces.diff"
  fail "the installed CLI decodes the demo differently from the build tree's"
fi
printf '%s recipient results, identical to the build tree\n' "$records"

step "installed bounce-inspector --smoke-test on the demo project (offscreen)"
# --smoke-test opens the project, waits until the recipient list is loaded, prints
# "bounce-inspector: N rows" and exits 0; any failure to open or load exits non-zero.
run QT_QPA_PLATFORM=offscreen timeout 120 "$root/usr/bin/bounce-inspector" --smoke-test "$project" \
  >"$work/gui.out" 2>"$work/gui.err"
rc=$?
cat "$work/gui.out" "$work/gui.err"
[ "$rc" -eq 0 ] || fail "the installed GUI's smoke test exited with status $rc"
rows="$(sed -n 's/^bounce-inspector: \([0-9][0-9]*\) rows$/\1/p' "$work/gui.out")"
[ -n "$rows" ] && [ "$rows" -gt 0 ] || fail "the installed GUI listed no rows: $(cat "$work/gui.out")"
if grep -Eiq 'driver not loaded|could not load the qt platform plugin|cannot load library|qt.qpa.plugin: could not' "$work/gui.err"; then
  fail "the GUI reported a missing plugin or driver"
fi

step "--smoke-test without the demo data says so and exits 1 (offscreen)"
# The binary alone, beside no share/ folder and with no data folders to search: the demo
# cannot be found, and the smoke test must end with that error, not wait for a window.
mkdir -p "$work/bare/bin" "$work/bare/home"
cp "$root/usr/bin/bounce-inspector" "$work/bare/bin/"
run env HOME="$work/bare/home" XDG_DATA_HOME="$work/bare/home/data" XDG_DATA_DIRS="$work/bare/none" \
  QT_QPA_PLATFORM=offscreen timeout 120 "$work/bare/bin/bounce-inspector" --smoke-test >"$work/bare.out" 2>"$work/bare.err"
rc=$?
[ "$rc" -eq 1 ] || fail "--smoke-test without demo data exited with status $rc (124: it hung)"
grep -q 'demo data .* is not installed' "$work/bare.err" || fail "no word about the missing demo data: $(cat "$work/bare.err")"

printf 'PASS: %s\n' "$(basename "$deb")"
