"""Step kind `ntp`: ask a time server for the time over SNTP (UDP 123) and judge the offset.

Client requests (RFC 4330 mode 3), at most two, bounded by one timeout. The result says the
clock offset against the server, the round-trip delay and the server's stratum:

* `ok`: the server answered and the offset is within `max_offset` seconds;
* `clock-skew`: the offset is larger (Entra ID sign-in and ASR setup fail with a skewed clock);
* `ntp-timeout`: no answer in time (UDP 123 blocked, or the server is silent);
* `finding`: the server answered but says it is not synchronized (stratum 0 or 16+);
* a DNS reason (`nxdomain`, `dns-timeout`, ...) when the server name does not resolve.

The server name is resolved like the `dns` stage does: `--dns-server` when given, else the
system resolver.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import sys
import time
from collections.abc import Container, Mapping
from typing import Any

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.net import names
from runner.model import Step
from runner.results import Status

SUMMARY = "Query a time server over SNTP (UDP 123): clock offset, delay and stratum."
LOG_SECTION = "Clock"
#: The reason when the engine has to cut this step off at its timeout.
TIMEOUT_REASON = "ntp-timeout"

PARAMS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["server"],
    "properties": {
        "server": {"type": "string", "minLength": 1, "description": "Time server name or IP."},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 123},
        "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": 60, "default": 3},
        "max_offset": {
            "type": "number",
            "exclusiveMinimum": 0,
            "default": 300,
            "description": "Largest acceptable clock offset in seconds.",
        },
    },
}

#: Seconds from the NTP era (1900-01-01) to the Unix epoch.
NTP_EPOCH_OFFSET = 2208988800
_PACKET = struct.Struct("!BBbb4s4s4sQQQQ")
#: Requests sent before giving up (UDP may lose one).
ATTEMPTS = 2


def to_ntp(unix_time: float) -> int:
    """A Unix time as a 64-bit NTP timestamp (32.32 fixed point)."""
    return int((unix_time + NTP_EPOCH_OFFSET) * 2**32) & 0xFFFFFFFFFFFFFFFF


def from_ntp(stamp: int) -> float:
    """A 64-bit NTP timestamp as a Unix time."""
    return stamp / 2**32 - NTP_EPOCH_OFFSET


def build_request(transmit: float) -> bytes:
    """A client request: LI 0, version 4, mode 3, with our transmit time."""
    return _PACKET.pack(0x23, 0, 0, 0, b"", b"", b"", 0, 0, 0, to_ntp(transmit))


def parse_reply(data: bytes, sent: Container[int]) -> dict[str, Any] | None:
    """The fields of a server reply to one of our requests (`sent` transmit stamps)."""
    if len(data) < _PACKET.size:
        return None
    first, stratum, _poll, _prec, _delay, _disp, ref_id, _ref, origin, receive, transmit = (
        _PACKET.unpack_from(data)
    )
    if first & 0x07 != 4 or origin not in sent:
        return None
    return {
        "leap": first >> 6,
        "stratum": stratum,
        "reference_id": ref_id.hex() if stratum < 2 else socket.inet_ntoa(ref_id),
        "origin": origin,
        "receive": from_ntp(receive),
        "transmit": from_ntp(transmit),
    }


class _Client(asyncio.DatagramProtocol):
    """Resolves `reply` with the first valid answer to any request sent so far."""

    def __init__(self, reply: asyncio.Future[tuple[dict[str, Any], float]]) -> None:
        self.reply = reply
        #: Transmit stamp of each request -> local send time.
        self.sent: dict[int, float] = {}

    def send(self, transport: asyncio.DatagramTransport) -> None:
        t1 = time.time()
        self.sent[to_ntp(t1)] = t1
        transport.sendto(build_request(t1))

    def datagram_received(self, data: bytes, addr: Any) -> None:
        fields = parse_reply(data, self.sent)
        if fields is not None and not self.reply.done():
            self.reply.set_result((fields, time.time()))


async def query(address: str, port: int, timeout: float) -> dict[str, Any] | None:
    """An SNTP exchange with `address`; None when no valid answer came within `timeout`.

    The request is sent up to `ATTEMPTS` times, evenly spread over the timeout, so one lost
    datagram does not read as a blocked port; the first valid answer wins.
    """
    loop = asyncio.get_running_loop()
    reply: asyncio.Future[tuple[dict[str, Any], float]] = loop.create_future()
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    transport, client = await loop.create_datagram_endpoint(
        lambda: _Client(reply), remote_addr=(address, port), family=family
    )
    try:
        for _ in range(ATTEMPTS):
            client.send(transport)
            await asyncio.wait({reply}, timeout=timeout / ATTEMPTS)
            if reply.done():
                break
    finally:
        transport.close()
    if not reply.done():
        reply.cancel()
        return None
    fields, t4 = reply.result()
    t1, t2, t3 = client.sent[fields.pop("origin")], fields["receive"], fields["transmit"]
    fields["offset_s"] = round(((t2 - t1) + (t3 - t4)) / 2, 6)
    fields["delay_s"] = round(max(0.0, (t4 - t1) - (t3 - t2)), 6)
    fields["attempts"] = len(client.sent)
    return fields


async def resolve(host: str, ctx: Context, timeout: float) -> tuple[str | None, str, str]:
    """(first IPv4 address or None, reason, detail) for `host`."""
    if names.is_ip(host):
        return host, "ok", host
    import dns.asyncresolver  # here, not at module level: `validate` needs no dnspython
    import dns.exception
    import dns.nameserver
    import dns.resolver

    resolver = dns.asyncresolver.Resolver(configure=not ctx.dns_servers)
    if ctx.dns_servers:
        resolver.nameservers = [
            dns.nameserver.Do53Nameserver(ip, port) for ip, port in ctx.dns_servers
        ]
    try:
        answer = await resolver.resolve(host, "A", lifetime=timeout, search=False)
    except dns.resolver.NXDOMAIN:
        return None, "nxdomain", f"{host} does not exist (NXDOMAIN)"
    except dns.resolver.NoAnswer:
        return None, "no-answer", f"{host} has no IPv4 address"
    except dns.resolver.LifetimeTimeout:
        return None, "dns-timeout", f"no DNS answer for {host} within {timeout:g}s"
    except dns.resolver.NoNameservers as error:
        refused = "REFUSED" in str(error)
        reason = "dns-refused" if refused else "servfail"
        return None, reason, f"no DNS server could answer for {host}"
    except dns.exception.DNSException as error:
        return None, "servfail", f"DNS lookup of {host} failed: {error}"
    return str(answer[0]), "ok", ", ".join(str(rdata) for rdata in answer)


def manual_command(server: str) -> str:
    """The command a support engineer would run for the same check."""
    if sys.platform == "win32":
        return f"w32tm /stripchart /computer:{server} /samples:3 /dataonly"
    return f"chronyc -n sources; ntpdate -q {server}"


def judge(server: str, fields: dict[str, Any], max_offset: float) -> tuple[Status, str, str]:
    """Status, reason and detail for a valid reply.

    The offset is the server's time minus ours (NTP's convention): positive means this
    machine's clock is behind.
    """
    offset = fields["offset_s"]
    side = "behind" if offset > 0 else "ahead of"
    said = f"local clock is {abs(offset):.3f}s {side} {server} (offset {offset:+.3f}s, "
    said += f"delay {fields['delay_s']:.3f}s, stratum {fields['stratum']})"
    if fields["stratum"] == 0 or fields["stratum"] >= 16 or fields["leap"] == 3:
        return Status.WARN, "finding", said + ": the server says it is not synchronized"
    if abs(offset) > max_offset:
        return Status.FAIL, "clock-skew", said + f": more than {max_offset:g}s off"
    return Status.PASS, "ok", said


async def run(step: Step, ctx: Context) -> list[StepOutcome]:
    """Resolve the server, send one SNTP request and judge the answer."""
    server = str(step.params["server"])
    port = int(step.params.get("port", 123))
    timeout = ctx.stage_timeout(float(step.params.get("timeout", 3)))
    max_offset = float(step.params.get("max_offset", 300))
    check = f"ntp:{server}"
    command = manual_command(server)
    address, reason, detail = await resolve(server, ctx, timeout)
    if address is None:
        return [StepOutcome(check, Status.FAIL, reason, detail, command)]
    facts: dict[str, Any] = {"server": server, "address": address, "port": port}
    try:
        fields = await query(address, port, timeout)
    except OSError as error:
        detail = f"cannot send to {server} ({address}) on UDP {port}: {error.strerror or error}"
        return [StepOutcome(check, Status.FAIL, "unreachable", detail, command, facts)]
    if fields is None:
        detail = f"{server} ({address}) did not answer on UDP {port} within {timeout:g}s"
        return [StepOutcome(check, Status.FAIL, "ntp-timeout", detail, command, facts)]
    status, reason, detail = judge(server, fields, max_offset)
    keep = ("offset_s", "delay_s", "stratum", "leap", "reference_id", "attempts")
    facts.update({key: fields[key] for key in keep})
    facts["max_offset_s"] = max_offset
    return [StepOutcome(check, status, reason, detail, command, facts)]
