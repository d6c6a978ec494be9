"""The SSL contexts shared by the tls and http stages, and where their socket goes."""

from __future__ import annotations

import socket
import ssl

from runner.context import Context
from runner.kinds._tunnel import open_tunnel
from runner.kinds.base import Probe


def verifying(ctx: Context) -> ssl.SSLContext:
    """System trust store (or `ctx.ca_bundle`), host name checks, TLS 1.2 at least."""
    context = ssl.create_default_context(cafile=ctx.ca_bundle)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def unverified() -> ssl.SSLContext:
    """Accepts any certificate: only used to show what a failed handshake presented."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


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
    return socket.create_connection((target(probe), port), timeout=probe.timeout)
