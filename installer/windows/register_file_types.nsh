; SPDX-License-Identifier: GPL-3.0-or-later
; File associations, !included into the main section of CPack's NSIS installer
; (CPACK_NSIS_EXTRA_INSTALL_COMMANDS in installer/cpack_settings.cmake). SHCTX is HKLM for an
; all-users installation and HKCU otherwise, following the installer's SetShellVarContext.
; .bip projects open in Bounce Inspector; .mbox and .eml files only get an "Open with" entry
; (OpenWithProgids), so the user's mail program stays their default.
WriteRegStr SHCTX "Software\Classes\.bip" "" "BounceInspector.Project"
WriteRegStr SHCTX "Software\Classes\.bip" "Content Type" "application/x-bounce-inspector-project"
WriteRegStr SHCTX "Software\Classes\BounceInspector.Project" "" "Bounce Inspector project"
WriteRegStr SHCTX "Software\Classes\BounceInspector.Project\DefaultIcon" "" "$INSTDIR\bin\bounce-inspector.exe,0"
WriteRegStr SHCTX "Software\Classes\BounceInspector.Project\shell\open\command" "" '"$INSTDIR\bin\bounce-inspector.exe" "%1"'
WriteRegStr SHCTX "Software\Classes\BounceInspector.Mailbox" "" "Mailbox"
WriteRegStr SHCTX "Software\Classes\BounceInspector.Mailbox\DefaultIcon" "" "$INSTDIR\bin\bounce-inspector.exe,0"
WriteRegStr SHCTX "Software\Classes\BounceInspector.Mailbox\shell\open\command" "" '"$INSTDIR\bin\bounce-inspector.exe" "%1"'
WriteRegStr SHCTX "Software\Classes\.mbox\OpenWithProgids" "BounceInspector.Mailbox" ""
WriteRegStr SHCTX "Software\Classes\.eml\OpenWithProgids" "BounceInspector.Mailbox" ""
WriteRegStr SHCTX "Software\Classes\Applications\bounce-inspector.exe" "FriendlyAppName" "Bounce Inspector"
WriteRegStr SHCTX "Software\Classes\Applications\bounce-inspector.exe\SupportedTypes" ".bip" ""
WriteRegStr SHCTX "Software\Classes\Applications\bounce-inspector.exe\SupportedTypes" ".mbox" ""
WriteRegStr SHCTX "Software\Classes\Applications\bounce-inspector.exe\SupportedTypes" ".eml" ""
; SHCNE_ASSOCCHANGED: Explorer re-reads the associations without a log-off.
System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
