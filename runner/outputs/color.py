"""Whether the console is coloured, by the conventions people expect.

In order: `--no-color` or `NO_COLOR` (no-color.org) turn colour off; `FORCE_COLOR`
(force-color.org) turns it on even in a pipe; `TERM=dumb` turns it off; otherwise a
terminal gets colour. On Windows the console is first asked to interpret escape codes
(`vt_mode`); one that cannot gets no colour, so escape codes never show raw.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

from runner.outputs import vt_mode


def use_color(
    stream: TextIO, no_color: bool = False, environ: Mapping[str, str] | None = None
) -> bool:
    """True when the console sink may write colour escape codes to `stream`."""
    env = os.environ if environ is None else environ
    if no_color or env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return vt_mode.enable(stream) is not False
    if env.get("TERM") == "dumb" or not is_terminal(stream):
        return False
    return vt_mode.enable(stream) is True


def is_terminal(stream: TextIO) -> bool:
    """True when `stream` is a terminal (a console on Windows)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False
