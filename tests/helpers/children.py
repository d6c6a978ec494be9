"""Child `asrcheck` processes in end-to-end tests: reading their output as it comes,
signalling them at a moment, and the stacks of one that does not stop."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time

import pytest

#: Environment variable that replays a failed run's random delays (its seed is printed).
SEED_ENV = "ASRCHECK_TEST_SEED"


def wait_for_output(child: subprocess.Popen[bytes], marker: bytes, timeout: float) -> bytes:
    """Reads the child's stdout (raw) until `marker` shows up; fails after `timeout`."""
    assert child.stdout is not None
    seen = b""
    end = time.monotonic() + timeout
    while marker not in seen:
        left = end - time.monotonic()
        assert left > 0, f"no {marker!r} in {seen!r}"
        ready, _, _ = select.select([child.stdout], [], [], left)
        if ready:
            chunk = os.read(child.stdout.fileno(), 65536)
            assert chunk, f"child ended early: {seen!r}"
            seen += chunk
    return seen


def stacks_of_stuck(child: subprocess.Popen[bytes]) -> str:
    """The Python stacks of a child that did not exit (for the failure message)."""
    child.send_signal(signal.SIGABRT)
    try:
        _, err = child.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        _, err = child.communicate()
    return err.decode("utf-8", "replace")[-8000:]


def signal_after(
    child: subprocess.Popen[bytes], marker: bytes, delay: float, signum: int, bound: float
) -> bytes:
    """Sends `signum` `delay` seconds after `marker` is on the child's stdout; its stderr
    once it has exited (a failure, with its stacks, when that takes over `bound` seconds)."""
    try:
        wait_for_output(child, marker, timeout=60)
        time.sleep(delay)
        child.send_signal(signum)
        try:
            _, err = child.communicate(timeout=bound)
        except subprocess.TimeoutExpired:
            pytest.fail(f"no exit {bound}s after the signal:\n{stacks_of_stuck(child)}")
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return err
