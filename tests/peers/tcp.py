"""Plain TCP peers: a refusing port, a blackhole, and servers that reset or close."""

from __future__ import annotations

import socket
import struct
import time

from tests.peers._server import LOOPBACK, AcceptLoop, LoopServer, listen


def refusing_port() -> int:
    """A loopback port nothing listens on (bound, read back, closed): connects get RST."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((LOOPBACK, 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


class Blackhole:
    """A listener whose accept backlog is full and never drained: new connects never complete.

    Linux drops SYNs to a listener with a full accept queue, so a connect just waits, like a
    firewall that silently drops packets. `verify()` checks this on the running kernel.
    """

    def __init__(self) -> None:
        self.sock = listen(backlog=0)
        self.port = int(self.sock.getsockname()[1])
        self._fillers: list[socket.socket] = []

    def __enter__(self) -> Blackhole:
        for _ in range(8):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            try:
                filler.connect((LOOPBACK, self.port))
            except BlockingIOError:
                pass
            self._fillers.append(filler)
        time.sleep(0.2)  # let the handshakes of the fillers settle into the queue
        return self

    def __exit__(self, *exc: object) -> None:
        for filler in self._fillers:
            filler.close()
        self.sock.close()

    def verify(self, wait: float = 0.5) -> bool:
        """True when a fresh connect does not complete within `wait` seconds."""
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.settimeout(wait)
        try:
            probe.connect((LOOPBACK, self.port))
        except OSError:
            return True
        finally:
            probe.close()
        return False


class ClosingServer(LoopServer):
    """Accepts, optionally reads the first bytes, then resets (RST) or closes (FIN).

    `after_read=False, rst=True` looks like a firewall resetting new connections;
    `after_read=True` resets after the TLS ClientHello, like SNI filtering.
    """

    def __init__(self, *, rst: bool = True, after_read: bool = False) -> None:
        self.rst = rst
        self.after_read = after_read
        self._loop = AcceptLoop(listen(), self._serve)

    def _serve(self, conn: socket.socket) -> None:
        if self.after_read:
            conn.recv(4096)
        if self.rst:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
