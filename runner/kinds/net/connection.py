"""The one connection of an endpoint's chain, as curl makes it: opened by the tcp stage
(or the proxy stage's CONNECT tunnel), given TLS by the tls stage, asked by the http stage.

The stages pass it on in `probe.state[STATE_KEY]`; the engine closes it when the chain ends.
Stages use it from daemon threads (blocking sockets with timeouts), one stage at a time. A
run that is stopped may close it while a thread still works on it: the close then waits
for that thread (`using()`), because an OpenSSL object that still holds a closed socket's
number could read another connection's data once the number is reused.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from runner.kinds.base import Probe

if TYPE_CHECKING:
    import socket
    import ssl

#: The key of the open connection in a chain's state.
STATE_KEY = "connection"


class Connection:
    """A connected socket (TCP or a proxy tunnel); after a TLS handshake, its `ssl.SSLSocket`."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.tls: ssl.SSLSocket | None = None
        self._lock = threading.Lock()
        self._busy = False
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    @contextmanager
    def using(self) -> Iterator[socket.socket]:
        """The socket, for the one thread working on it now."""
        with self._lock:
            if self._closed:
                raise OSError(errno.EBADF, "the connection is already closed")
            self._busy = True
        try:
            yield self.sock
        finally:
            self._release()

    def _release(self) -> None:
        with self._lock:
            self._busy = False
            close_now = self._closed
        if close_now:  # closed while in use: the close was left to this thread
            self.sock.close()

    def secured(self, tls: ssl.SSLSocket) -> None:
        """The socket now speaks TLS (the plain socket object is detached from it)."""
        self.sock = self.tls = tls

    def close(self) -> None:
        """Closes the socket now, or when the thread using it is done."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._busy:
                return
        self.sock.close()


def of(probe: Probe) -> Connection | None:
    """The chain's open connection, if an earlier stage made one."""
    found = probe.state.get(STATE_KEY)
    if isinstance(found, Connection) and not found.closed:
        return found
    return None
