"""A console stream that goes quiet instead of failing the run.

`asrcheck run ... | head -1` closes the pipe, a console redirected to a full disk fails
with ENOSPC: either way the checks, the support log and the JSON report must still
complete. `Guarded` wraps `sys.stdout` / `sys.stderr`; after the first error it drops
every write, and it points the file descriptor at the null device so that the
interpreter's final flush does not fail either.
"""

from __future__ import annotations

import contextlib
import os
from typing import TextIO


class Guarded:
    """Write-only wrapper of a text stream; `broken` once a write or flush failed."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self._stream.write(text)
            except (OSError, ValueError):
                self._break()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._break()

    def isatty(self) -> bool:
        try:
            return not self.broken and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    def _break(self) -> None:
        self.broken = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._stream.fileno())
            os.close(null)
