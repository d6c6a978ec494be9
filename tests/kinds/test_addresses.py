"""Address classes used by the DNS stage's public/private expectations."""

from __future__ import annotations

import pytest

from runner.kinds.net.addresses import classify, family, is_private


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("20.60.1.1", "public"),
        ("10.1.2.3", "rfc1918"),
        ("172.16.0.9", "rfc1918"),
        ("192.168.1.1", "rfc1918"),
        ("100.64.0.1", "cgnat"),
        ("169.254.169.254", "link-local"),
        ("127.0.0.5", "loopback"),
        ("::1", "loopback"),
        ("fd00::1", "ula"),
        ("fe80::1", "link-local"),
        ("::ffff:10.0.0.1", "rfc1918"),
        ("2603:1000::1", "public"),
    ],
)
def test_classify(address: str, kind: str) -> None:
    assert classify(address) == kind
    assert is_private(address) is (kind != "public")


def test_family() -> None:
    assert (family("127.0.0.1"), family("::1")) == ("ipv4", "ipv6")
