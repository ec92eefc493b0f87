; SPDX-License-Identifier: GPL-3.0-or-later
; Undoes register_file_types.nsh in the uninstaller (CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS). .bip is
; ours alone and goes entirely; for .mbox and .eml only our "Open with" value is removed.
DeleteRegKey SHCTX "Software\Classes\.bip"
DeleteRegKey SHCTX "Software\Classes\BounceInspector.Project"
DeleteRegKey SHCTX "Software\Classes\BounceInspector.Mailbox"
DeleteRegValue SHCTX "Software\Classes\.mbox\OpenWithProgids" "BounceInspector.Mailbox"
DeleteRegValue SHCTX "Software\Classes\.eml\OpenWithProgids" "BounceInspector.Mailbox"
DeleteRegKey SHCTX "Software\Classes\Applications\bounce-inspector.exe"
System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
