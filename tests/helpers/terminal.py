"""Running the real `asrcheck` command on a pseudo-terminal, as an admin's shell would: the
terminal is the child's controlling terminal, so Ctrl+C typed into it is a real SIGINT."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.helpers import e2e


def _take_terminal() -> None:
    """In the child: a session of its own, with the terminal on fd 0 as controlling terminal."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """`asrcheck ARGS` with stdin, stdout and stderr on a new pseudo-terminal of `columns`."""

    def __init__(
        self,
        args: Sequence[str],
        cwd: Path,
        columns: int = 100,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.controller, tty = os.openpty()
        fcntl.ioctl(tty, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        self.output = b""
        self.child = subprocess.Popen(
            e2e.command(args),
            cwd=cwd,
            env=e2e.child_env({"TERM": "xterm", **(env or {})}),
            stdin=tty,
            stdout=tty,
            stderr=tty,
            preexec_fn=_take_terminal,
        )
        os.close(tty)

    def read_until(self, marker: bytes, timeout: float = 60) -> bytes:
        """Everything printed so far, once `marker` was printed (AssertionError if not)."""
        end = time.monotonic() + timeout
        while marker not in self.output:
            left = end - time.monotonic()
            assert left > 0, f"{marker!r} not printed within {timeout}s: {self.output!r}"
            if not self._read(min(left, 1.0)):
                assert marker in self.output, f"ended without {marker!r}: {self.output!r}"
        return self.output

    def type(self, keys: bytes) -> None:
        os.write(self.controller, keys)

    def finish(self, timeout: float = 60) -> int:
        """Reads until the child closes the terminal; its exit code."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and self._read(1.0):
            pass
        try:
            return self.child.wait(max(end - time.monotonic(), 1))
        finally:
            self.close()

    def close(self) -> None:
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait(10)
        if self.controller >= 0:
            os.close(self.controller)
            self.controller = -1

    def _read(self, wait: float) -> bool:
        """False once the terminal is closed on the child's side."""
        ready, _, _ = select.select([self.controller], [], [], wait)
        if not ready:
            return self.child.poll() is None
        try:
            chunk = os.read(self.controller, 65536)
        except OSError:  # EIO: every copy of the child's side is closed
            return False
        self.output += chunk
        return bool(chunk)
