"""The physical limit: one endpoint's DNS + TCP + TLS + HTTP chain, measured alone.

Uses the same simulated network as asrcheck (the bench's DNS server, the addresses it
answers, the test CA), from the already-running bench process, so no start-up is counted.
"""

from __future__ import annotations

import socket
import ssl
import time

import dns.message
import dns.query
import dns.rdatatype


def chain_seconds(
    host: str, port: int, dns_server: tuple[str, int], ca_file: str, timeout: float = 10
) -> float:
    """Seconds for resolve, connect, TLS handshake and one HEAD request to `host`."""
    context = ssl.create_default_context(cafile=ca_file)
    start = time.perf_counter()
    head_over_tls(context, resolve(host, dns_server, timeout), port, host, timeout)
    return time.perf_counter() - start


def head_over_tls(
    context: ssl.SSLContext, address: str, port: int, host: str, timeout: float = 10
) -> bytes:
    """Connect, TLS handshake with SNI `host`, one HEAD: the answer's status line and headers."""
    with socket.create_connection((address, port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            request = f"HEAD / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            tls.sendall(request.encode("ascii"))
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                head += chunk
    if not head.startswith(b"HTTP/1."):
        raise RuntimeError(f"{host}: no HTTP answer")
    return head


def resolve(host: str, dns_server: tuple[str, int], timeout: float) -> str:
    """The first A record of `host` from `dns_server` (UDP)."""
    query = dns.message.make_query(host, dns.rdatatype.A)
    answer = dns.query.udp(query, dns_server[0], port=dns_server[1], timeout=timeout)
    for rrset in answer.answer:
        if rrset.rdtype == dns.rdatatype.A:
            return str(rrset[0].address)
    raise RuntimeError(f"{host}: no A record")
