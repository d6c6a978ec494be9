"""Runs blocking socket work in a daemon thread, so an interrupted run never waits for it.

`asyncio.to_thread` uses the default executor, whose threads the interpreter joins at
exit; a stopped run would then wait for every blocked handshake's socket timeout.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def in_thread(func: Callable[[], T]) -> T:
    """Runs `func()` in a new daemon thread and awaits its result (or exception)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(ok: bool, value: object) -> None:
        if future.done():
            return
        if ok:
            future.set_result(value)  # type: ignore[arg-type]
        else:
            assert isinstance(value, BaseException)
            future.set_exception(value)

    def work() -> None:
        try:
            value: object = func()
            ok = True
        except BaseException as error:  # handed to the awaiting task, never lost
            value, ok = error, False
        try:
            loop.call_soon_threadsafe(deliver, ok, value)
        except RuntimeError:  # the loop is closed: nobody waits any more
            pass

    threading.Thread(target=work, daemon=True, name="asrcheck-blocking").start()
    return await future
