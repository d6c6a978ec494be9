"""The SSL contexts shared by the tls and http stages, where their socket goes, the handshake."""

from __future__ import annotations

import functools
import os
import socket
import ssl
import threading
import time
import warnings

from runner.context import Context
from runner.kinds.base import Probe
from runner.kinds.net.connection import Connection
from runner.kinds.net.tunnel import open_tunnel


def verifying(ctx: Context) -> ssl.SSLContext:
    """System trust store (or `ctx.ca_bundle`), host name checks, TLS 1.2 at least.

    Shared by every check of a run: loading a trust store costs ~30 ms of CPU (about 140
    roots), which 500 endpoints x 2 stages would pay 1000 times. An SSLContext may serve
    many connections and threads; the bundle file's size and mtime are part of the key.
    The lock makes checks that start together wait for one load instead of each loading.
    """
    return verifying_with(ctx.ca_bundle)


def verifying_with(bundle: str | None) -> ssl.SSLContext:
    """The verifying context for `bundle` (None: the system store), loaded once per file.

    Raises ssl.SSLError or OSError when the file cannot be loaded (nothing is cached then).
    """
    stamp = None
    if bundle is not None:
        try:
            info = os.stat(bundle)
            stamp = (info.st_size, info.st_mtime_ns)
        except OSError:
            stamp = None
    with _LOADING:
        return _verifying(bundle, stamp)


_LOADING = threading.Lock()


@functools.lru_cache(maxsize=8)
def _verifying(ca_bundle: str | None, _stamp: tuple[int, int] | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_bundle)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])  # the http stage speaks HTTP/1.1 on this session
    return context


def unverified() -> ssl.SSLContext:
    """Accepts any certificate: only used to show what a failed handshake presented."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def legacy_version(probe: Probe) -> str | None:
    """The protocol a server that refused TLS 1.2+ does speak (TLS 1.0/1.1), if any.

    Only used to explain a `tls-protocol` failure; nothing is sent over the session.
    """
    context = unverified()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
            context.minimum_version = ssl.TLSVersion.TLSv1
        with open_socket(probe) as raw:
            with context.wrap_socket(raw, server_hostname=tls_name(probe)) as tls:
                return tls.version()
    except (OSError, ValueError):
        return None


def tls_name(probe: Probe) -> str:
    """The name for SNI and certificate matching: the host without a trailing dot
    (`login.example.com.` is the same name, but certificates never carry the dot)."""
    return probe.endpoint.host.rstrip(".") or probe.endpoint.host


def target(probe: Probe) -> str:
    """The address the earlier stages reached, else the host name."""
    for key in ("connected", "addresses"):
        values = probe.state.get(key)
        if values:
            return str(values[0])
    return probe.endpoint.host


def open_socket(probe: Probe) -> socket.socket:
    """A connected socket to the endpoint: direct, or a CONNECT tunnel on proxy routes.

    Raises OSError (with the proxy's answer) when the connection cannot be opened.
    """
    host, port = probe.endpoint.host, probe.endpoint.port
    if probe.proxy is not None:
        result = open_tunnel(probe.proxy.url, host, port, probe.timeout)
        if result.sock is None:
            raise OSError(f"{result.reason}: {result.detail}")
        return result.sock
    started = time.monotonic()
    sock = socket.create_connection((target(probe), port), timeout=probe.timeout)
    sock.settimeout(max(probe.timeout - (time.monotonic() - started), 0.1))
    return sock


def open_connection(probe: Probe) -> Connection:
    """A connection of its own, for a stage whose chain opened none (or a second look)."""
    return Connection(open_socket(probe))


def handshake(conn: Connection, context: ssl.SSLContext, probe: Probe) -> ssl.SSLSocket:
    """TLS on the connection's socket, within `probe.timeout` (blocking: call it in a thread).

    Raises ssl.SSLError or OSError as the handshake fails; the connection then holds the
    failed TLS socket, which closing the connection closes.
    """
    with conn.using() as sock:
        _raise_if_cut_off(sock)
        tls = context.wrap_socket(
            sock, server_hostname=tls_name(probe), do_handshake_on_connect=False
        )
        conn.secured(tls)
        tls.settimeout(probe.timeout)
        tls.do_handshake()
    return tls


def _raise_if_cut_off(sock: socket.socket) -> None:
    """Raises the reset (or the disconnect) of a socket whose peer is already gone.

    `wrap_socket` on such a socket raises while the new SSL socket, which then owns the file
    descriptor, is never closed (Python 3.9); seen here, the reset is reported the same way.
    """
    try:
        sock.getpeername()
    except OSError as error:
        pending = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if pending:
            raise OSError(pending, os.strerror(pending)) from error
        raise
