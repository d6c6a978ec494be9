"""Escape codes on a Windows console: virtual-terminal processing turned on through
`SetConsoleMode`, so that colours show as colours instead of raw `ESC[31m` text.

Windows 10 (1511) and later consoles understand escape codes once a program asks for it;
older ones do not, and then the console prints without colour. Elsewhere terminals
understand them as they are.
"""

from __future__ import annotations

import sys
from typing import TextIO

#: The console mode flag that makes a Windows console interpret escape codes.
ENABLE_VIRTUAL_TERMINAL_PROCESSING = 0x0004


def with_vt(mode: int) -> int:
    """The console mode `mode` with virtual-terminal processing added."""
    return mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING


if sys.platform == "win32":
    import ctypes
    import msvcrt
    from ctypes import wintypes

    def enable(stream: TextIO) -> bool | None:
        """Makes escape codes work on `stream`: True when they do, False on a console that
        cannot interpret them, None when `stream` is not a console (a pipe or a file:
        whoever reads it decides)."""
        try:
            handle = msvcrt.get_osfhandle(stream.fileno())
        except (AttributeError, OSError, ValueError):
            return None
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        mode = wintypes.DWORD()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return None  # a pipe or a file
        if mode.value & ENABLE_VIRTUAL_TERMINAL_PROCESSING:
            return True
        return bool(kernel32.SetConsoleMode(handle, with_vt(mode.value)))

else:

    def enable(stream: TextIO) -> bool | None:
        """Not Windows: terminals interpret escape codes as they are."""
        return True
