"""A loopback HTTPS server (trustme certificate) whose `Date` header is off by a set skew."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme


class _Handler(BaseHTTPRequestHandler):
    skew = 0.0
    send_date = True
    #: A Date header sent as is instead of the skewed time (garbage, year 99999).
    raw_date: str | None = None

    def date_time_string(self, timestamp: float | None = None) -> str:
        if self.raw_date is not None:
            return self.raw_date
        return formatdate(time.time() + self.skew, usegmt=True)

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Server", "date-server")
        if self.send_date:
            self.send_header("Date", self.date_time_string())

    def do_HEAD(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def date_server(
    tmp_path: Path,
    skew: float,
    send_date: bool = True,
    raw_date: str | None = None,
    hostnames: Sequence[str] = ("127.0.0.1",),
) -> Iterator[tuple[int, str]]:
    """Serves on 127.0.0.1 with a certificate for `hostnames`; yields (port, CA bundle
    path). `raw_date` replaces the Date."""
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(*hostnames).configure_cert(context)
    handler = type(
        "Handler", (_Handler,), {"skew": skew, "send_date": send_date, "raw_date": raw_date}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server.server_address[1], str(bundle)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
