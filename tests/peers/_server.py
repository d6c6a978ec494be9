"""Shared plumbing for the loopback peers: a daemon accept loop over a listening socket."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import TypeVar

LOOPBACK = "127.0.0.1"


def listen(host: str = LOOPBACK, backlog: int = 64) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(backlog)
    return sock


class AcceptLoop:
    """Accepts connections on `sock` and hands each to `handle` in its own daemon thread."""

    def __init__(self, sock: socket.socket, handle: Callable[[socket.socket], None]) -> None:
        self.sock = sock
        self.port = int(sock.getsockname()[1])
        self._handle = handle
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.conns: list[socket.socket] = []

    def start(self) -> None:
        self.sock.settimeout(0.2)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self.conns:
            _close(conn)
        _close(self.sock)

    @property
    def accepted(self) -> int:
        """How many TCP connections were accepted so far."""
        return len(self.conns)

    def wait(self, seconds: float) -> None:
        """Sleeps up to `seconds`, waking early when the server stops."""
        self._stop.wait(seconds)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(10)
            self.conns.append(conn)
            threading.Thread(target=self._safe, args=(conn,), daemon=True).start()

    def _safe(self, conn: socket.socket) -> None:
        try:
            self._handle(conn)
        except OSError:
            pass
        finally:
            _close(conn)


def _close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass


def read_head(conn: socket.socket, limit: int = 65536) -> bytes:
    """Reads up to the end of an HTTP request or response head."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


_Served = TypeVar("_Served", bound="LoopServer")


class LoopServer:
    """A peer served by one AcceptLoop (`self._loop`): its port, and `with` starting and
    stopping the loop."""

    _loop: AcceptLoop

    @property
    def port(self) -> int:
        return self._loop.port

    def __enter__(self: _Served) -> _Served:
        self._loop.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.stop()
