"""Makes text from the network safe to show: control characters escaped, length bounded.

A hostile peer (a TLS-inspecting middlebox, a misbehaving proxy) chooses certificate
names, reason phrases and headers. Printed raw, they could clear the screen, set the
terminal title or forge a whole `PASS ...` line. Every human line of a result goes through
`escaped` (the engine applies it to each detail and hint line), and the stages cut each
peer-supplied value with `shown` where they build their detail; facts (and so the JSON
report) keep the exact values.
"""

from __future__ import annotations

import unicodedata

#: The longest peer-supplied value shown in a detail line.
LIMIT = 200

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unsafe(char: str) -> bool:
    """C0/C1 controls, DEL, line/paragraph separators, bidi overrides and other formats."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def escaped(text: str) -> str:
    """`text` on one line with every control or format character written visibly."""
    if text.isprintable():
        return text
    return "".join(_visible(c) if _unsafe(c) else c for c in text)


def shown(text: str, limit: int = LIMIT) -> str:
    """A peer-supplied value for a detail line: escaped and cut to `limit` characters."""
    safe = escaped(text)
    if len(safe) <= limit:
        return safe
    return f"{safe[:limit]}... ({len(safe) - limit} more characters)"


def lines_escaped(text: str) -> str:
    """Multi-line text (hints) with each line escaped; the line breaks are kept."""
    return "\n".join(escaped(line) for line in text.split("\n"))
