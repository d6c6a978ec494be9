"""Text tables: rows of cells aligned in columns, for the console, the support log and the
listing commands. Widths count what a terminal shows: East Asian wide characters take two
columns, combining marks none."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """The columns `text` takes on a terminal."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """`text` with spaces after it up to `width` columns."""
    return text + " " * max(width - display_width(text), 0)


def align(rows: Sequence[Sequence[str]], indent: str = "", gap: str = "  ") -> list[str]:
    """One line per row, each column as wide as its widest cell; the last cell of a row is
    not padded and no line ends in spaces."""
    count = max((len(row) for row in rows), default=0)
    widths = [
        max((display_width(row[i]) for row in rows if i < len(row) - 1), default=0)
        for i in range(count)
    ]
    lines = []
    for row in rows:
        cells = [pad(cell, widths[i]) for i, cell in enumerate(row[:-1])] + list(row[-1:])
        lines.append((indent + gap.join(cells)).rstrip())
    return lines
