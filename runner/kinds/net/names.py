"""Host names resolved as the run says: through `--dns-server` when given, else the system
resolver; for every name a run connects to, not only in the dns stage.

A chain without a dns stage (`chain: [tcp, tls, http]`) and the clock step resolve here,
so that `--dns-server` is the run's resolver everywhere. The dns stage shares the parts
that read dnspython's and getaddrinfo's answers (`resolver`, `rcode_reason`, `gai_reason`).
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import manual_commands
from runner.kinds.net.threads import in_thread
from runner.plan.hostnames import is_ip as is_ip  # one IP-literal test for plans and checks
from runner.results import Status

if TYPE_CHECKING:  # dnspython is imported where it is used: `validate` needs none of it
    import dns.asyncresolver
    import dns.resolver


@dataclass(frozen=True)
class Lookup:
    """The addresses of a name (empty when the lookup failed), and the reason code."""

    addresses: list[str]
    reason: str
    detail: str


async def lookup(host: str, port: int, ctx: Context, timeout: float) -> Lookup:
    """The A and AAAA addresses of `host` (an IP address stands for itself)."""
    if is_ip(host):
        return Lookup([host], "ok", host)
    if ctx.dns_servers:
        return await _through_servers(host, ctx, timeout)
    return await _through_system(host, port, timeout)


async def resolved(probe: Probe, ctx: Context) -> Probe | StageOutcome:
    """For a stage that must connect to the endpoint: the probe with the host's addresses
    in its state when no earlier stage resolved or reached it (a chain without a dns stage),
    or the failed lookup as the stage's outcome. Proxy routes are left to the proxy."""
    known = probe.state.get("addresses") or probe.state.get("connected")
    host = probe.endpoint.host
    if probe.proxy is not None or known or is_ip(host):
        return probe
    found = await lookup(host, probe.endpoint.port, ctx, probe.timeout)
    if found.reason != "ok":
        server = ctx.dns_servers[0][0] if ctx.dns_servers else None
        detail = f"{found.detail} (resolved for this stage: the chain has no dns stage)"
        command = manual_commands.nslookup(probe, server)
        return StageOutcome(status=Status.FAIL, reason=found.reason, detail=detail, command=command)
    return replace(probe, state={**probe.state, "addresses": found.addresses})


def resolver(ctx: Context) -> dns.asyncresolver.Resolver:
    """A dnspython resolver asking only the run's `--dns-server`s."""
    import dns.asyncresolver
    import dns.nameserver

    made = dns.asyncresolver.Resolver(configure=False)
    made.nameservers = [dns.nameserver.Do53Nameserver(ip, port) for ip, port in ctx.dns_servers]
    return made


def rcode_reason(error: dns.resolver.NoNameservers) -> tuple[str, str]:
    """(reason, rcode name) of the servers' answer: `dns-refused` or `servfail`."""
    import dns.message
    import dns.rcode

    for entry in error.kwargs.get("errors", []):
        response = entry[-1]
        if isinstance(response, dns.message.Message):
            rcode = response.rcode()
            name = dns.rcode.to_text(rcode)
            return ("dns-refused" if rcode == dns.rcode.REFUSED else "servfail", name)
    return ("servfail", "no usable answer")


def gai_reason(error: socket.gaierror) -> str:
    """The reason code of a failed getaddrinfo."""
    codes = {
        getattr(socket, "EAI_NONAME", None): "nxdomain",
        getattr(socket, "EAI_NODATA", None): "no-answer",
        getattr(socket, "EAI_ADDRFAMILY", None): "no-answer",
        getattr(socket, "EAI_AGAIN", None): "dns-timeout",
        getattr(socket, "EAI_FAIL", None): "servfail",
    }
    return codes.get(error.errno, "servfail")


async def _through_servers(host: str, ctx: Context, timeout: float) -> Lookup:
    import dns.exception
    import dns.resolver

    servers = ", ".join(f"{ip}:{port}" for ip, port in ctx.dns_servers)
    lifetime = max(timeout - 0.1, 0.1)
    asker = resolver(ctx)
    try:
        answers = await asyncio.gather(
            *(
                asker.resolve(host, rdtype, lifetime=lifetime, raise_on_no_answer=False)
                for rdtype in ("A", "AAAA")
            )
        )
    except dns.resolver.NXDOMAIN:
        return Lookup([], "nxdomain", f"{host} does not exist (NXDOMAIN from {servers})")
    except dns.resolver.NoNameservers as error:
        reason, rcode = rcode_reason(error)
        return Lookup([], reason, f"DNS server {servers} answered {rcode} for {host}")
    except dns.exception.Timeout:
        return Lookup([], "dns-timeout", f"no answer from {servers} within {lifetime:g}s")
    except dns.exception.DNSException as error:
        return Lookup([], "servfail", f"DNS lookup of {host} through {servers} failed: {error}")
    addresses = [rdata.to_text() for answer in answers if answer.rrset for rdata in answer.rrset]
    if not addresses:
        return Lookup([], "no-answer", f"{host} has no A or AAAA record (asked {servers})")
    return Lookup(addresses, "ok", ", ".join(addresses))


async def _through_system(host: str, port: int, timeout: float) -> Lookup:
    try:
        infos = await asyncio.wait_for(
            in_thread(lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)), timeout
        )
    except asyncio.TimeoutError:
        return Lookup([], "dns-timeout", f"the system resolver gave no answer within {timeout:g}s")
    except socket.gaierror as error:
        return Lookup([], gai_reason(error), f"system resolver: {error.strerror} ({host})")
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    return Lookup(addresses, "ok", ", ".join(addresses))
