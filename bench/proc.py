"""Runs one command and measures it: wall time, exit code and peak RSS (via wait4)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    """One run of a command."""

    argv: tuple[str, ...]
    seconds: float
    returncode: int
    #: Peak resident set size of the process (and its waited-for children), MiB.
    max_rss_mb: float
    #: CPU seconds (user + system) of the process and its waited-for children.
    cpu_seconds: float
    timed_out: bool
    output: str


def measure(
    argv: Sequence[str],
    *,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> Measured:
    """Runs `argv` to completion (killed after `timeout`), output captured to a file."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        killed = threading.Event()
        timer = threading.Timer(timeout, _kill, args=(proc, killed))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return Measured(
        argv=tuple(argv),
        seconds=seconds,
        returncode=proc.returncode,
        max_rss_mb=usage.ru_maxrss / 1024,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        timed_out=killed.is_set(),
        output=output,
    )


def _kill(proc: subprocess.Popen[bytes], killed: threading.Event) -> None:
    killed.set()
    try:
        proc.kill()
    except OSError:
        pass
