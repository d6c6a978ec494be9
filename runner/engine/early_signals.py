"""SIGINT/SIGTERM from the first moment of `asrcheck run`, before the heavy imports.

`arm()` is called by the command line before it imports the run command (httpx,
dnspython, jsonschema: tenths of a second). A signal that arrives before the run's own
handlers exist (`runner.engine.signals.install`) is kept, not lost: `take()` hands it to
the run, which stops at once and still writes the support log and the JSON report,
saying the run was interrupted before any check ran. A second early signal quits at
once, as the default handlers would. Once the outputs are written (`outputs_written()`)
a late signal changes nothing: the exit code stays the one the log states.

Only the `signal` module is imported here, so arming costs nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
from types import FrameType
from typing import Any

_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s
)


class _State:
    pending: int | None = None
    taken = False
    late = False
    #: Armed by an entry point, for the rest of the process (never disarmed).
    for_process = False
    saved: dict[int, Any] = {}  # noqa: RUF012 - module-private singleton state


def _handler(signum: int, frame: FrameType | None) -> None:
    if _State.late:
        return  # the outputs are written: the run is over, its exit code stands
    if _State.pending is None and not _State.taken:
        _State.pending = signum
        return
    _escalate(signum)


def _escalate(signum: int) -> None:
    """As the default handler would: KeyboardInterrupt for SIGINT, else die of it."""
    if signum == getattr(signal, "SIGINT", None):
        raise KeyboardInterrupt
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def arm(*, for_process: bool = False) -> bool:
    """Catches SIGINT and SIGTERM until `disarm()` (main thread only; else a no-op).
    False when already armed (a signal kept so far stays kept). `for_process`: an entry
    point arms for the whole process, which exits after the run (see `outputs_written`)."""
    _State.for_process = _State.for_process or for_process
    if _State.saved:
        return False
    _State.pending, _State.taken, _State.late = None, False, False
    for signum in _SIGNALS:
        try:
            previous = signal.signal(signum, _handler)
        except (ValueError, OSError):  # not the main thread
            continue
        _State.saved.setdefault(signum, previous)
    return True


def take() -> int | None:
    """The signal that arrived before the run's handlers, if any; later ones escalate."""
    _State.taken = True
    pending, _State.pending = _State.pending, None
    return pending


def outputs_written() -> None:
    """From now on a signal is ignored (until `disarm()`). Call it once the run's own
    handlers are gone. Armed for the process, SIGINT and SIGTERM are then ignored by the
    kernel until the exit: Python puts the default handlers back while it shuts down, and
    a late Ctrl+C would still kill the process with a code that contradicts the log."""
    _State.late = True
    if not _State.for_process:
        return
    for signum in _SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            signal.signal(signum, signal.SIG_IGN)


def late() -> bool:
    """True once the outputs are written: a signal now changes nothing."""
    return _State.late


def disarm() -> None:
    """Puts back the handlers `arm()` replaced."""
    for signum, previous in _State.saved.items():
        if previous is not None:
            try:
                signal.signal(signum, previous)
            except (ValueError, OSError):
                continue
    _State.saved.clear()
    _State.pending, _State.taken, _State.late = None, False, False
    _State.for_process = False
