"""A TCP relay on loopback that forwards to an upstream port with the client's bytes held to
`rate` bytes per second: a slow path (a congested link, an inspecting NVA) in front of a
real server. Answers from upstream go back at full speed."""

from __future__ import annotations

import select
import socket
import time

from tests.peers._server import LOOPBACK, AcceptLoop, LoopServer, listen


class ThrottledRelay(LoopServer):
    """`127.0.0.1:port` -> `127.0.0.1:upstream`, client-to-server at `rate` bytes/s."""

    def __init__(self, upstream: int, rate: int) -> None:
        self.upstream = upstream
        self.rate = rate
        self.relayed = 0
        self._loop = AcceptLoop(listen(), self._serve)

    def _serve(self, conn: socket.socket) -> None:
        upstream = socket.create_connection((LOOPBACK, self.upstream), timeout=10)
        with upstream:
            self._relay(conn, upstream)

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        # Small pieces, each sent when the rate allows it: the sender sees a slow link.
        piece = max(1, self.rate // 20)
        started, sent = time.monotonic(), 0
        while not self._loop.stopping:
            readable, _, _ = select.select([client, upstream], [], [], 0.2)
            for sock in readable:
                data = sock.recv(piece if sock is client else 65536)
                if not data:
                    return
                if sock is upstream:
                    client.sendall(data)
                    continue
                sent += len(data)
                self.relayed += len(data)
                self._loop.wait(max(0.0, started + sent / self.rate - time.monotonic()))
                upstream.sendall(data)
