"""The status line of a run in progress, on a terminal only: checks done of those expected,
what is still waiting and for how long, rewritten in place.

Only a carriage return and spaces move it (no escape codes), so it works on any terminal
and on a Windows console without virtual-terminal mode; it is never longer than the
terminal is wide, so it never wraps onto a second line.
"""

from __future__ import annotations

import os
import shutil
from typing import TextIO

from runner.events import Progress
from runner.redact import Redactor


def text(progress: Progress, width: int) -> str:
    """`12/40 checks done; waiting: storage tcp 4s, entra-id tls 2s, +3 more`, cut to `width`."""
    head = f"{progress.done}/{progress.total} checks done"
    if not progress.waiting:
        return head[:width]
    items = [f"{item.what} {item.seconds:.0f}s" for item in progress.waiting]
    for shown in range(len(items), 0, -1):
        rest = len(items) - shown
        line = f"{head}; waiting: {', '.join(items[:shown])}" + (f", +{rest} more" if rest else "")
        if len(line) <= width:
            return line
    return f"{head}; {len(items)} waiting"[:width]


def columns(stream: TextIO) -> int:
    """The width of the terminal `stream` writes to."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return shutil.get_terminal_size().columns


class StatusLine:
    """One line at the bottom of the terminal, rewritten in place; `clear` before printing."""

    def __init__(self, stream: TextIO, redactor: Redactor) -> None:
        self.stream = stream
        self.redactor = redactor
        #: Columns the line on screen takes (0: nothing shown).
        self.shown = 0

    def show(self, progress: Progress) -> None:
        # One column spare: a line exactly as wide as the terminal wraps on some consoles.
        line = self.redactor.mask(text(progress, max(columns(self.stream) - 1, 20)))
        self._write("\r" + line + " " * max(self.shown - len(line), 0))
        self.shown = len(line)

    def clear(self) -> None:
        if self.shown:
            self._write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def _write(self, chars: str) -> None:
        try:
            self.stream.write(chars)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: the run goes on
            self.shown = 0
