"""Tracebacks of internal errors, kept in a file the user can send with the support log.

The engine's step boundary and the command line's last resort report an unexpected
exception as one line (`internal-error`) and log its traceback with
`runner.errors.log_internal`. During
`asrcheck run` those records go to `<support log>.internal-errors.log` beside the support
log (same name up to the suffix, so it sorts next to it and a `CheckNWResult_*` glob picks
both up); outside a run, to `asrcheck-internal-error-<time>.log` in the temporary
directory. The file is created only when an internal error happens, is appended to, never
overwritten, and every byte goes through the run's `Redactor`. No local variables are
written (loguru's `diagnose` is off): they could hold secrets.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import IO, Any

from loguru import logger

from runner.errors import INTERNAL_ERROR_MARK, log_internal
from runner.redact import Redactor

SUFFIX = ".internal-errors.log"
_FORMAT = "{time:YYYY-MM-DD HH:mm:ss.SSS} {message}\n"  # loguru adds the traceback


def beside(log_path: Path) -> Path:
    """`CheckNW_x.log` -> `CheckNW_x.internal-errors.log` (other names: the suffix added)."""
    if log_path.suffix.lower() == ".log":
        return log_path.with_name(log_path.stem + SUFFIX)
    return log_path.with_name(log_path.name + SUFFIX)


def outside_a_run() -> Path:
    stamp = time.strftime("%Y%m%d_%H%M%S")
    return Path(tempfile.gettempdir()) / f"asrcheck-internal-error-{stamp}.log"


class TracebackFile:
    """A loguru sink: appends masked records to `path`, opened on the first one."""

    def __init__(self, path: Path, redactor: Redactor) -> None:
        self.path = path
        self.redactor = redactor
        self.written = False
        self._file: IO[str] | None = None

    def write(self, message: str) -> None:
        try:
            if self._file is None:
                self._file = open(self.path, "a", encoding="utf-8")
            self._file.write(self.redactor.mask(message))
            self._file.flush()
            self.written = True
        except OSError:  # the traceback is lost, the one-line error is still shown
            pass

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _marked(record: Any) -> bool:
    return bool(record["extra"].get(INTERNAL_ERROR_MARK))


def attach(path: Path, redactor: Redactor) -> tuple[int, TracebackFile]:
    """Starts collecting internal-error tracebacks in `path`; `detach` ends it."""
    sink = TracebackFile(path, redactor)
    handler = logger.add(
        sink,
        level="DEBUG",
        format=_FORMAT,
        filter=_marked,
        backtrace=False,
        diagnose=False,
        colorize=False,
        catch=True,
    )
    return handler, sink


def detach(handler: int, sink: TracebackFile) -> None:
    logger.remove(handler)
    sink.close()


def write_crash(error: BaseException, what: str) -> Path | None:
    """The command line's last resort: `error`'s traceback in a new file of its own."""
    handler, sink = attach(outside_a_run(), Redactor())
    try:
        log_internal(error, what)
    finally:
        detach(handler, sink)
    return sink.path if sink.written else None
