"""Classifies IP addresses as public or one of the private kinds, for DNS expectations."""

from __future__ import annotations

import ipaddress

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_RFC1918 = tuple(
    ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
_ULA = ipaddress.ip_network("fc00::/7")


def classify(address: str) -> str:
    """`public`, `rfc1918`, `cgnat`, `link-local`, `loopback`, `ula` or `other-private`."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return classify(str(ip.ipv4_mapped))
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    checks = (
        (_CGNAT, "cgnat"),
        (_ULA, "ula"),
        *((net, "rfc1918") for net in _RFC1918),
    )
    for network, name in checks:
        if ip.version == network.version and ip in network:
            return name
    return "other-private" if ip.is_private else "public"


def is_private(address: str) -> bool:
    """True for every class but `public`."""
    return classify(address) != "public"


def family(address: str) -> str:
    """`ipv4` or `ipv6`."""
    return "ipv6" if ipaddress.ip_address(address).version == 6 else "ipv4"
