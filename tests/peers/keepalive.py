"""A TLS server that keeps connections alive and records, per request, the connection's SNI.

It answers every request on a connection until the client closes it (no `Connection:
close`), sets a cookie, and refuses HEAD with 405 for hosts in `refuse_head`: a client
that reused a connection, or sent a cookie back, shows in `seen`.
"""

from __future__ import annotations

import itertools
import socket
import ssl
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from tests.peers._server import AcceptLoop, LoopServer, listen, read_head
from tests.peers.tls import Pki


@dataclass(frozen=True)
class Seen:
    connection: int
    sni: str | None
    method: str
    host: str
    cookie: str | None


class KeepAliveTlsServer(LoopServer):
    def __init__(self, pki: Pki, hostnames: Sequence[str], refuse_head: Sequence[str] = ()):
        self.context = pki.server_context("valid", hostnames)
        self.context.sni_callback = self._sni
        self.refuse_head = set(refuse_head)
        self.seen: list[Seen] = []
        #: The connections (by number) that ended: closed by the client, or broken.
        self.ended: list[int] = []
        self._numbers = itertools.count(1)
        self._local = threading.local()
        self._loop = AcceptLoop(listen(), self._serve)

    @property
    def accepted(self) -> int:
        """TCP connections accepted (handshaken or not)."""
        return self._loop.accepted

    def _sni(self, sock: object, name: str | None, context: object) -> None:
        self._local.sni = name

    def _serve(self, conn: socket.socket) -> None:
        self._local.sni = None
        try:
            tls = self.context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            return
        number = next(self._numbers)
        try:
            with tls:
                while self._answer(tls, number):
                    pass
        finally:  # closed by the client (FIN or RST), or timed out after 10 s
            self.ended.append(number)

    def _answer(self, tls: ssl.SSLSocket, number: int) -> bool:
        head = read_head(tls)
        if not head:
            return False
        lines = head.decode("latin-1").split("\r\n")
        method = lines[0].split(" ", 1)[0]
        fields = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
        host = fields.get("host", "").split(":")[0]
        self.seen.append(Seen(number, self._local.sni, method, host, fields.get("cookie")))
        status = (
            "405 Method Not Allowed"
            if method == "HEAD" and host in self.refuse_head
            else "400 Bad Request"
        )
        body = b"" if method == "HEAD" else b"hello\n"
        cookie = f"Set-Cookie: session={number}; Path=/"
        reply = f"HTTP/1.1 {status}\r\nContent-Length: 6\r\n{cookie}\r\n\r\n"
        tls.sendall(reply.encode() + body)
        return True
