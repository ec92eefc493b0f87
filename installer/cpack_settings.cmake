# SPDX-License-Identifier: GPL-3.0-or-later
# CPack: a Debian package and a .tar.gz on Linux, an NSIS installer (plus .zip) on Windows and a
# drag-and-drop .dmg on macOS. Included from installer/packaging.cmake after the install rules.
# `./bootstrap.sh package` runs it into build/packages/ and checks the .deb with lintian.

set(CPACK_PACKAGE_NAME "${BI_PACKAGE_NAME}")
set(CPACK_PACKAGE_VENDOR "Bounce Inspector")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${BI_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "explain for every recipient why an e-mail bounced")
# Debian policy §3.4.2: the extended description says what the package is for, in short lines.
set(CPACK_PACKAGE_DESCRIPTION
"Bounce Inspector is a desktop application for e-mail deliverability
consultants. It imports mailboxes (mbox, Maildir, single messages) and
smarthost logs (Postfix, Exim, Sendmail, qmail, PowerMTA, Exchange,
OpenSMTPD), also gzip-compressed, into a local SQLite project, decodes every
bounce (RFC 3464 delivery status notifications, RFC 5965 feedback reports,
RFC 3834 auto-replies and the non-standard formats of common mail servers
and providers) and explains for each recipient whether delivery was
rejected, expired or bounced asynchronously.

The package also contains bounce-inspector-cli, a command-line tool that
decodes mail to JSON lines and builds and summarises projects without a
display.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Bounce Inspector")
set(CPACK_PACKAGE_EXECUTABLES "bounce-inspector" "Bounce Inspector")
set(CPACK_RESOURCE_FILE_LICENSE "${BI_INSTALLER_DIR}/license.txt")
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/packages")
# Release binaries carry no debugging symbols into a package (lintian: unstripped-binary-or-object).
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS ${CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS})

if(WIN32)
  set(CPACK_GENERATOR "NSIS;ZIP")
elseif(APPLE)
  set(CPACK_GENERATOR "DragNDrop")
else()
  set(CPACK_GENERATOR "DEB;TGZ")
endif()

# Source packages from `cpack --config CPackSourceConfig.cmake`: the tracked tree, never build output.
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_PACKAGE_FILE_NAME "${BI_PACKAGE_NAME}-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/\\\\.cache/" "\\\\.user$")

# --- Debian ------------------------------------------------------------------------------------
# A native package (no Debian revision): its history is /usr/share/doc/bounce-inspector/changelog.gz.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "mail")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# dpkg-shlibdeps computes the libraries' packages (libqt6core6, libqt6sql6, libqt6widgets6,
# libqt6charts6, libstdc++6, zlib1g, ...) from the ELF binaries. It cannot see plugins that Qt opens
# with dlopen at run time: QSqlDatabase::addDatabase("QSQLITE") loads
# <Qt plugins>/sqldrivers/libqsqlite.so, which Debian ships in libqt6sql6-sqlite — without it the
# installed program fails with "Driver not loaded". So that one is named here; CPack appends the
# computed list to it. The xcb platform plugin is part of libqt6gui6; Wayland sessions want
# qt6-wayland, which is only recommended because XWayland works too.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The PDF report draws with DejaVu Sans (read at run time, core/report/pdf/pdf_layout.cpp), and
# with Droid Sans Fallback the Chinese, Japanese and Korean letters DejaVu lacks (else boxes).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, fonts-dejavu-core")
# libpsl5 (computed) has a Public Suffix List built in, as old as the library; Debian's
# publicsuffix package keeps it current (new country and brand suffixes).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "publicsuffix, fonts-droid-fallback")
if(BI_BUILD_GUI)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "publicsuffix, fonts-droid-fallback, qt6-wayland")
endif()

# --- Windows: NSIS ------------------------------------------------------------------------------
# Start-menu shortcut, uninstaller, an optional PATH entry for bounce-inspector-cli, and the file
# associations of installer/windows/*.nsh (.bip opens in the app; .mbox/.eml get "Open with").
# NSIS takes single-quoted strings as they are, which spares the layers of backslash escaping that
# CPack's NSIS variables otherwise need.
set(CPACK_NSIS_DISPLAY_NAME "Bounce Inspector")
set(CPACK_NSIS_PACKAGE_NAME "Bounce Inspector ${PROJECT_VERSION}")
set(CPACK_NSIS_MUI_ICON "${BI_ICON_DIR}/bounce-inspector.ico")
set(CPACK_NSIS_MUI_UNIICON "${BI_ICON_DIR}/bounce-inspector.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\bounce-inspector.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH ON)
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "!include '${BI_INSTALLER_DIR}/windows/register_file_types.nsh'")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "!include '${BI_INSTALLER_DIR}/windows/unregister_file_types.nsh'")

# --- macOS: DragNDrop ---------------------------------------------------------------------------
# The .dmg holds the self-contained bundle (after macdeployqt, see install_rules.cmake) and a link
# to /Applications to drag it onto.
set(CPACK_DMG_VOLUME_NAME "Bounce Inspector ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT "UDBZ")

include(CPack)
