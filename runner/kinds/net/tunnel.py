"""Opens an HTTP CONNECT tunnel through a proxy with blocking sockets (run in a thread).

Every socket operation has the caller's timeout, so the thread always ends on its own.
"""

from __future__ import annotations

import base64
import socket
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from runner.peer_text import shown


@dataclass
class TunnelResult:
    """What the proxy said. `sock` is the open tunnel when `reason` is "ok"."""

    reason: str
    detail: str
    status: int | None = None
    server: str | None = None
    sock: socket.socket | None = None


def proxy_address(url: str) -> tuple[str, int]:
    """(host, port) of a proxy URL; the port defaults to 8080."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    return parts.hostname or "", parts.port or 8080


def _authorization(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.username is None:
        return ""
    raw = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
    return f"Proxy-Authorization: Basic {base64.b64encode(raw).decode()}\r\n"


def open_tunnel(url: str, host: str, port: int, timeout: float) -> TunnelResult:
    """CONNECT host:port through the proxy at `url`; never raises for network trouble.

    The whole exchange fits in `timeout`; the tunnel's socket keeps what is left of it.
    """
    deadline = time.monotonic() + timeout
    address = proxy_address(url)
    try:
        sock = socket.create_connection(address, timeout=timeout)
    except socket.timeout:
        return TunnelResult("proxy-unreachable", f"proxy {address[0]}:{address[1]} timed out")
    except OSError as error:
        why = error.strerror or str(error)
        return TunnelResult("proxy-unreachable", f"proxy {address[0]}:{address[1]}: {why}")
    result = _connect(sock, url, host, port, deadline)
    if result.reason != "ok":
        sock.close()
    else:
        sock.settimeout(max(deadline - time.monotonic(), 0.1))
    return result


def _connect(sock: socket.socket, url: str, host: str, port: int, deadline: float) -> TunnelResult:
    request = (
        f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n{_authorization(url)}"
        "User-Agent: asrcheck\r\n\r\n"
    )
    try:
        sock.sendall(request.encode())
        head = _read_head(sock, deadline)
    except socket.timeout:
        return TunnelResult("proxy-timeout", "the proxy did not answer CONNECT in time")
    except OSError as error:
        return TunnelResult("proxy-unreachable", f"proxy connection broke: {error}")
    return _judge(head, sock)


def _read_head(sock: socket.socket, deadline: float) -> bytes:
    """The answer's head, within `deadline` overall (a dripping proxy cannot stretch it)."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("CONNECT answer too slow")
        sock.settimeout(left)
        chunk = sock.recv(1)  # byte by byte: nothing of the tunnel may be consumed
        if not chunk:
            break
        data += chunk
    return data


def _judge(head: bytes, sock: socket.socket) -> TunnelResult:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        answer = shown(lines[0], 80)
        return TunnelResult("proxy-unreachable", f"not an HTTP proxy answer: {answer}")
    status = int(parts[1])
    server = next(
        (line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("server:")),
        None,
    )
    said = f"proxy answered {shown(lines[0].strip())}"
    said += f" (Server: {shown(server)})" if server else ""
    if 200 <= status < 300:
        return TunnelResult("ok", said, status, server, sock)
    reason = {407: "proxy-auth-required", 403: "proxy-denied"}.get(status)
    if reason is None:
        reason = "proxy-upstream-error" if status >= 500 else "proxy-denied"
    return TunnelResult(reason, said, status, server)
