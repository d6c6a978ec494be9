"""Opens a TCP connection to the resolved addresses; IPv4 and IPv6 are reported apart."""

from __future__ import annotations

import asyncio
import errno
import os
import time
from typing import Any

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import manual_commands
from runner.kinds.net.addresses import family
from runner.results import Status

SUMMARY = "Connect over TCP to the endpoint's port on each address family."

#: How long to watch a fresh connection for an immediate reset by a middlebox: a reset
#: sent by the path arrives within about one round trip, so the wait is SETTLE_FACTOR x
#: the measured connect time, at least MIN_SETTLE_S and at most MAX_SETTLE_S (unless
#: MIN_SETTLE_S is raised above it, as tests do that need a reset seen under load).
MIN_SETTLE_S = 0.05
MAX_SETTLE_S = 0.2
SETTLE_FACTOR = 3.0

_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL}
_WORDS = {
    "refused": "refused",
    "tcp-timeout": "timed out",
    "unreachable": "unreachable",
    "reset": "reset",
}


async def run(probe: Probe, ctx: Context) -> StageOutcome:
    """Connects to the first address of each family."""
    targets = _targets(probe)
    attempts = await asyncio.gather(*(_attempt(addr, probe) for addr in targets.values()))
    facts: dict[str, Any] = dict(zip(targets, attempts))
    connected = [a["address"] for a in attempts if a["reason"] == "ok"]
    failed = [(fam, a) for fam, a in facts.items() if a["reason"] != "ok"]
    summary = "; ".join(_describe(fam, a) for fam, a in facts.items())
    command = manual_commands.tcp(probe)
    if not connected:
        reason = failed[0][1]["reason"]
        return StageOutcome(
            status=Status.FAIL, reason=reason, detail=summary, command=command, facts=facts
        )
    state = {"connected": connected}
    if failed:
        reason = failed[0][1]["reason"]
        return StageOutcome(
            status=Status.WARN,
            reason=reason,
            detail=summary,
            command=command,
            facts=facts,
            state=state,
            hint=f"Only {', '.join(f for f, a in facts.items() if a['reason'] == 'ok')} works.",
        )
    return StageOutcome(
        status=Status.PASS, reason="ok", detail=summary, command=command, facts=facts, state=state
    )


def _targets(probe: Probe) -> dict[str, str]:
    """The first address of each family, from the DNS stage (or the host itself)."""
    addresses = list(probe.state.get("addresses") or [probe.endpoint.host])
    targets: dict[str, str] = {}
    for address in addresses:
        try:
            fam = family(address)
        except ValueError:
            fam = "host"
        targets.setdefault(fam, address)
    return targets


def _describe(fam: str, attempt: dict[str, Any]) -> str:
    label = {"ipv4": "IPv4", "ipv6": "IPv6"}.get(fam, "")
    where = f"{label} {attempt['address']}:{attempt['port']}".strip()
    if attempt["reason"] == "ok":
        return f"{where} connected in {attempt['time_ms']:g} ms"
    return f"{where} {_WORDS[attempt['reason']]}: {attempt['error']}"


async def _attempt(address: str, probe: Probe) -> dict[str, Any]:
    port = probe.endpoint.port
    timing: list[float] = []
    reason, error = await _connect(address, port, probe.timeout, timing)
    return {
        "address": address,
        "port": port,
        "reason": reason,
        "error": error,
        "time_ms": round(timing[0] * 1000, 1) if timing else None,
    }


async def _connect(address: str, port: int, timeout: float, timing: list[float]) -> tuple[str, str]:
    start = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    except asyncio.TimeoutError:
        return "tcp-timeout", f"no answer within {timeout:g}s"
    except OSError as error:
        return _classify(error), _message(error)
    took = time.monotonic() - start
    timing.append(took)
    try:
        return await _settle(reader, settle_time(took))
    finally:
        writer.close()


def _message(error: OSError) -> str:
    if error.errno:
        return os.strerror(error.errno)
    return error.strerror or str(error)


def settle_time(connect_s: float) -> float:
    """How long to watch a connection that took `connect_s` to open."""
    return max(MIN_SETTLE_S, min(MAX_SETTLE_S, SETTLE_FACTOR * connect_s))


async def _settle(reader: asyncio.StreamReader, wait: float) -> tuple[str, str]:
    """A TLS server never speaks first: data-less EOF or RST right away means a middlebox."""
    try:
        data = await asyncio.wait_for(reader.read(1), wait)
    except asyncio.TimeoutError:
        return "ok", ""
    except OSError as error:
        return "reset", _message(error)
    if data:
        return "ok", ""
    return "reset", "the connection was closed right after it opened"


def _classify(error: OSError) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, ConnectionResetError):
        return "reset"
    if error.errno in (errno.ETIMEDOUT,):
        return "tcp-timeout"
    if error.errno in _UNREACHABLE:
        return "unreachable"
    return "unreachable"
