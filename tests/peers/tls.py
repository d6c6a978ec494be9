"""TLS servers with trustme certificates, serving a minimal HTTP/1.1 responder."""

from __future__ import annotations

import datetime
import re
import socket
import ssl
import threading
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import trustme

from tests.peers._server import AcceptLoop, LoopServer, listen, read_head

#: Certificate variants a TlsServer can present.
CERT_KINDS = ("valid", "untrusted", "expired", "wrong-name", "legacy")


class Pki:
    """A test CA the client trusts, and a second CA ("middlebox") it does not."""

    def __init__(self) -> None:
        self.ca = trustme.CA(organization_name="Asrcheck Test Root")
        self.rogue = trustme.CA(organization_name="Contoso TLS Inspection")

    def write_bundle(self, path: Path) -> str:
        """Writes the trusted CA as a PEM bundle; returns the path as a string."""
        self.ca.cert_pem.write_to_path(str(path))
        return str(path)

    def server_context(self, kind: str, hostnames: Sequence[str]) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._leaf(kind, hostnames).configure_cert(ctx)
        if kind == "legacy":
            _legacy(ctx)
        return ctx

    def _leaf(self, kind: str, hostnames: Sequence[str]) -> trustme.LeafCert:
        names = list(hostnames)
        if kind == "untrusted":
            return self.rogue.issue_cert(*names)
        if kind == "wrong-name":
            return self.ca.issue_cert("somewhere-else.test")
        if kind == "expired":
            now = datetime.datetime.now(datetime.timezone.utc)
            return self.ca.issue_cert(
                *names,
                not_before=now - datetime.timedelta(days=30),
                not_after=now - datetime.timedelta(days=1),
            )
        return self.ca.issue_cert(*names)


def _legacy(ctx: ssl.SSLContext) -> None:
    """Limits a server context to TLS 1.0/1.1 (deprecated on purpose: it is the failure)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1


def legacy_tls_unavailable() -> str | None:
    """Why a TLS 1.0/1.1-only server cannot run here, or None when it can."""
    try:
        _legacy(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER))
    except (ValueError, ssl.SSLError) as error:
        return f"local OpenSSL refuses TLS 1.0/1.1: {error}"
    return None


class HttpBehaviour:
    """How the responder answers: statuses, delays and dripping."""

    def __init__(
        self,
        status: int = 200,
        head_status: int | None = None,
        delay: float = 0.0,
        drip: float = 0.0,
        server: str = "Asrcheck-Test/1.0",
        hangup: bool = False,
        reason: str = "",
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> None:
        #: Extra answer headers (they replace the default ones of the same name).
        self.headers = dict(headers or {})
        #: The body of answers to GET and other methods (default `hello\n`).
        self.body = body
        self.hangup = hangup
        #: The reason phrase; empty: the usual one for the status.
        self.reason = reason
        self.status = status
        self.head_status = head_status
        self.delay = delay
        self.drip = drip
        self.server = server


_TEXT = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
}


class TlsServer(LoopServer):
    """A TLS server on loopback presenting `kind` certificate for `hostnames`.

    After the handshake it answers HTTP/1.1 HEAD/GET per `behaviour`. `requests` lists the
    request lines seen; `handshakes` counts completed handshakes.
    """

    def __init__(
        self,
        pki: Pki,
        kind: str = "valid",
        hostnames: Sequence[str] = ("localhost",),
        behaviour: HttpBehaviour | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.context = pki.server_context(kind, hostnames)
        self.behaviour = behaviour or HttpBehaviour()
        self.requests: list[str] = []
        self.handshakes = 0
        self._lock = threading.Lock()
        self._loop = AcceptLoop(listen(host), self._serve)

    @property
    def accepted(self) -> int:
        """TCP connections accepted so far (handshaken or not)."""
        return self._loop.accepted

    def _serve(self, conn: socket.socket) -> None:
        try:
            tls = self.context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with self._lock:
            self.handshakes += 1
        try:
            self._answer(tls)
        finally:
            tls.close()

    def _answer(self, tls: ssl.SSLSocket) -> None:
        head = read_head(tls)
        if not head:
            return
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        self.requests.append(line)
        b = self.behaviour
        if b.hangup:
            return
        _drain_body(tls, head)
        status = b.head_status if line.startswith("HEAD") and b.head_status else b.status
        full = b"hello\n" if b.body is None else b.body
        body = b"" if line.startswith("HEAD") else full
        headers = {
            "Server": b.server,
            "x-ms-request-id": f"test-{len(self.requests)}",
            "Date": "Wed, 25 Nov 2026 18:00:00 GMT",
            **b.headers,
        }
        lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        reply = (
            f"HTTP/1.1 {status} {b.reason or _TEXT.get(status, 'Status')}\r\n{lines}"
            f"Content-Length: {len(full)}\r\nConnection: close\r\n\r\n"
        ).encode() + body
        if b.delay:
            self._loop.wait(b.delay)
        if b.drip:
            for i in range(len(reply)):
                tls.sendall(reply[i : i + 1])
                if self._loop.stopping:
                    return
                self._loop.wait(b.drip)
        else:
            tls.sendall(reply)


def _drain_body(tls: ssl.SSLSocket, head: bytes, limit: int = 1 << 20) -> None:
    """Reads the request body (its Content-Length, up to `limit`), as a server does before
    it answers: an answer sent over an unread body can reach the client as a reset."""
    top, _, already = head.partition(b"\r\n\r\n")
    found = re.search(rb"(?im)^content-length:\s*(\d+)", top)
    left = min(int(found.group(1)), limit) - len(already) if found else 0
    while left > 0:
        chunk = tls.recv(min(left, 65536))
        if not chunk:
            return
        left -= len(chunk)
