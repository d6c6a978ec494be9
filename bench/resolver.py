"""The dns stage's system-resolver path against `socket.getaddrinfo` alone, in this process.

Both resolve `localhost` (the hosts file: no packet leaves the machine), one lookup after
another, so the difference is what the stage adds: the daemon-thread hand-over, the
address classification and the outcome. Both ask for A and AAAA in the one call.
"""

from __future__ import annotations

import asyncio
import socket
import time

HOST = "localhost"


def _stage_lookups(count: int) -> list[float]:
    from runner.context import Context
    from runner.kinds.base import Probe
    from runner.kinds.stages import dns
    from runner.model import Endpoint
    from runner.results import Route

    endpoint = Endpoint(id="local", host=HOST, port=443, purpose="resolver benchmark")
    probe = Probe(endpoint=endpoint, route=Route(kind="direct"), proxy=None, timeout=5.0)
    ctx = Context()

    async def lookups() -> list[float]:
        times = []
        for _ in range(count):
            start = time.perf_counter()
            outcome = await dns.run(probe, ctx)
            times.append(time.perf_counter() - start)
            assert outcome.reason == "ok", outcome.detail
        return times

    return asyncio.run(lookups())


def _getaddrinfo_lookups(count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        socket.getaddrinfo(HOST, 443, type=socket.SOCK_STREAM)
        times.append(time.perf_counter() - start)
    return times


def system_resolver_ms(count: int = 200) -> tuple[list[float], list[float]]:
    """(stage, getaddrinfo): milliseconds of each lookup."""
    stage = _stage_lookups(count)
    plain = _getaddrinfo_lookups(count)
    return [t * 1000 for t in stage], [t * 1000 for t in plain]
