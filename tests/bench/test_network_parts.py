"""The bench's network parts on loopback: the delay relay forwards, the blackhole drops.

No timing is asserted (speed belongs in the benchmark); every wait is bounded.
"""

from __future__ import annotations

import socket
import threading

import pytest

from bench.blackhole import Blackhole
from bench.imports import cumulative_seconds
from bench.relay import RelayLoop


def _echo_tcp() -> tuple[socket.socket, threading.Thread]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.settimeout(10)
            while data := conn.recv(1024):
                conn.sendall(data.upper())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, thread


def test_tcp_relay_forwards_both_ways_in_order() -> None:
    server, thread = _echo_tcp()
    with server, RelayLoop(rtt=0.01) as relays:
        port = relays.tcp(("127.0.0.2", 0), server.getsockname())
        with socket.create_connection(("127.0.0.2", port), timeout=10) as client:
            client.settimeout(10)
            for word in (b"one", b"two", b"three"):
                client.sendall(word)
                assert client.recv(1024) == word.upper()
        thread.join(timeout=10)  # the relay passes the client's EOF on
        assert not thread.is_alive()


def test_udp_relay_forwards_a_datagram_and_its_answer() -> None:
    upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    upstream.bind(("127.0.0.1", 0))
    upstream.settimeout(10)

    def answer() -> None:
        data, peer = upstream.recvfrom(1024)
        upstream.sendto(data[::-1], peer)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    with upstream, RelayLoop(rtt=0.01) as relays:
        port = relays.udp(("127.0.0.2", 0), upstream.getsockname())
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.settimeout(10)
            client.sendto(b"query", ("127.0.0.2", port))
            assert client.recv(1024) == b"yreuq"
        thread.join(timeout=10)


def test_relays_and_blackhole_refuse_addresses_off_loopback() -> None:
    with RelayLoop(rtt=0.01) as relays, pytest.raises(ValueError):
        relays.tcp(("192.0.2.1", 0), ("127.0.0.1", 1))
    with pytest.raises(ValueError):
        Blackhole("192.0.2.1", 0)


def test_blackhole_swallows_connects() -> None:
    with Blackhole("127.0.0.66", 0) as hole:
        assert hole.drops(probe_timeout=0.5)


def test_cumulative_seconds_reads_the_last_importtime_line() -> None:
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       100 |        150 |   yaml.error\n"
        "import time:       400 |      18799 | yaml\n"
    )
    assert cumulative_seconds(stderr) == pytest.approx(0.018799)
    assert cumulative_seconds("nothing here") is None
