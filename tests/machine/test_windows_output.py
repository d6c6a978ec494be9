"""Parsing recorded Windows outputs (written from the documented English layouts)."""

from __future__ import annotations

from runner.machine import windows_output
from tests.helpers.machines import sample


def test_ipconfig_adapters_dns_and_gateways() -> None:
    adapters = windows_output.parse_ipconfig(sample("ipconfig_all.txt"))
    assert [a.name for a in adapters] == [
        "Windows IP Configuration",
        "Ethernet adapter Ethernet",
        "Ethernet adapter Ethernet 2",
        "Ethernet adapter Ethernet 3",
    ]
    assert adapters[0].get("Host Name") == ["asr-vm01"]
    assert windows_output.dns_servers(adapters) == {
        "Ethernet adapter Ethernet": ["168.63.129.16", "198.51.100.53"],
        "Ethernet adapter Ethernet 3": ["2001:db8::53"],
    }
    assert windows_output.default_gateways(adapters) == {
        "Ethernet adapter Ethernet": ["198.51.100.1"],
        "Ethernet adapter Ethernet 3": ["2001:db8::1", "203.0.113.1"],
    }
    assert windows_output.addresses(adapters)["Ethernet adapter Ethernet"] == [
        "fe80::1c2d:3e4f:5a6b:7c8d%6",
        "198.51.100.4",
    ]
    assert adapters[1].get("Lease Obtained") == ["Wednesday, November 25, 2026 8:01:02 AM"]


def test_winhttp_proxy_and_direct() -> None:
    parsed = windows_output.parse_winhttp(sample("netsh_winhttp_proxy.txt"))
    assert parsed == windows_output.WinHttpProxy(
        direct=False, server="proxy.contoso.example:8080", bypass="<local>;*.contoso.example"
    )
    direct = windows_output.parse_winhttp(sample("netsh_winhttp_direct.txt"))
    assert direct == windows_output.WinHttpProxy(direct=True)
    assert windows_output.parse_winhttp("something else entirely") is None
