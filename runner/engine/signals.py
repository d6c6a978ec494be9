"""SIGINT/SIGTERM set the run's stop event; a second signal stops at once.

On Unix the handlers go through the event loop (`loop.add_signal_handler`), which wakes
the loop through its self-pipe whichever thread the kernel delivers the signal to: with
a plain `signal.signal` handler, a signal landing on a worker thread (`asyncio.to_thread`)
would wait until the main thread's `select()` timed out. Elsewhere (Windows) a plain
handler is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

from runner.engine import early_signals

_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s
)


def install(stop: asyncio.Event, on_first: Callable[[], None] | None = None) -> Callable[[], None]:
    """Makes SIGINT and SIGTERM set `stop`; returns a function restoring the old handlers.

    `on_first` is called on the first signal (e.g. to tell the user the run is stopping).

    Must be called from the running loop's thread (the main thread). The first signal asks
    the engine to stop (it reports unfinished checks as interrupted and still writes every
    output); the second one restores the default handlers, so a third kills as usual.
    """
    loop = asyncio.get_running_loop()
    previous: dict[int, Any] = {}
    via_loop: list[int] = []

    def restore() -> None:
        for signum in via_loop:
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(signum)
        via_loop.clear()
        for signum, handler in previous.items():
            if handler is not None:
                signal.signal(signum, handler)
        previous.clear()

    def on_stop() -> None:
        if early_signals.late():  # the run is over and its outputs are written
            return
        if stop.is_set():
            restore()
            return
        stop.set()
        if on_first is not None:
            with contextlib.suppress(Exception):  # a notice must never break the stop
                on_first()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(on_stop)

    early = early_signals.take()  # a signal before these handlers: stop at once
    if early is not None:
        loop.call_soon(on_stop)
    for signum in _SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread, or unsupported
            previous[signum] = signal.getsignal(signum)
            try:
                loop.add_signal_handler(signum, on_stop)
                via_loop.append(signum)
            except (NotImplementedError, RuntimeError):  # loops without it (Windows)
                signal.signal(signum, on_signal)
    return restore
