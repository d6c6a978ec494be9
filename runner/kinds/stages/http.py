"""One HEAD request like `curl -I` (GET when HEAD is refused); any HTTP status = reachable."""

from __future__ import annotations

import asyncio
import ipaddress
import time
from typing import TYPE_CHECKING, Any

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import http_clients, manual_commands, tls_context
from runner.peer_text import shown
from runner.results import Status

if TYPE_CHECKING:  # httpx is imported where it is used: `validate` needs none of it
    import httpx

SUMMARY = "Send one HTTPS HEAD request (no redirects); any HTTP status means reachable."

_HEADERS = ("server", "x-ms-request-id", "date", "location")


def _url(probe: Probe) -> tuple[str, dict[str, Any]]:
    """The URL to ask and the request extensions.

    Direct routes go to the address the earlier stages reached, with the host name in
    the Host header and SNI; proxy routes name the host and let the proxy resolve it.
    """
    host, port = tls_context.tls_name(probe), probe.endpoint.port
    if probe.proxy is not None:
        return f"https://{host}:{port}/", {}
    address = tls_context.target(probe)
    try:
        if ipaddress.ip_address(address).version == 6:
            address = f"[{address}]"
    except ValueError:
        pass
    return f"https://{address}:{port}/", {"sni_hostname": host}


async def end_run() -> None:
    """The run is over: close the httpx clients its checks shared."""
    await http_clients.close_all()


async def run(probe: Probe, ctx: Context) -> StageOutcome:
    """Sends HEAD (GET if refused) and reports the answer."""
    import httpx

    command = manual_commands.curl(probe)
    url, extensions = _url(probe)
    start = time.monotonic()
    methods: list[str] = []
    try:
        # httpx times each read; a dripping answer needs a total for the stage.
        response = await asyncio.wait_for(_ask(probe, ctx, url, extensions, methods), probe.timeout)
    except asyncio.TimeoutError:
        return _fail("http-timeout", f"no complete answer within {probe.timeout:g}s", command)
    except httpx.TimeoutException as error:
        return _fail(
            "http-timeout",
            f"no complete answer within {probe.timeout:g}s ({type(error).__name__})",
            command,
        )
    except httpx.HTTPError as error:
        return _fail("http-error", f"{type(error).__name__}: {shown(str(error))}", command)
    took = time.monotonic() - start
    return _judge(response, methods, took, command)


async def _ask(
    probe: Probe, ctx: Context, url: str, extensions: dict[str, Any], methods: list[str]
) -> httpx.Response:
    """HEAD, then GET when HEAD is refused (405/501); `methods` records what was sent."""
    import httpx

    headers = {"Host": _host_header(probe), "User-Agent": "asrcheck"}
    proxy_url = probe.proxy.url if probe.proxy is not None else None
    client = http_clients.client(proxy_url, tls_context.verifying(ctx))
    timeout = httpx.Timeout(probe.timeout)
    for method in ("HEAD", "GET"):
        methods.append(method)
        response = await client.request(
            method, url, headers=headers, extensions=extensions, timeout=timeout
        )
        if response.status_code not in (405, 501):
            break
    return response


def _host_header(probe: Probe) -> str:
    host, port = probe.endpoint.host, probe.endpoint.port
    return host if port == 443 else f"{host}:{port}"


def _fail(reason: str, detail: str, command: str) -> StageOutcome:
    return StageOutcome(status=Status.FAIL, reason=reason, detail=detail, command=command)


def _judge(response: httpx.Response, methods: list[str], took: float, command: str) -> StageOutcome:
    seen = {name: response.headers[name] for name in _HEADERS if name in response.headers}
    facts: dict[str, Any] = {
        "method": methods[-1],
        "status": response.status_code,
        "reason_phrase": response.reason_phrase,
        "http_version": response.http_version,
        "headers": seen,
        "time_ms": round(took * 1000, 1),
    }
    server = f" (Server: {shown(seen['server'])})" if "server" in seen else ""
    phrase = shown(response.reason_phrase)
    detail = f"{methods[-1]} answered {response.status_code} {phrase}{server}: reachable"
    return StageOutcome(
        status=Status.PASS, reason="ok", detail=detail, command=command, facts=facts
    )
