"""The CONNECT stage of a proxy route: can the proxy open a tunnel to the endpoint?"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import manual_commands
from runner.kinds.net.threads import in_thread
from runner.kinds.net.tunnel import open_tunnel
from runner.results import Status

SUMMARY = "Ask the route's HTTP proxy to CONNECT to the endpoint."


async def run(probe: Probe, ctx: Context) -> StageOutcome:
    """Asks the proxy for a CONNECT tunnel, then closes it."""
    command = manual_commands.curl(probe)
    if probe.proxy is None:
        return StageOutcome(
            status=Status.SKIP,
            reason="not-applicable",
            detail="direct route: no proxy to ask",
            command=command,
        )
    host, port = probe.endpoint.host, probe.endpoint.port
    url = probe.proxy.url
    result = await in_thread(lambda: open_tunnel(url, host, port, probe.timeout))
    if result.sock is not None:
        result.sock.close()
    facts: dict[str, Any] = {
        "proxy": probe.route.proxy,
        "status": result.status,
        "server": result.server,
        "answer": result.detail,
    }
    if result.reason != "ok":
        return StageOutcome(
            status=Status.FAIL,
            reason=result.reason,
            detail=result.detail,
            command=command,
            facts=facts,
        )
    if _has_credentials(probe):
        return StageOutcome(
            status=Status.WARN,
            reason="proxy-auth-unsupported",
            detail=f"{result.detail}, but this route sends proxy credentials",
            command=command,
            facts=facts,
        )
    return StageOutcome(
        status=Status.PASS, reason="ok", detail=result.detail, command=command, facts=facts
    )


def _has_credentials(probe: Probe) -> bool:
    return probe.proxy is not None and urlsplit(probe.proxy.url).username is not None
