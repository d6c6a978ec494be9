"""bench/floor.py makes every chain it is timed on: a real TLS server sees each HEAD."""

from __future__ import annotations

import ssl

import pytest

from bench import floor
from tests.peers.tls import Pki, TlsServer


def test_the_floor_makes_one_verified_chain_per_host(pki: Pki, ca_bundle: str) -> None:
    hosts = ["a.floor.test", "b.floor.test", "c.floor.test"]
    with TlsServer(pki, "valid", hosts) as tls:
        seconds = floor.seconds(tls.port, ca_bundle, hosts)
        requests = list(tls.requests)
    assert seconds > 0
    assert requests == ["HEAD / HTTP/1.1"] * len(hosts)


def test_the_floor_verifies_the_certificate(pki: Pki, ca_bundle: str) -> None:
    with TlsServer(pki, "valid", ["a.floor.test"]) as tls:
        with pytest.raises(ssl.SSLCertVerificationError):
            floor.seconds(tls.port, ca_bundle, ["other.test"])
