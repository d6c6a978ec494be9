"""Reads Windows registry keys with `winreg`. Importable everywhere; works only on Windows.

Keys are "HIVE\\path" strings (HKLM, HKCU, HKU). Keys are opened read-only in the 64-bit
view, so a 32-bit Python sees the same tree as the tools; the 32-bit view is addressed
through its WOW6432Node path.
"""

from __future__ import annotations

import sys
from typing import Any


def _split(key: str) -> tuple[str, str]:
    hive, _, path = key.partition("\\")
    return hive.upper(), path


if sys.platform == "win32":
    import winreg

    _HIVES = {
        "HKLM": winreg.HKEY_LOCAL_MACHINE,
        "HKCU": winreg.HKEY_CURRENT_USER,
        "HKU": winreg.HKEY_USERS,
    }

    def _data(value: Any, kind: int) -> Any:
        if kind == winreg.REG_BINARY and isinstance(value, bytes):
            return value.hex()
        return value

    def values(key: str) -> dict[str, Any] | None:
        hive, path = _split(key)
        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        try:
            with winreg.OpenKey(_HIVES[hive], path, 0, access) as handle:
                found: dict[str, Any] = {}
                index = 0
                while True:
                    try:
                        name, value, kind = winreg.EnumValue(handle, index)
                    except OSError:
                        return found
                    found[name] = _data(value, kind)
                    index += 1
        except (OSError, KeyError):
            return None

    def subkeys(key: str) -> list[str] | None:
        hive, path = _split(key)
        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        try:
            with winreg.OpenKey(_HIVES[hive], path, 0, access) as handle:
                names: list[str] = []
                while True:
                    try:
                        names.append(winreg.EnumKey(handle, len(names)))
                    except OSError:  # noqa: PERF203 - EnumKey ends with OSError
                        return sorted(names)
        except (OSError, KeyError):
            return None

else:

    def values(key: str) -> dict[str, Any] | None:
        """Not Windows: no registry."""
        return None

    def subkeys(key: str) -> list[str] | None:
        """Not Windows: no registry."""
        return None
