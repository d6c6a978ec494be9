"""One HTTP/1.1 request over the chain's connected (TLS) socket, parsed by h11.

`ask()` writes the request, reads until the status line and headers are complete (the time
to the first byte of the answer is recorded), reads and drops at most `BODY_LIMIT` bytes of
the body and says whether the connection may carry another request. Blocking, for the
http stage's thread: every read and write ends by one deadline, so an answer that drips in
a byte at a time cannot stretch the stage past its timeout. The socket is never closed
here (its owner, the chain's connection, does that).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Union

import h11

#: How much of an answer's body is read (and dropped): the stage judges the status line and
#: headers; a short body read to its end leaves the connection open for a next request.
BODY_LIMIT = 65536
#: The longest status line and headers accepted, and the most asked of one recv().
_HEAD_LIMIT = 100 * 1024
_READ_SIZE = 65536
#: How many of the answer's first bytes a failure quotes.
_QUOTED = 40


class HttpTimeout(Exception):
    """No complete answer by the deadline."""


class ReadTimeout(HttpTimeout):
    pass


class WriteTimeout(HttpTimeout):
    pass


class HttpError(Exception):
    """The exchange failed: the connection broke, or the answer is not HTTP/1.1."""


class ReadError(HttpError):
    pass


class WriteError(HttpError):
    pass


class RemoteProtocolError(HttpError):
    """The server's bytes are no HTTP/1.1 answer, or it closed before a complete one."""


class LocalProtocolError(HttpError):
    """The request could not be written as HTTP/1.1 (a value h11 refuses)."""


@dataclass(frozen=True)
class Answer:
    """An answer's status line and headers (names in lower case, repeated ones joined)."""

    status: int
    reason_phrase: str
    http_version: str
    headers: dict[str, str]
    #: Seconds from just before the request was written to the answer's first byte.
    first_byte_s: float | None
    #: Whether another request may follow on the connection (both sides are done with
    #: this one, the body was read to its end and the server did not ask to close).
    reusable: bool


_Event = Union[h11.Event, type[h11.NEED_DATA], type[h11.PAUSED]]


class _Wire:
    """The socket, with every read and write bounded by the deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.first_byte: float | None = None
        #: The first bytes of the answer, for the words of a failure.
        self.start = b""

    def _left(self, error: type[HttpTimeout]) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise error("no complete answer in time")
        return left

    def write(self, data: bytes) -> None:
        self.sock.settimeout(self._left(WriteTimeout))
        try:
            self.sock.sendall(data)
        except socket.timeout as error:
            raise WriteTimeout(str(error) or "timed out") from error
        except OSError as error:
            raise WriteError(str(error)) from error

    def read(self) -> bytes:
        self.sock.settimeout(self._left(ReadTimeout))
        try:
            data = self.sock.recv(_READ_SIZE)
        except socket.timeout as error:
            raise ReadTimeout(str(error) or "timed out") from error
        except OSError as error:
            raise ReadError(str(error)) from error
        if data and self.first_byte is None:
            self.first_byte = time.monotonic()
        if len(self.start) < _QUOTED:
            self.start += data[: _QUOTED - len(self.start)]
        return data


def ask(
    sock: socket.socket, method: str, headers: Sequence[tuple[str, str]], deadline: float
) -> Answer:
    """Sends `method /` with `headers` (Host first) and returns the answer; raises
    HttpTimeout past `deadline`, HttpError when the exchange fails."""
    wire = _Wire(sock, deadline)
    http = h11.Connection(h11.CLIENT, max_incomplete_event_size=_HEAD_LIMIT)
    sent = time.monotonic()
    wire.write(_request_bytes(http, method, headers))
    response = _response(http, wire)
    complete = _drain(http, wire)
    took = wire.first_byte - sent if wire.first_byte is not None else None
    return Answer(
        status=response.status_code,
        reason_phrase=response.reason.decode("ascii", errors="ignore"),
        http_version="HTTP/" + response.http_version.decode("ascii", errors="ignore"),
        headers=_decoded(response.headers),
        first_byte_s=took,
        reusable=complete and http.our_state is h11.DONE and http.their_state is h11.DONE,
    )


def _request_bytes(http: h11.Connection, method: str, headers: Sequence[tuple[str, str]]) -> bytes:
    try:
        head = http.send(h11.Request(method=method, target="/", headers=list(headers)))
        end = http.send(h11.EndOfMessage())
    except h11.LocalProtocolError as error:
        raise LocalProtocolError(str(error)) from error
    return (head or b"") + (end or b"")


def _response(http: h11.Connection, wire: _Wire) -> h11.Response:
    """The final answer's status line and headers (1xx interim answers are passed over)."""
    while True:
        event = _next_event(http, wire)
        if isinstance(event, h11.Response):
            return event
        if not isinstance(event, h11.InformationalResponse):
            raise RemoteProtocolError(f"unexpected {type(event).__name__} before the answer")


def _drain(http: h11.Connection, wire: _Wire) -> bool:
    """Reads the body up to BODY_LIMIT bytes; True when it was read to its end."""
    seen = 0
    while seen < BODY_LIMIT:
        event = _next_event(http, wire)
        if isinstance(event, h11.Data):
            seen += len(event.data)
        elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)) or event is h11.PAUSED:
            return True
    return False


def _next_event(http: h11.Connection, wire: _Wire) -> _Event:
    """h11's next event, reading from the socket as long as h11 needs more bytes."""
    while True:
        try:
            event = http.next_event()
        except h11.RemoteProtocolError as error:
            raise RemoteProtocolError(f"not a valid HTTP/1.1 answer: {error}") from error
        if event is not h11.NEED_DATA:
            return event
        data = wire.read()
        if not data and http.their_state is h11.SEND_RESPONSE:
            raise RemoteProtocolError(_closed_words(wire))
        http.receive_data(data)


def _closed_words(wire: _Wire) -> str:
    """Why the server closed before its status line and headers were complete."""
    if not wire.start:
        return "the server closed the connection without answering"
    if wire.start.startswith(b"HTTP/"):
        return "the server closed the connection before its answer's headers were complete"
    quoted = wire.start.decode("latin-1")
    return f"the server answered no HTTP status line ({quoted!r}) and closed the connection"


def _decoded(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """The headers as text, like most clients read them: ASCII, else UTF-8 (when every
    header is valid UTF-8), else Latin-1; a repeated header's values joined by ", "."""
    pairs = list(raw)
    encoding = _encoding(pairs)
    found: dict[str, list[str]] = {}
    for name, value in pairs:
        found.setdefault(name.decode(encoding).lower(), []).append(value.decode(encoding))
    return {name: ", ".join(values) for name, values in found.items()}


def _encoding(pairs: Sequence[tuple[bytes, bytes]]) -> str:
    for encoding in ("ascii", "utf-8"):
        try:
            for name, value in pairs:
                name.decode(encoding)
                value.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "iso-8859-1"
