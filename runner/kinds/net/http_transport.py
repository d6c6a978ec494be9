"""httpx's transport seam over the chain's connection: HTTP/1.1 requests (httpcore's
`HTTP11Connection`) on the TLS socket the tls stage handshook, instead of a new connection.

Blocking, for the http stage's thread. Every read and write ends by one deadline, so an
answer that drips in a byte at a time cannot stretch the stage past its timeout.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

#: How much of an answer's body is read (and dropped): the stage judges the status line and
#: headers; a short body read to its end leaves the connection open for a next request.
BODY_LIMIT = 65536

#: httpcore's errors as the httpx errors the http stage handles, most specific first.
_AS_HTTPX: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextmanager
def _as_httpx() -> Iterator[None]:
    try:
        yield
    except Exception as error:
        for core, mapped in _AS_HTTPX:
            if isinstance(error, core):
                raise mapped(str(error)) from error
        raise


class _Stream(httpcore.NetworkStream):
    """httpcore's view of a connected (TLS) socket; it never closes it (its owner does)."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline
        #: When the first byte of an answer arrived (time.monotonic()).
        self.first_byte: float | None = None

    def _timeout(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if timeout is not None:
            left = min(left, timeout)
        if left <= 0:
            raise error("no complete answer in time")
        return left

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._sock.settimeout(self._timeout(timeout, httpcore.ReadTimeout))
        try:
            data = self._sock.recv(max_bytes)
        except socket.timeout as error:
            raise httpcore.ReadTimeout(str(error) or "timed out") from error
        except OSError as error:
            raise httpcore.ReadError(str(error)) from error
        if data and self.first_byte is None:
            self.first_byte = time.monotonic()
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        self._sock.settimeout(self._timeout(timeout, httpcore.WriteTimeout))
        try:
            self._sock.sendall(buffer)
        except socket.timeout as error:
            raise httpcore.WriteTimeout(str(error) or "timed out") from error
        except OSError as error:
            raise httpcore.WriteError(str(error)) from error

    def close(self) -> None:
        pass

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.UnsupportedProtocol("the connection already speaks TLS")

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle connection the server closed
            return bool(select.select([self._sock], [], [], 0)[0])
        if info == "socket":
            return self._sock
        return None


class OverConnection(httpx.BaseTransport):
    """Sends httpx requests for `url`'s origin over one connected socket."""

    def __init__(self, sock: socket.socket, url: httpx.URL, deadline: float) -> None:
        self.stream = _Stream(sock, deadline)
        origin = httpcore.Origin(url.raw_scheme, url.raw_host, url.port or 443)
        self._http = httpcore.HTTP11Connection(origin=origin, stream=self.stream)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """The answer's status line and headers; its body is not kept."""
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            extensions=request.extensions,
        )
        with _as_httpx():
            answer = self._http.handle_request(core)
            try:
                _drain(answer.iter_stream())
            finally:
                answer.close()
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            extensions=answer.extensions,
            request=request,
        )

    def reusable(self) -> bool:
        """Whether another request may follow on this connection (the server kept it open)."""
        return self._http.is_available()


def _drain(chunks: Iterator[bytes]) -> None:
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen >= BODY_LIMIT:
            break
