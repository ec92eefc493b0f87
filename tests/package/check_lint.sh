#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Validates what the .deb built by check_deb.sh ships for the desktop: the desktop entry, the
# AppStream metadata, the MIME type (does a project file get our type, by name and by content, and a
# foreign SQLite file not?), the version everywhere, and lintian on the whole package (no errors).
# Usage: check_lint.sh WORK_DIR VERSION
# Exit: 0 pass, 1 fail, 77 skipped (a validator is not installed, or check_deb.sh made no package).
set -uo pipefail

work="$1" version="$2"
root="$work/root"
deb="$work/package.deb"
app_id=net.bounceinspector.BounceInspector
type=application/x-bounce-inspector-project

fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
step() { printf -- '-- %s\n' "$*"; }

missing=()
for tool in lintian desktop-file-validate appstreamcli update-mime-database gio; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  printf 'SKIP: validators missing: %s (Debian: lintian desktop-file-utils appstream shared-mime-info libglib2.0-bin; ./bootstrap.sh package installs them)\n' "${missing[*]}"
  exit 77
fi
if [ ! -e "$deb" ] || [ ! -d "$root" ]; then
  printf 'SKIP: no unpacked package in %s (package_deb was skipped)\n' "$work"
  exit 77
fi

step "desktop entry"
desktop="$root/usr/share/applications/$app_id.desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $desktop"
key() { sed -n "s/^$1=//p" "$desktop"; }
icon="$(key Icon)"
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "Icon=$icon has no installed icon"
exe="$(key Exec)"; exe="${exe%% *}"
[ -x "$root/usr/bin/$exe" ] || fail "Exec=$exe is not an installed program"
for mime in "$type" application/mbox message/rfc822; do
  key MimeType | tr ';' '\n' | grep -qxF "$mime" || fail "MimeType= lacks $mime"
done

step "AppStream metadata"
metainfo="$root/usr/share/metainfo/$app_id.metainfo.xml"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli rejects $metainfo"
latest="$(grep -o '<release version="[^"]*"' "$metainfo" | head -n 1 | cut -d'"' -f2)"
[ "$latest" = "$version" ] || fail "the newest AppStream release is '$latest', the project is $version"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
  || fail "the AppStream launchable is not $app_id.desktop"

step "Debian changelog"
top="$(zcat "$root/usr/share/doc/bounce-inspector/changelog.gz" | head -n 1)"
[[ "$top" == "bounce-inspector ($version) "* ]] || fail "changelog.gz starts with '$top', the project is $version"

step "MIME type"
# A private XDG data dir with the system's database plus ours, compiled like dpkg's trigger does.
xdg="$work/xdg"
rm -rf "$xdg"
mkdir -p "$xdg/mime/packages"
cp /usr/share/mime/packages/freedesktop.org.xml "$xdg/mime/packages/"
cp "$root/usr/share/mime/packages/$app_id.xml" "$xdg/mime/packages/"
XDG_DATA_DIRS="$xdg" update-mime-database "$xdg/mime" 2>"$work/mime.err" || { cat "$work/mime.err"; fail "update-mime-database rejects the MIME XML"; }
[ ! -s "$work/mime.err" ] || { cat "$work/mime.err"; fail "update-mime-database warned"; }
grep -q "$type" "$xdg/mime/types" || fail "$type is not in the compiled database"
content_type() {
  env -i HOME="$work/home" XDG_DATA_HOME="$work/xdg-none" XDG_DATA_DIRS="$xdg" \
    gio info --attributes=standard::content-type "$1" | sed -n 's/^ *standard::content-type: //p'
}
project="$work/demo.bip"
[ -s "$project" ] || fail "check_deb.sh left no demo project"
cp "$project" "$work/project-without-extension"
# A foreign SQLite file: the same header with a different application id (offset 68, big-endian).
{ head -c 68 "$project"; printf 'XXXX'; tail -c +73 "$project"; } >"$work/foreign-sqlite"
got="$(content_type "$project")"
[ "$got" = "$type" ] || fail "demo.bip is '$got', not $type"
got="$(content_type "$work/project-without-extension")"
[ "$got" = "$type" ] || fail "a project without extension is '$got': the magic does not match"
got="$(content_type "$work/foreign-sqlite")"
[ "$got" = application/vnd.sqlite3 ] || fail "a foreign SQLite file is '$got', not application/vnd.sqlite3"

step "lintian"
lintian --fail-on error --display-info "$deb" >"$work/lintian.txt" 2>&1
rc=$?
cat "$work/lintian.txt"
errors="$(grep -c '^E: ' "$work/lintian.txt")"
printf 'lintian: %s error(s), %s warning(s)\n' "$errors" "$(grep -c '^W: ' "$work/lintian.txt")"
[ "$rc" -eq 0 ] && [ "$errors" -eq 0 ] || fail "lintian reports errors (status $rc)"

printf 'PASS: desktop entry, AppStream, MIME type and lintian\n'
