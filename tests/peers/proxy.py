"""A real forward proxy on loopback speaking HTTP CONNECT, with failure modes."""

from __future__ import annotations

import base64
import select
import socket
from collections.abc import Mapping

from tests.peers._server import LOOPBACK, AcceptLoop, LoopServer, listen, read_head

#: Proxy behaviours.
PROXY_MODES = ("open", "auth", "deny", "upstream-fail", "hang")


class ConnectProxy(LoopServer):
    """CONNECT proxy. `upstreams` maps "host:port" (or "host") to a loopback port.

    Modes: open (anonymous), auth (Basic `credentials`, else 407), deny (403 on CONNECT),
    upstream-fail (502 for every host), hang (reads the request, never answers). In any
    mode, a host missing from `upstreams` gets 502 as if the proxy could not resolve it.
    `url` is "http://127.0.0.1:PORT"; `seen` lists the CONNECT targets asked for.
    """

    server_header = "TestProxy/1.0"

    def __init__(
        self,
        upstreams: Mapping[str, int] | None = None,
        *,
        mode: str = "open",
        credentials: tuple[str, str] = ("user", "s3cret-pw"),
    ) -> None:
        self.upstreams = dict(upstreams or {})
        self.mode = mode
        self.credentials = credentials
        self.seen: list[str] = []
        self.auth_headers: list[str] = []
        self._loop = AcceptLoop(listen(), self._serve)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def _serve(self, conn: socket.socket) -> None:
        head = read_head(conn).decode("latin-1")
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) < 2 or parts[0] != "CONNECT":
            self._reply(conn, 405, "Method Not Allowed")
            return
        target = parts[1]
        self.seen.append(target)
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        if "proxy-authorization" in headers:
            self.auth_headers.append(headers["proxy-authorization"])
        if self.mode == "hang":
            while not self._loop.stopping:
                self._loop.wait(0.2)
            return
        status = self._decide(target, headers.get("proxy-authorization", ""))
        if status is not None:
            self._reply(conn, *status)
            return
        self._tunnel(conn, self._upstream_port(target))

    def _decide(self, target: str, auth: str) -> tuple[int, str] | None:
        if self.mode == "auth" and auth != self._expected_auth():
            return (407, "Proxy Authentication Required")
        if self.mode == "deny":
            return (403, "Forbidden")
        if self.mode == "upstream-fail" or self._upstream_port(target) is None:
            return (502, "Bad Gateway")
        return None

    def _expected_auth(self) -> str:
        raw = f"{self.credentials[0]}:{self.credentials[1]}".encode()
        return "Basic " + base64.b64encode(raw).decode()

    def _upstream_port(self, target: str) -> int | None:
        host = target.rsplit(":", 1)[0]
        return self.upstreams.get(target, self.upstreams.get(host))

    def _reply(self, conn: socket.socket, status: int, text: str) -> None:
        extra = 'Proxy-Authenticate: Basic realm="test"\r\n' if status == 407 else ""
        conn.sendall(
            f"HTTP/1.1 {status} {text}\r\nServer: {self.server_header}\r\n{extra}"
            "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )

    def _tunnel(self, conn: socket.socket, port: int | None) -> None:
        try:
            upstream = socket.create_connection((LOOPBACK, port or 0), timeout=5)
        except OSError:
            self._reply(conn, 502, "Bad Gateway")
            return
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with upstream:
            _relay(conn, upstream, self._loop)


def _relay(a: socket.socket, b: socket.socket, loop: AcceptLoop) -> None:
    pair = {a: b, b: a}
    while not loop.stopping:
        readable, _, _ = select.select([a, b], [], [], 0.2)
        for sock in readable:
            data = sock.recv(65536)
            if not data:
                return
            pair[sock].sendall(data)
