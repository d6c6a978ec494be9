"""The WinHTTP proxy from the registry (`Connections\\WinHttpSettings`), which reads the
same in every display language; `netsh winhttp show proxy` prints it translated.

The value is a little-endian blob: a version DWORD, a counter DWORD, a flags DWORD
(0x1 direct, 0x2 a proxy is set), then the proxy server and the bypass list, each a
DWORD length and that many bytes of text.
"""

from __future__ import annotations

import struct

from runner.machine.system import System
from runner.machine.windows_output import WinHttpProxy

KEY = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections"
VALUE = "WinHttpSettings"
_PROXY_SET = 0x2


def parse_settings(blob: bytes) -> WinHttpProxy | None:
    """The blob's proxy, or direct access; None when it is not such a blob."""
    try:
        (flags,) = struct.unpack_from("<I", blob, 8)
        server, offset = _text(blob, 12)
        bypass, _ = _text(blob, offset) if offset < len(blob) else ("", offset)
    except (struct.error, ValueError):
        return None
    if flags & _PROXY_SET and server:
        return WinHttpProxy(direct=False, server=server, bypass=bypass)
    return WinHttpProxy(direct=True)


def _text(blob: bytes, offset: int) -> tuple[str, int]:
    (length,) = struct.unpack_from("<I", blob, offset)
    start = offset + 4
    if start + length > len(blob):
        raise ValueError("text runs past the end of the value")
    return blob[start : start + length].decode("utf-8", errors="replace"), start + length


def from_registry(system: System) -> WinHttpProxy | None:
    """WinHTTP's proxy; direct access when the value was never written (WinHTTP's default);
    None when the key cannot be read (not Windows) or the value is not understood."""
    values = system.registry_values(KEY)
    if values is None:
        return None
    data = values.get(VALUE)
    if data is None:
        return WinHttpProxy(direct=True)
    try:
        blob = bytes.fromhex(data) if isinstance(data, str) else bytes(data)
    except (TypeError, ValueError):
        return None
    return parse_settings(blob)
