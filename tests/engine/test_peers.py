"""The loopback peers themselves behave like the real thing (other helpers reuse them)."""

from __future__ import annotations

import socket
import ssl

import dns.message
import dns.query
import dns.rcode
import pytest

from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.tcp import Blackhole, refusing_port
from tests.peers.tls import Pki, TlsServer


def test_dns_over_udp_and_tcp_with_cname_chain() -> None:
    zone = {"a.test": ["cname:b.test"], "b.test": ["127.0.0.9", "::1"]}
    with DnsServer(zone, modes={"bad.test": "servfail"}) as server:
        over_udp = dns.query.udp(dns.message.make_query("a.test", "A"), "127.0.0.1", 3, server.port)
        over_tcp = dns.query.tcp(
            dns.message.make_query("a.test", "AAAA"), "127.0.0.1", 3, server.port
        )
        bad = dns.query.udp(dns.message.make_query("bad.test", "A"), "127.0.0.1", 3, server.port)
        missing = dns.query.tcp(dns.message.make_query("x.test", "A"), "127.0.0.1", 3, server.port)
    assert [r.to_text() for r in over_udp.answer] == [
        "a.test. 300 IN CNAME b.test.",
        "b.test. 300 IN A 127.0.0.9",
    ]
    assert over_tcp.answer[-1].to_text() == "b.test. 300 IN AAAA ::1"
    assert bad.rcode() == dns.rcode.SERVFAIL
    assert missing.rcode() == dns.rcode.NXDOMAIN
    assert server.queries == ["a.test.", "a.test.", "bad.test.", "x.test."]


def test_refusing_port_and_blackhole() -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", refusing_port()), timeout=3)
    with Blackhole() as hole:
        assert hole.verify(wait=0.5)


def test_proxy_tunnels_tls(pki: Pki) -> None:
    with (
        TlsServer(pki, "valid", ["t.test"]) as server,
        ConnectProxy({"t.test": server.port}) as proxy,
    ):
        sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
        sock.sendall(b"CONNECT t.test:443 HTTP/1.1\r\nHost: t.test:443\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 200")
        context = ssl.create_default_context()
        pki.ca.configure_trust(context)
        with context.wrap_socket(sock, server_hostname="t.test") as tls:
            tls.sendall(b"GET / HTTP/1.1\r\nHost: t.test\r\n\r\n")
            assert tls.recv(100).startswith(b"HTTP/1.1 200 OK")
    assert proxy.seen == ["t.test:443"]
    assert server.requests == ["GET / HTTP/1.1"]
