#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders the application icon from its SVG masters into the committed PNG sizes (freedesktop
# hicolor theme), the Windows .ico and the macOS .icns. Run after editing resources/icons/*.svg
# and commit the results: builds on Windows and macOS have no SVG renderer, so the renders are
# source files too. Needs Debian's librsvg2-bin, icoutils and icnsutils.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
icons="$here/resources/icons"
for tool in rsvg-convert icotool png2icns; do
  command -v "$tool" >/dev/null 2>&1 || {
    printf 'render_icons.sh: %s is missing (apt-get install librsvg2-bin icoutils icnsutils)\n' "$tool" >&2
    exit 1
  }
done

mkdir -p "$icons/png"
for size in 16 24 32 48 64 128 256 512; do
  # Below 32 px the master's thin strokes and gradients blur into mud: use the simplified drawing.
  master="$icons/bounce-inspector.svg"
  [ "$size" -lt 32 ] && master="$icons/bounce-inspector-small.svg"
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$master" \
    --output "$icons/png/bounce-inspector-$size.png"
done

# Windows shows 16..48 in Explorer lists and 256 in large views; Vista+ reads PNG-compressed entries.
icotool --create --output "$icons/bounce-inspector.ico" \
  "$icons/png/bounce-inspector-16.png" "$icons/png/bounce-inspector-24.png" \
  "$icons/png/bounce-inspector-32.png" "$icons/png/bounce-inspector-48.png" \
  --raw="$icons/png/bounce-inspector-256.png"

png2icns "$icons/bounce-inspector.icns" \
  "$icons/png/bounce-inspector-16.png" "$icons/png/bounce-inspector-32.png" \
  "$icons/png/bounce-inspector-48.png" "$icons/png/bounce-inspector-128.png" \
  "$icons/png/bounce-inspector-256.png" "$icons/png/bounce-inspector-512.png" >/dev/null

printf 'rendered icons into %s\n' "$icons"
