#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bounce Inspector set-up on Debian 12: installs what is missing, builds, then runs or tests.
#   ./bootstrap.sh run              build (Release) and start the desktop app on the demo project
#                                   (bounce-inspector --demo; without a display, the CLI summary of it)
#   ./bootstrap.sh test [--sanitize] build and run the whole ctest suite
#   ./bootstrap.sh build            only install and build
#   ./bootstrap.sh package          build (Release) the .deb and .tar.gz into build/packages/, lintian the .deb
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6sql6-sqlite libsqlite3-dev
  libqt6opengl6-dev # Qt6Charts' CMake package needs Qt6OpenGL; qt6-base-dev only recommends it
  libmimetic-dev zlib1g-dev libzstd-dev libgl-dev libjemalloc-dev libssl-dev libpsl-dev
  qt6-qpa-plugins libxkbcommon-x11-0 fonts-dejavu-core fonts-droid-fallback
  poppler-utils
  dpkg-dev file
)
# For `package` and `test`: the .deb's checks (ctest's package_lint runs lintian and the
# desktop-file, AppStream and MIME validators; without them it would only be skipped).
package_packages=(
  lintian desktop-file-utils appstream shared-mime-info libglib2.0-bin
)

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bootstrap.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to install: $*"
  fi
}

install_missing() {
  local missing=()
  local p
  for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "build dependencies present"
    return
  fi
  say "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  local dir="$1"; shift
  say "configuring $dir"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  say "building $dir"
  cmake --build "$dir" -j"$(nproc)"
}

demo_project() {
  local db="build/demo/demo.bip"
  mkdir -p build/demo
  rm -f "$db" "$db-wal" "$db-shm"
  say "importing the demo data into $db"
  build/bin/bounce-inspector-cli import --db "$db" resources/demo/ >&2
  printf '%s\n' "$db"
}

cmd="${1:-run}"
shift || true
case "$cmd" in
  build)
    install_missing
    build build
    ;;
  run)
    install_missing
    build build
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
      # The app builds its own demo project (in its data folder) from build/share/bounce-inspector/demo.
      say "starting bounce-inspector --demo"
      exec build/bin/bounce-inspector --demo
    fi
    db="$(demo_project)"
    say "no display: demo summary from the command line"
    build/bin/bounce-inspector-cli summary --db "$db"
    ;;
  test)
    packages+=("${package_packages[@]}")
    install_missing
    if [ "${1:-}" = "--sanitize" ]; then
      build build-sanitize -DBI_SANITIZE=ON -DBI_WERROR=ON
      dir=build-sanitize
    else
      build build -DBI_WERROR=ON
      dir=build
    fi
    say "running ctest in $dir"
    cd "$dir"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc)"
    ;;
  package)
    packages+=("${package_packages[@]}")
    install_missing
    build build
    say "packaging into build/packages"
    rm -f build/packages/*.deb build/packages/*.tar.gz
    (cd build && cpack --config CPackConfig.cmake -B "$here/build/packages")
    deb="$(ls build/packages/*.deb)"
    say "lintian $deb"
    lintian --fail-on error "$deb"
    ls -l build/packages/*.deb build/packages/*.tar.gz
    ;;
  *)
    die "unknown command '$cmd' (use run, test, build or package)"
    ;;
esac
