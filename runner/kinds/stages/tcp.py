"""Opens a TCP connection to the resolved addresses; IPv4 and IPv6 are reported apart."""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import connection, manual_commands, names
from runner.kinds.net.addresses import family
from runner.results import Status

SUMMARY = "Connect over TCP to the endpoint's port on each address family."
ORDER = 20
ROUTES = "direct"
FIREWALL_ADVICE = True
#: The reason when the engine has to cut this stage off at its timeout.
TIMEOUT_REASON = "tcp-timeout"

_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL}
_WORDS = {
    "refused": "refused",
    "tcp-timeout": "timed out",
    "unreachable": "unreachable",
    "reset": "reset",
}


async def run(probe: Probe, ctx: Context) -> StageOutcome:
    """Connects to the first address of each family; the first connection goes on."""
    found = await names.resolved(probe, ctx)  # no dns stage before: the run's resolver
    if isinstance(found, StageOutcome):
        return found
    probe = found
    targets = _targets(probe)
    attempts = await asyncio.gather(*(_attempt(addr, probe) for addr in targets.values()))
    facts: dict[str, Any] = {fam: attempt.facts for fam, attempt in zip(targets, attempts)}
    kept = _keep_first([attempt.sock for attempt in attempts])
    connected = [a.facts["address"] for a in attempts if a.facts["reason"] == "ok"]
    failed = [(fam, a) for fam, a in facts.items() if a["reason"] != "ok"]
    summary = "; ".join(_describe(fam, a) for fam, a in facts.items())
    command = manual_commands.tcp(probe)
    if kept is None:
        reason = failed[0][1]["reason"]
        return StageOutcome(
            status=Status.FAIL, reason=reason, detail=summary, command=command, facts=facts
        )
    state = {"connected": connected, connection.STATE_KEY: connection.Connection(kept)}
    status, reason, hint = Status.PASS, "ok", ""
    if failed:
        status, reason = Status.WARN, failed[0][1]["reason"]
        hint = f"Only {', '.join(f for f, a in facts.items() if a['reason'] == 'ok')} works."
    return StageOutcome(
        status=status,
        reason=reason,
        detail=summary,
        command=command,
        facts=facts,
        state=state,
        hint=hint,
    )


def _keep_first(socks: list[socket.socket | None]) -> socket.socket | None:
    """The first family's connection carries the chain on; the others are closed now."""
    open_ones = [sock for sock in socks if sock is not None]
    for other in open_ones[1:]:
        other.close()
    return open_ones[0] if open_ones else None


def _targets(probe: Probe) -> dict[str, str]:
    """The first address of each family, from the DNS stage (or the host, an IP address)."""
    addresses = list(probe.state.get("addresses") or [probe.endpoint.host])
    targets: dict[str, str] = {}
    for address in addresses:
        targets.setdefault(family(address), address)
    return targets


def _describe(fam: str, attempt: dict[str, Any]) -> str:
    label = {"ipv4": "IPv4", "ipv6": "IPv6"}.get(fam, "")
    where = f"{label} {attempt['address']}:{attempt['port']}".strip()
    if attempt["reason"] == "ok":
        return f"{where} connected in {attempt['time_ms']:g} ms"
    return f"{where} {_WORDS[attempt['reason']]}: {attempt['error']}"


@dataclass
class _Attempt:
    facts: dict[str, Any]
    sock: socket.socket | None = None


async def _attempt(address: str, probe: Probe) -> _Attempt:
    port = probe.endpoint.port
    start = time.monotonic()
    sock, reason, error = await _connect(address, port, probe.timeout)
    took = time.monotonic() - start
    facts = {
        "address": address,
        "port": port,
        "reason": reason,
        "error": error,
        "time_ms": round(took * 1000, 1) if reason == "ok" else None,
    }
    return _Attempt(facts, sock)


async def _connect(
    address: str, port: int, timeout: float
) -> tuple[socket.socket | None, str, str]:
    """(the connected socket, "ok", "") or (None, reason, error)."""
    try:
        sock = await asyncio.wait_for(_open(address, port, timeout), timeout)
    except asyncio.TimeoutError:
        return None, "tcp-timeout", f"no answer within {timeout:g}s"
    except OSError as error:
        return None, _classify(error), _message(error)
    reason, why = _already_cut(sock)
    if reason != "ok":
        sock.close()
        return None, reason, why
    return sock, reason, why


async def _open(address: str, port: int, timeout: float) -> socket.socket:
    """A non-blocking connect to an IP address."""
    loop = asyncio.get_running_loop()
    fam, where = _literal(address, port)
    sock = socket.socket(fam, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        await loop.sock_connect(sock, where)
    except BaseException:
        sock.close()
        raise
    return sock


def _message(error: OSError) -> str:
    if error.errno:
        return os.strerror(error.errno)
    return error.strerror or str(error)


def _literal(address: str, port: int) -> tuple[int, tuple[Any, ...]]:
    """The socket address of an IP literal, without asking any resolver."""
    if ipaddress.ip_address(address).version == 6:
        return socket.AF_INET6, (address, port, 0, 0)
    return socket.AF_INET, (address, port)


def _already_cut(sock: socket.socket) -> tuple[str, str]:
    """A TLS server never speaks first: a reset or data-less close already there right after
    the connect is the path refusing it. Nothing waits for one: a reset that comes later
    cuts the TLS handshake, and the tls stage reports it."""
    try:
        data = sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
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
