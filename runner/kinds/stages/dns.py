"""Resolves the endpoint's host: the system resolver, or the `--dns-server`s via dnspython."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import TYPE_CHECKING, Any

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import manual_commands, names, private_endpoint
from runner.kinds.net.addresses import classify, family
from runner.kinds.net.threads import in_thread
from runner.kinds.steps.collect import system_of
from runner.machine import resolvers
from runner.results import Status

if TYPE_CHECKING:  # dnspython is imported where it is used: `validate` needs none of it
    import dns.asyncresolver
    import dns.resolver

SUMMARY = "Resolve the host name (A/AAAA, CNAME chain) and classify the addresses."
ORDER = 10
ROUTES = "direct"
FIREWALL_ADVICE = False
#: The reason when the engine has to cut this stage off at its timeout.
TIMEOUT_REASON = "dns-timeout"


async def run(probe: Probe, ctx: Context) -> StageOutcome:
    """Resolves the endpoint's host; the addresses go to the next stages."""
    if names.is_ip(probe.endpoint.host):
        facts: dict[str, Any] = {"resolver": "none", "note": "the host is an IP address"}
        return _judge(probe, [probe.endpoint.host], facts, 0.0, manual_commands.nslookup(probe))
    if ctx.dns_servers:
        return await _with_dnspython(probe, ctx)
    return await _with_system(probe, ctx)


# --- system resolver ------------------------------------------------------------------


async def _with_system(probe: Probe, ctx: Context) -> StageOutcome:
    host = probe.endpoint.host
    command = manual_commands.nslookup(probe)
    start = time.monotonic()
    port = probe.endpoint.port
    # The canonical name (the end of the CNAME chain) is asked for only where it is judged.
    flags = socket.AI_CANONNAME if probe.endpoint.cname_into else 0
    try:
        # In a daemon thread rather than loop.getaddrinfo (the default executor): a stuck
        # resolver must not hold up the end of an interrupted run.
        infos = await asyncio.wait_for(
            in_thread(lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=flags)),
            probe.timeout,
        )
    except asyncio.TimeoutError:
        detail = f"no answer within {probe.timeout:g}s"
        return _system_outcome("dns-timeout", detail, command, await _machine_dns(ctx))
    except socket.gaierror as error:
        return _system_failure(error, command, await _machine_dns(ctx))
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    facts: dict[str, Any] = {
        "resolver": "system",
        "note": "the system resolver does not report CNAMEs, TTLs or the answering server",
    }
    canonical = next((str(info[3]) for info in infos if info[3]), "")
    if flags and canonical:
        facts["canonical_name"] = canonical.rstrip(".")
    return _judge(probe, addresses, facts, time.monotonic() - start, command)


#: The system resolver reports "no such name" for NXDOMAIN, and also when the DNS server
#: (or a stub in front of it) answers that for everything it cannot resolve: it cannot tell.
CANNOT_TELL = "The system resolver cannot tell a missing name from a failing DNS server: "
AZURE_DNS = "168.63.129.16"
COMPARE = f"with --dns-server {AZURE_DNS} (Azure DNS, on an Azure VM)"


def system_dns_hint(found: resolvers.DnsServers | None, reason: str = "nxdomain") -> str:
    """What to rerun with, naming the servers the system resolver really asks (behind the
    systemd-resolved stub, not the stub)."""
    lead = CANNOT_TELL if reason == "nxdomain" else ""
    if found is None or not (found.servers or found.stub):
        return _sentence(
            f"{lead}rerun with --dns-server and the server from /etc/resolv.conf (Windows: "
            f"ipconfig /all) to see its own answer, or {COMPARE}"
        )
    if not found.servers:
        return (
            f"systemd-resolved (the stub {found.stub} in /etc/resolv.conf) has no DNS server "
            "to forward to: give the interface one (netplan, NetworkManager or DHCP; see "
            f"resolvectl status), or compare {COMPARE}."
        )
    server = found.servers[0]
    which = f"the server behind the {found.stub} stub" if found.stub else "this machine's server"
    text = f"{lead}rerun with --dns-server {server} ({which}) to see its own answer"
    if AZURE_DNS not in found.servers:
        text += f", or {COMPARE}"
    return _sentence(text)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


async def _machine_dns(ctx: Context) -> resolvers.DnsServers | None:
    """The servers behind the system resolver (files or registry only; None if unknown)."""
    system = system_of(ctx)
    try:
        return await asyncio.wait_for(in_thread(lambda: resolvers.system_dns(system)), 2.0)
    except asyncio.TimeoutError:
        return None


def _system_failure(
    error: socket.gaierror, command: str, found: resolvers.DnsServers | None
) -> StageOutcome:
    """A failed system lookup, worded as honestly as getaddrinfo's answer allows."""
    reason = names.gai_reason(error)
    detail = f"system resolver: {error.strerror}"
    return _system_outcome(reason, detail, command, found, gai_error=error.errno)


def _system_outcome(
    reason: str, detail: str, command: str, found: resolvers.DnsServers | None, **facts: Any
) -> StageOutcome:
    """A failure of the system resolver, with advice that names the servers it asks."""
    if found is not None:
        facts.update(system_dns=found.describe(), dns_servers=list(found.servers))
    return StageOutcome(
        status=Status.FAIL,
        reason=reason,
        detail=detail,
        command=command,
        facts={"resolver": "system", **facts},
        hint=system_dns_hint(found, reason),
    )


# --- dnspython with explicit servers --------------------------------------------------


async def _with_dnspython(probe: Probe, ctx: Context) -> StageOutcome:
    import dns.exception
    import dns.resolver

    host = probe.endpoint.host
    server = ctx.dns_servers[0][0]
    command = manual_commands.nslookup(probe, server)
    resolver = names.resolver(ctx)
    start = time.monotonic()
    lifetime = max(probe.timeout - 0.1, 0.1)
    try:
        answers = await asyncio.gather(
            *(
                resolver.resolve(host, rdtype, lifetime=lifetime, raise_on_no_answer=False)
                for rdtype in ("A", "AAAA")
            )
        )
    except dns.resolver.NXDOMAIN:
        return _failure("nxdomain", f"{host} does not exist (NXDOMAIN from {server})", command)
    except dns.resolver.NoNameservers as error:
        reason, rcode = names.rcode_reason(error)
        return _failure(reason, f"DNS server answered {rcode} for {host}", command)
    except dns.exception.Timeout:
        servers = ", ".join(f"{ip}:{port}" for ip, port in ctx.dns_servers)
        return _failure("dns-timeout", f"no answer from {servers} within {lifetime:g}s", command)
    addresses: list[str] = []
    cnames: list[str] = []
    ttls: dict[str, int] = {}
    for answer in answers:
        _collect(answer, addresses, cnames, ttls)
    facts: dict[str, Any] = {
        "resolver": "dnspython",
        "server": f"{answers[0].nameserver}:{answers[0].port}",
        "cname_chain": list(dict.fromkeys(cnames)),
        "ttl": ttls,
    }
    return _judge(probe, addresses, facts, time.monotonic() - start, command)


def _collect(
    answer: dns.resolver.Answer, addresses: list[str], cnames: list[str], ttls: dict[str, int]
) -> None:
    import dns.rdatatype

    for rrset in answer.response.answer:
        for rdata in rrset:
            text = rdata.to_text()
            if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
                addresses.append(text)
                ttls[text] = int(rrset.ttl)
            elif rrset.rdtype == dns.rdatatype.CNAME:
                cnames.append(f"{rrset.name.to_text(omit_final_dot=True)} -> {text.rstrip('.')}")


# --- judging ---------------------------------------------------------------------------


def _failure(reason: str, detail: str, command: str) -> StageOutcome:
    return StageOutcome(status=Status.FAIL, reason=reason, detail=detail, command=command)


def _judge(
    probe: Probe, addresses: list[str], facts: dict[str, Any], took: float, command: str
) -> StageOutcome:
    facts["addresses"] = [
        {
            "address": a,
            "family": family(a),
            "class": classify(a),
            "ttl": facts.get("ttl", {}).get(a),
        }
        for a in addresses
    ]
    facts.pop("ttl", None)
    facts["time_ms"] = round(took * 1000, 1)
    if not addresses:
        return StageOutcome(
            status=Status.FAIL,
            reason="no-answer",
            detail=f"{probe.endpoint.host} has no A or AAAA record",
            command=command,
            facts=facts,
        )
    shown = ", ".join(f"{a} ({classify(a)})" for a in addresses[:4])
    reason = None if probe.endpoint.cname_into else _expectation(probe.endpoint.address, addresses)
    if reason:
        word = "public" if reason == "expected-private" else "private"
        detail = f"expected {probe.endpoint.address} addresses, got {word}: {shown}"
        return StageOutcome(
            status=Status.FAIL, reason=reason, detail=detail, command=command, facts=facts
        )
    if probe.endpoint.cname_into:
        verdict = private_endpoint.judge(probe.endpoint.cname_into, addresses, facts)
        if verdict is not None:
            return StageOutcome(
                status=Status.FAIL,
                reason=verdict.reason,
                detail=verdict.detail,
                command=command,
                facts=facts,
            )
        shown = private_endpoint.through(facts, shown)
    return StageOutcome(
        status=Status.PASS,
        reason="ok",
        detail=f"resolved to {shown}",
        command=command,
        facts=facts,
        state={"addresses": addresses},
    )


def _expectation(expected: str, addresses: list[str]) -> str | None:
    classes = [classify(a) for a in addresses]
    if expected == "private" and "public" in classes:
        return "expected-private"
    if expected == "public" and any(c != "public" for c in classes):
        return "expected-public"
    return None
