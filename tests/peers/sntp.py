"""A real SNTP server on loopback for the tests: answers with a chosen clock, or stays silent."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

NTP_EPOCH_OFFSET = 2208988800
_PACKET = struct.Struct("!BBbb4s4s4sQQQQ")


def _stamp(unix_time: float) -> int:
    return int((unix_time + NTP_EPOCH_OFFSET) * 2**32) & 0xFFFFFFFFFFFFFFFF


@dataclass
class SntpServer:
    """Settings of the fake server; `requests` counts the datagrams it received."""

    #: Seconds added to this machine's clock in every answer.
    skew: float = 0.0
    stratum: int = 2
    leap: int = 0
    #: Receive requests but never answer (a filtered UDP 123).
    silent: bool = False
    #: Ignore this many requests before answering (a lossy path).
    drop_first: int = 0
    requests: int = 0
    port: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def answer(self, request: bytes) -> bytes:
        """The server's reply to one client request (mode 4, our origin = its transmit)."""
        client_transmit = _PACKET.unpack_from(request)[-1]
        now = _stamp(time.time() + self.skew)
        first = (self.leap << 6) | (4 << 3) | 4
        ref_id = b"LOCL" if self.stratum < 2 else socket.inet_aton("127.0.0.9")
        return _PACKET.pack(
            first, self.stratum, 6, -20, b"", b"", ref_id, now, client_transmit, now, now
        )

    def serve(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                data, peer = sock.recvfrom(512)
            except socket.timeout:
                continue
            except OSError:
                return
            self.requests += 1
            if self.requests <= self.drop_first:
                continue
            if not self.silent and len(data) >= _PACKET.size:
                sock.sendto(self.answer(data), peer)


@contextmanager
def sntp_server(host: str = "127.0.0.1", **settings: object) -> Iterator[SntpServer]:
    """Start an `SntpServer` on an ephemeral UDP port of `host`; stop it afterwards."""
    server = SntpServer(**settings)  # type: ignore[arg-type]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(0.1)
    sock.bind((host, 0))
    server.port = sock.getsockname()[1]
    thread = threading.Thread(target=server.serve, args=(sock,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server._stop.set()
        thread.join(timeout=5)
        sock.close()
