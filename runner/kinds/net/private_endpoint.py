"""Judges a private-endpoint name's answer: a CNAME into the privatelink zone, ending in an
address a private endpoint can have (RFC 1918, 100.64.0.0/10, IPv6 ULA)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from runner.kinds.net.addresses import classify

#: Address classes of a private endpoint's subnet.
ENDPOINT_CLASSES = ("rfc1918", "cgnat", "ula")


@dataclass(frozen=True)
class Verdict:
    """Why the answer is not a working private endpoint."""

    reason: str
    detail: str


def chain_text(facts: Mapping[str, Any]) -> str:
    """The CNAME chain as seen: every link (dnspython), the canonical name (system
    resolver), or that there was none."""
    links = facts.get("cname_chain")
    if isinstance(links, list):
        return "; ".join(map(str, links)) if links else "no CNAME"
    canonical = facts.get("canonical_name")
    if canonical:
        return f"canonical name {canonical}"
    return "CNAME chain not reported by the system resolver"


def _in_zone(name: str, zone: str) -> bool:
    name, zone = name.lower().rstrip("."), zone.lower().strip(".")
    return name == zone or name.endswith("." + zone)


def cname_seen(zone: str, facts: Mapping[str, Any]) -> bool | None:
    """True when the chain leads into `zone`, False when it does not, None when the
    resolver does not say (the system resolver without a canonical name)."""
    links = facts.get("cname_chain")
    if isinstance(links, list):
        return any(_in_zone(str(link).split(" -> ")[-1], zone) for link in links)
    canonical = facts.get("canonical_name")
    if canonical:
        return _in_zone(str(canonical), zone)
    return None


def judge(zone: str, addresses: Sequence[str], facts: Mapping[str, Any]) -> Verdict | None:
    """None for a healthy answer; else the failure, its detail showing the chain."""
    shown = ", ".join(f"{a} ({classify(a)})" for a in addresses[:4])
    chain = chain_text(facts)
    if any(classify(a) == "public" for a in addresses):
        return Verdict(
            "expected-private",
            f"resolved to a public address: {shown}; CNAME chain: {chain}",
        )
    odd = [a for a in addresses if classify(a) not in ENDPOINT_CLASSES]
    if odd:
        return Verdict(
            "not-endpoint-address",
            f"resolved to {shown}, not a private endpoint's address; CNAME chain: {chain}",
        )
    if cname_seen(zone, facts) is False:
        return Verdict(
            "no-privatelink-cname",
            f"resolved to {shown} without a CNAME into {zone}; CNAME chain: {chain}",
        )
    return None


def through(facts: Mapping[str, Any], shown: str) -> str:
    """`shown` with the chain it came through, for a healthy answer."""
    return f"{shown} through {chain_text(facts)}"
