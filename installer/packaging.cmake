# SPDX-License-Identifier: GPL-3.0-or-later
# Install layout and packages. Included once from the top-level CMakeLists.txt after every target
# exists: install rules first (install_rules.cmake), then the CPack generators (cpack_settings.cmake).
#   cmake --install build --prefix /usr      a plain install
#   cpack --config build/CPackConfig.cmake   .deb and .tar.gz on Linux, NSIS on Windows, .dmg on macOS
# installer/README.md explains every platform's steps, including windeployqt and macdeployqt.
include(GNUInstallDirs)

# One reverse-DNS id names the desktop file, the AppStream component, the MIME package and the icon,
# as the freedesktop Desktop Entry spec (§ "File naming") and AppStream ask.
set(BI_APP_ID "net.bounceinspector.BounceInspector")
set(BI_PACKAGE_NAME "bounce-inspector")
set(BI_PROJECT_MIME_TYPE "application/x-bounce-inspector-project")
set(BI_PACKAGE_CONTACT "Bounce Inspector developers <bounce-inspector@example.org>"
    CACHE STRING "Maintainer written into the packages (Debian: Maintainer field)")

set(BI_INSTALLER_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(BI_ICON_DIR "${PROJECT_SOURCE_DIR}/resources/icons")
set(BI_ICON_SIZES 16 24 32 48 64 128 256 512)

# Installed directories stay mode 0755 whatever the builder's umask (lintian: non-standard-dir-perm).
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

include("${BI_INSTALLER_DIR}/install_rules.cmake")
include("${BI_INSTALLER_DIR}/cpack_settings.cmake")
