"""The CONNECT stage of a proxy route: can the proxy open a tunnel to the endpoint?"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import connection, manual_commands
from runner.kinds.net.threads import in_thread
from runner.kinds.net.tunnel import open_tunnel
from runner.results import Status

SUMMARY = "Ask the route's HTTP proxy to CONNECT to the endpoint."
ORDER = 30
ROUTES = "proxy"
FIREWALL_ADVICE = True
#: The reason when the engine has to cut this stage off at its timeout.
TIMEOUT_REASON = "proxy-timeout"


async def run(probe: Probe, ctx: Context) -> StageOutcome:
    """Asks the proxy for a CONNECT tunnel; the next stages use it as the chain's connection."""
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
    facts: dict[str, Any] = {
        "proxy": probe.route.proxy,
        "status": result.status,
        "server": result.server,
        "answer": result.detail,
    }
    state: dict[str, Any] = {}
    status, reason, detail = Status.FAIL, result.reason, result.detail
    if result.sock is not None:
        state[connection.STATE_KEY] = connection.Connection(result.sock)
        status, reason = Status.PASS, "ok"
        if _has_credentials(probe):
            status, reason = Status.WARN, "proxy-auth-unsupported"
            detail += ", but this route sends proxy credentials"
    return StageOutcome(
        status=status, reason=reason, detail=detail, command=command, facts=facts, state=state
    )


def _has_credentials(probe: Probe) -> bool:
    return probe.proxy is not None and urlsplit(probe.proxy.url).username is not None
