# SPDX-License-Identifier: GPL-3.0-or-later
# What `cmake --install` and CPack put where. Included from installer/packaging.cmake.
# Linux follows the FHS and the freedesktop specs (Desktop Entry, Icon Theme, shared-mime-info,
# AppStream); Windows gets bin/ plus windeployqt's DLLs and plugins; macOS a self-contained bundle.
#
# Nothing is loaded from the build or source tree at run time: the decoder tables are compiled in as Qt
# resources, Qt's plugins (the QSQLITE driver above all) come from the system Qt on Linux — the .deb
# depends on libqt6sql6-sqlite for it, see cpack_settings.cmake — and are deployed beside the
# executables on Windows and macOS.

if(APPLE AND BI_BUILD_GUI)
  # The command-line tool lives inside the bundle so that macdeployqt rewrites it against the same
  # bundled Qt frameworks; the demo data goes to the bundle's Resources.
  set(bi_bundle "bounce-inspector.app")
  install(TARGETS bounce-inspector BUNDLE DESTINATION .)
  install(TARGETS bounce-inspector-cli RUNTIME DESTINATION "${bi_bundle}/Contents/MacOS")
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/resources/demo/"
          DESTINATION "${bi_bundle}/Contents/Resources/demo")
else()
  install(TARGETS bounce-inspector-cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
  if(BI_BUILD_GUI)
    install(TARGETS bounce-inspector RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
  endif()
  # The whole demo (mailboxes and smarthost log): bounce-inspector --demo builds its project from it.
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/resources/demo/"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/${BI_PACKAGE_NAME}/demo")
endif()

if(UNIX AND NOT APPLE)
  # qt_standard_project_setup() gives every executable an install RUNPATH of $ORIGIN:$ORIGIN/../lib
  # for projects that ship their own shared libraries. Ours are static and Qt is the system's, so
  # the search path is useless and Debian forbids it (policy §10.2, lintian: custom-library-search-path).
  set(bi_installed_targets bounce-inspector-cli)
  if(BI_BUILD_GUI)
    list(APPEND bi_installed_targets bounce-inspector)
  endif()
  set_target_properties(${bi_installed_targets} PROPERTIES INSTALL_RPATH "")

  # Manual pages and the Debian changelog are shipped gzip-compressed; -n leaves the name and time
  # stamp out so that two builds of the same sources give byte-identical packages (Debian policy
  # §12.1 and §12.7, lintian: package-contains-timestamped-gzip).
  set(bi_generated "${CMAKE_BINARY_DIR}/installer")
  set(bi_gzipped)
  foreach(page bounce-inspector-cli bounce-inspector)
    if(page STREQUAL "bounce-inspector" AND NOT BI_BUILD_GUI)
      continue()
    endif()
    configure_file("${BI_INSTALLER_DIR}/linux/${page}.1.in" "${bi_generated}/man/${page}.1" @ONLY)
    list(APPEND bi_gzipped "${bi_generated}/man/${page}.1")
  endforeach()
  configure_file("${BI_INSTALLER_DIR}/debian/changelog" "${bi_generated}/doc/changelog" COPYONLY)
  list(APPEND bi_gzipped "${bi_generated}/doc/changelog")

  set(bi_gzip_outputs)
  foreach(file IN LISTS bi_gzipped)
    add_custom_command(OUTPUT "${file}.gz"
                       COMMAND gzip -9 -n -k -f "${file}"
                       DEPENDS "${file}"
                       COMMENT "Compressing ${file}" VERBATIM)
    list(APPEND bi_gzip_outputs "${file}.gz")
  endforeach()
  add_custom_target(bi_packaging_files ALL DEPENDS ${bi_gzip_outputs})

  install(FILES "${bi_generated}/man/bounce-inspector-cli.1.gz"
          DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
  set(bi_doc_dir "${CMAKE_INSTALL_DATADIR}/doc/${BI_PACKAGE_NAME}")
  install(FILES "${BI_INSTALLER_DIR}/debian/copyright" "${bi_generated}/doc/changelog.gz"
          DESTINATION "${bi_doc_dir}")

  if(BI_BUILD_GUI)
    install(FILES "${bi_generated}/man/bounce-inspector.1.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
    install(FILES "${BI_INSTALLER_DIR}/linux/${BI_APP_ID}.desktop"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
    install(FILES "${BI_INSTALLER_DIR}/linux/${BI_APP_ID}.metainfo.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
    # shared-mime-info reads every packages/*.xml; dpkg's trigger of shared-mime-info rebuilds the
    # cache, and desktop-file-utils' trigger the MimeType= associations, so no maintainer scripts.
    install(FILES "${BI_INSTALLER_DIR}/linux/${BI_APP_ID}.mime.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/mime/packages" RENAME "${BI_APP_ID}.xml")
    foreach(size IN LISTS BI_ICON_SIZES)
      install(FILES "${BI_ICON_DIR}/png/bounce-inspector-${size}.png"
              DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps"
              RENAME "${BI_APP_ID}.png")
    endforeach()
    install(FILES "${BI_ICON_DIR}/bounce-inspector.svg"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps" RENAME "${BI_APP_ID}.svg")
  endif()
endif()

if(WIN32 AND BI_BUILD_GUI)
  # The executable's own icon (Explorer, taskbar, the NSIS shortcuts) comes from a resource script.
  configure_file("${BI_INSTALLER_DIR}/windows/bounce-inspector.rc.in"
                 "${CMAKE_BINARY_DIR}/installer/bounce-inspector.rc" @ONLY)
  target_sources(bounce-inspector PRIVATE "${CMAKE_BINARY_DIR}/installer/bounce-inspector.rc")
endif()

if(APPLE AND BI_BUILD_GUI)
  # Bundle metadata: the icon and the document types behind Finder's "Open With" (.bip owned,
  # .mbox and .eml as an alternate viewer).
  set(bi_icns "${BI_ICON_DIR}/bounce-inspector.icns")
  target_sources(bounce-inspector PRIVATE "${bi_icns}")
  set_source_files_properties("${bi_icns}" TARGET_DIRECTORY bounce-inspector
                              PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
  set_target_properties(bounce-inspector PROPERTIES
    MACOSX_BUNDLE_INFO_PLIST "${BI_INSTALLER_DIR}/macos/Info.plist.in"
    MACOSX_BUNDLE_BUNDLE_NAME "Bounce Inspector"
    MACOSX_BUNDLE_GUI_IDENTIFIER "${BI_APP_ID}"
    MACOSX_BUNDLE_ICON_FILE "bounce-inspector.icns"
    MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
    MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
    MACOSX_BUNDLE_COPYRIGHT "GPL-3.0-or-later")
endif()

if((WIN32 OR APPLE) AND BI_BUILD_GUI)
  # windeployqt / macdeployqt run at install time (so also inside cpack): they copy the Qt libraries
  # and the plugins both executables need — platform, styles, image formats and sqldrivers/qsqlite —
  # next to them. Qt 6.4's deploy support is a technology preview; installer/README.md gives the
  # equivalent manual commands.
  if(APPLE)
    set(bi_deploy_exe "bounce-inspector.app")
    set(bi_deploy_extra "bounce-inspector.app/Contents/MacOS/bounce-inspector-cli")
  else()
    set(bi_deploy_exe "\${QT_DEPLOY_BIN_DIR}/$<TARGET_FILE_NAME:bounce-inspector>")
    set(bi_deploy_extra "\${QT_DEPLOY_BIN_DIR}/$<TARGET_FILE_NAME:bounce-inspector-cli>")
  endif()
  set(bi_deploy_script "${CMAKE_BINARY_DIR}/installer/deploy_qt-$<CONFIG>.cmake")
  file(GENERATE OUTPUT "${bi_deploy_script}" CONTENT "\
include(\"${QT_DEPLOY_SUPPORT}\")
qt6_deploy_runtime_dependencies(
    EXECUTABLE \"${bi_deploy_exe}\"
    ADDITIONAL_EXECUTABLES \"${bi_deploy_extra}\"
    GENERATE_QT_CONF
)
")
  install(SCRIPT "${bi_deploy_script}")
endif()
