"""A TLS server that answers each request of a connection with the next raw bytes of that
connection's script: garbage, an answer cut off in its headers, keep-alive or not, as the
test writes it. Connection N follows `scripts[N - 1]` (the last script for any later one).

After a script's last answer it closes the connection (`hold=True`: keeps it open, silent,
until the client closes it or the server stops). `requests` lists the request lines seen,
each with the number of the connection it came on.
"""

from __future__ import annotations

import itertools
import socket
import ssl
import threading
from collections.abc import Sequence

from tests.peers._server import AcceptLoop, LoopServer, listen, read_head
from tests.peers.tls import Pki


class ScriptedTlsServer(LoopServer):
    def __init__(
        self,
        pki: Pki,
        hostnames: Sequence[str],
        scripts: Sequence[Sequence[bytes]],
        hold: bool = False,
    ) -> None:
        self.context = pki.server_context("valid", hostnames)
        self.scripts = [list(script) for script in scripts]
        self.hold = hold
        #: (connection number, request line) of every request read.
        self.requests: list[tuple[int, str]] = []
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._loop = AcceptLoop(listen(), self._serve)

    def _serve(self, conn: socket.socket) -> None:
        try:
            tls = self.context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with self._lock:
            number = next(self._numbers)
        with tls:
            for answer in self.scripts[min(number, len(self.scripts)) - 1]:
                head = read_head(tls)
                if not head:
                    return
                with self._lock:
                    self.requests.append((number, head.split(b"\r\n", 1)[0].decode("latin-1")))
                tls.sendall(answer)
            while self.hold and not self._loop.stopping and tls.recv(4096):
                pass
