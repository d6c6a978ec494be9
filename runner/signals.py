"""SIGINT/SIGTERM set the run's stop event; a second signal stops at once."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s
)


def install(stop: asyncio.Event) -> Callable[[], None]:
    """Makes SIGINT and SIGTERM set `stop`; returns a function restoring the old handlers.

    Must be called from the running loop's thread (the main thread). The first signal asks
    the engine to stop (it reports unfinished checks as interrupted and still writes every
    output); the second one restores the default handlers, so a third kills as usual.
    """
    loop = asyncio.get_running_loop()
    previous: dict[int, Any] = {}

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        previous.clear()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            restore()
            return
        loop.call_soon_threadsafe(stop.set)

    for signum in _SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread, or unsupported
            previous[signum] = signal.signal(signum, on_signal)
    return restore
