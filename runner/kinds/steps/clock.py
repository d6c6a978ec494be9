"""Step kind `clock`: the local clock against the `Date` header of an HTTPS endpoint.

The plans point it at the Entra ID sign-in host: a clock off by more than a few minutes
breaks sign-in (asr-facts.md section 2: ~15 minutes breaks setup). One HTTPS HEAD request
with the run's TLS settings (`--ca-bundle`), resolver (`--dns-server`) and timeout,
through `--proxy` or the environment's proxy like the default route (`--no-proxy`:
direct). The skew is measured
against the middle of the request. Beyond `warn_after` seconds: warn; beyond `fail_after`:
fail; both with reason `clock-skew`. When the host cannot be reached the clock is not
judged (warn, with the network reason): the endpoint checks report the connectivity.
"""

from __future__ import annotations

import os
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from runner.context import Context, ProxySetting
from runner.kinds.base import StepOutcome
from runner.kinds.net import names, proxy_rules
from runner.model import Step
from runner.peer_text import shown
from runner.redact import mask_url
from runner.results import Status

SUMMARY = "Compares the local clock with the Date header of an HTTPS endpoint (Entra ID)."
LOG_SECTION = "Clock"
PARAMS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["host"],
    "properties": {
        "host": {"type": "string", "minLength": 1},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "warn_after": {"type": "number", "exclusiveMinimum": 0},
        "fail_after": {"type": "number", "exclusiveMinimum": 0},
    },
}

WARN_AFTER = 120.0
FAIL_AFTER = 300.0


def proxy_for(host: str, ctx: Context) -> ProxySetting | None:
    """The proxy of the default route: --proxy, else the environment's (NO_PROXY honored)."""
    if ctx.force_direct:
        return None
    if ctx.cli_proxy is not None:
        return ctx.cli_proxy
    env = ctx.env_proxy
    return env if env is not None and proxy_rules.bypass_entry(host, env) is None else None


def judge(skew: float, warn_after: float, fail_after: float) -> tuple[Status, str]:
    size = abs(skew)
    if size > fail_after:
        return Status.FAIL, "clock-skew"
    if size > warn_after:
        return Status.WARN, "clock-skew"
    return Status.PASS, "ok"


@dataclass(frozen=True)
class Ask:
    """Where the HEAD request goes: `url`, with the host name for SNI and the Host header
    when `url` names the host's address (a direct route, resolved by the run's resolver)."""

    url: str
    name: str | None = None
    host_header: str | None = None


async def target(
    host: str, port: int, ctx: Context, proxy: ProxySetting | None, timeout: float
) -> Ask | names.Lookup:
    """The request to send, or the failed lookup of `host`. Through a proxy the URL names
    the host (the proxy resolves it); direct, the run's resolver (`--dns-server`) does."""
    url = f"https://{host}/" if port == 443 else f"https://{host}:{port}/"
    if proxy is not None or names.is_ip(host):
        return Ask(url)
    found = await names.lookup(host, port, ctx, timeout)
    if found.reason != "ok":
        return found
    address = next((a for a in found.addresses if ":" not in a), found.addresses[0])
    shown = f"[{address}]" if ":" in address else address
    where = f"https://{shown}/" if port == 443 else f"https://{shown}:{port}/"
    return Ask(where, host, host if port == 443 else f"{host}:{port}")


async def head_date(
    ask: Ask, ctx: Context, proxy: ProxySetting | None, timeout: float
) -> tuple[str | None, float]:
    """(Date header, local epoch seconds at the middle of the request)."""
    import httpx  # here, not at module level: `validate` needs no httpx

    verify = ssl.create_default_context(cafile=ctx.ca_bundle)
    headers = {"Host": ask.host_header} if ask.host_header else None
    extensions = {"sni_hostname": ask.name} if ask.name else None
    async with httpx.AsyncClient(
        verify=verify,
        proxy=proxy_rules.stage_url(proxy.url) if proxy else None,
        trust_env=False,
        timeout=httpx.Timeout(timeout),
    ) as client:
        before = time.time()
        response = await client.head(ask.url, headers=headers, extensions=extensions)
        after = time.time()
    return response.headers.get("date"), (before + after) / 2


def server_time(header: str) -> float | None:
    """The epoch seconds an HTTP `Date` header states; None for one that is not a date
    (garbage, year 99999, an offset of days, day 32)."""
    try:
        return parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError, OverflowError, IndexError):
        return None


def _why(error: BaseException) -> str:
    """`ConnectError: All connection attempts failed (Connection refused)`: the error, and
    the operating system's words from the OSError underneath, when there is one."""
    text = str(error).strip()
    shown = f"{type(error).__name__}: {text}" if text else type(error).__name__
    inner: BaseException | None = error
    seen = 0
    while inner is not None and seen < 8:  # bounded: chains can loop
        words = _os_words(inner)
        if words and words not in shown:
            return f"{shown} ({words})"
        inner, seen = inner.__cause__ or inner.__context__, seen + 1
    return shown


def _os_words(error: BaseException | None) -> str:
    """ "Connection refused" for an OSError with a system errno; its own text otherwise."""
    if not isinstance(error, OSError):
        return ""
    if isinstance(error.errno, int) and error.errno > 0:
        return os.strerror(error.errno)
    return error.strerror or ""


async def run(step: Step, ctx: Context) -> list[StepOutcome]:
    """One outcome: the skew, judged."""
    import httpx

    params = step.params
    host, port = str(params["host"]), int(params.get("port", 443))
    url = f"https://{host}/" if port == 443 else f"https://{host}:{port}/"
    proxy = proxy_for(host, ctx)
    via = f" --proxy {mask_url(proxy.url)}" if proxy else ""
    command = f"curl -sI{via} {url} | grep -i '^date:'; date -u"
    timeout = ctx.stage_timeout(max(1.0, step.timeout - 1.0))
    facts: dict[str, Any] = {"url": url, "route": mask_url(proxy.url) if proxy else "direct"}
    started = time.monotonic()
    ask = await target(host, port, ctx, proxy, timeout)
    if isinstance(ask, names.Lookup):
        detail = f"clock not checked: {ask.detail}"
        hint = f"The checks of {host} show why it cannot be reached."
        return [StepOutcome("clock", Status.WARN, ask.reason, detail, command, facts, hint=hint)]
    left = max(timeout - (time.monotonic() - started), 0.5)
    try:
        header, local = await head_date(ask, ctx, proxy, left)
    except httpx.TimeoutException:
        return [
            StepOutcome(
                "clock",
                Status.WARN,
                "http-timeout",
                f"{host} did not answer in {timeout:g}s: clock not checked",
                command,
                facts,
            )
        ]
    except (httpx.HTTPError, ssl.SSLError, OSError) as error:
        return [
            StepOutcome(
                "clock",
                Status.WARN,
                "http-error",
                f"clock not checked: could not read the time from {host}: {_why(error)}",
                command,
                facts,
                hint=f"The checks of {host} show why it cannot be reached.",
            )
        ]
    if not header:
        return [
            StepOutcome(
                "clock",
                Status.WARN,
                "http-error",
                f"{host} sent no Date header: clock not checked",
                command,
                facts,
            )
        ]
    server = server_time(header)
    if server is None:
        facts.update(server_date=header)
        detail = (
            f"the Date header from {host} is not a valid HTTP date "
            f"({shown(header, 60)!r}): clock not checked"
        )
        hint = f"{host} (or a proxy or middlebox answering for it) sends a broken Date header."
        return [StepOutcome("clock", Status.WARN, "finding", detail, command, facts, hint)]
    skew = local - server
    status, reason = judge(
        skew,
        float(params.get("warn_after", WARN_AFTER)),
        float(params.get("fail_after", FAIL_AFTER)),
    )
    facts.update(
        server_date=header,
        local_utc=time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(local)),
        skew_seconds=round(skew, 1),
    )
    ahead = "ahead of" if skew > 0 else "behind"
    detail = f"local clock is {abs(skew):.0f}s {ahead} {host} (Date: {shown(header, 60)})"
    return [StepOutcome("clock", status, reason, detail, command, facts)]
