"""Step kind `proxy-config`: every proxy source, which one the ASR agent uses, and findings.

Sources: this process's environment (what asrcheck's own default route honors), then the
agent's sources in the agent's order (`runner.machine.agent_proxy`): ProxyInfo.conf, then
/etc/environment (Linux) or WinINet for SYSTEM and the current user (Windows); on Windows
also WinHTTP (`netsh winhttp show proxy`). Settings ASR does not support are findings
(status warn, reason `finding`), asr-facts.md section 6: an authenticated proxy, a proxy
spoken to over HTTPS [legacy], IP addresses, subnets or wildcards in BypassList.
Proxy URLs are shown with credentials masked.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from runner.context import Context, ProxySetting
from runner.kinds.base import StepOutcome
from runner.kinds.net.threads import in_thread
from runner.kinds.steps.collect import command_text, run_command, system_of
from runner.machine import agent_proxy, windows_output, winhttp
from runner.machine.agent_proxy import SourceReading
from runner.machine.system import System
from runner.model import Step
from runner.redact import mask_url
from runner.results import Status

SUMMARY = "Reads every proxy source, says which one the ASR agent uses, flags unsupported ones."
LOG_SECTION = "Proxy"
PARAMS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {},
}

_FINDING_HINT = (
    "ASR supports only an unauthenticated HTTP proxy; ProxyInfo.conf BypassList takes "
    "domain suffixes only (e.g. blob.core.windows.net), no IPs, subnets or wildcards."
)


def _is_network(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry.strip("[]"), strict=False)
    except ValueError:
        return False
    return True


def findings(proxy: ProxySetting) -> list[str]:
    """What in this proxy setting ASR does not support."""
    found = []
    if agent_proxy.has_credentials(proxy.url):
        found.append("authenticated proxy (user/password in the URL): not supported by ASR")
    if urlsplit(proxy.url).scheme.lower() == "https":
        found.append("HTTPS proxy URL: the agent talks plain HTTP to its proxy")
    if proxy.bypass_style == "asr":
        for entry in proxy.bypass:
            if _is_network(entry):
                found.append(f"BypassList entry {entry!r} is an IP address or subnet: ignored")
            elif "*" in entry or "?" in entry:
                found.append(f"BypassList entry {entry!r} has a wildcard: suffixes only")
    return found


_USERINFO = re.compile(r"([^/\s:@=]+):[^@\s]+@")


def _masked_values(values: Mapping[str, str] | None) -> dict[str, str]:
    """Values with any `user:password@` (with or without a scheme) masked."""
    return {
        key: mask_url(value) if "://" in value else _USERINFO.sub(r"\1:***@", value)
        for key, value in (values or {}).items()
    }


def command_for(reading: SourceReading) -> str:
    """How to look at this source by hand."""
    if reading.source == "env":
        return "env | grep -i proxy"
    if reading.where.startswith("HK"):
        return f'reg query "{reading.where}"'
    if reading.where[1:3] == ":\\":
        return f'type "{reading.where}"'
    return f"cat {reading.where}"


def reading_outcome(reading: SourceReading, ctx: Context) -> StepOutcome:
    """One outcome per source: what it says, masked, with findings."""
    check, command = f"proxy:{reading.source}", command_for(reading)
    facts: dict[str, Any] = {"where": reading.where, "values": _masked_values(reading.values)}
    if not reading.present:
        detail = f"{reading.where}: {reading.note}"
        return StepOutcome(check, Status.SKIP, "not-available", detail, command)
    if reading.proxy is None:
        detail = f"no proxy ({reading.note})"
        return StepOutcome(check, Status.PASS, "collected", detail, command, facts)
    proxy = reading.proxy
    ctx.redactor.add_url_credentials(proxy.url)
    facts.update(proxy=mask_url(proxy.url), bypass=list(proxy.bypass), style=proxy.bypass_style)
    detail = f"proxy {mask_url(proxy.url)}" + (
        f", bypass {', '.join(proxy.bypass)}" if proxy.bypass else ""
    )
    # The agent never reads this process's environment: its settings are not findings.
    found = findings(proxy) if reading.source != "env" else []
    if found:
        facts["findings"] = found
        return StepOutcome(
            check,
            Status.WARN,
            "finding",
            detail + "; " + "; ".join(found),
            command,
            facts,
            _FINDING_HINT,
        )
    return StepOutcome(check, Status.PASS, "collected", detail, command, facts)


def env_reading(system: System) -> SourceReading:
    """This process's proxy variables (asrcheck's default route honors them)."""
    names = agent_proxy.PROXY_VARS + agent_proxy.NO_PROXY_VARS
    env = system.environ()
    values = {name: env[name] for name in names if env.get(name)}
    proxy = agent_proxy.proxy_from_variables(values, "env")
    note = "" if proxy else "no proxy variable set"
    return SourceReading("env", "process environment", True, proxy, values, note)


async def winhttp_outcome(system: System, timeout: float) -> StepOutcome:
    """WinHTTP's proxy from the registry (any display language); `netsh winhttp show proxy`
    kept as evidence, and parsed from its English layout where the registry has nothing."""
    argv = ["netsh", "winhttp", "show", "proxy"]
    result = await run_command(system, argv, timeout)
    parsed = await in_thread(lambda: winhttp.from_registry(system))
    if parsed is None and not result.available:
        return StepOutcome("proxy:WinHTTP", Status.SKIP, "not-available", "netsh not found")
    facts: dict[str, Any] = {"output": result.stdout.strip(), "source": "registry"}
    if parsed is None:
        parsed = windows_output.parse_winhttp(result.stdout)
        facts["source"] = "netsh winhttp show proxy"
    if parsed is None:
        detail = "output not recognized (see the output)"
    elif parsed.direct:
        detail = "direct access (no proxy server)"
    else:
        facts.update(server=parsed.server, bypass=parsed.bypass)
        detail = f"proxy {parsed.server}, bypass {parsed.bypass or 'none'}"
    return StepOutcome("proxy:WinHTTP", Status.PASS, "collected", detail, command_text(argv), facts)


def agent_outcome(readings: list[SourceReading]) -> StepOutcome:
    """Which source the agent uses, as its own outcome for the log's proxy section."""
    chosen = agent_proxy.choose(readings)
    order = " > ".join(reading.source for reading in readings)
    facts: dict[str, Any] = {"order": order, "source": chosen.source if chosen else None}
    if chosen is None or chosen.proxy is None:
        return StepOutcome(
            "proxy:agent",
            Status.PASS,
            "collected",
            f"the ASR agent connects directly (no proxy in {order})",
            "",
            facts,
        )
    facts["proxy"] = mask_url(chosen.proxy.url)
    detail = f"the ASR agent uses {facts['proxy']} from {chosen.source} (order: {order})"
    return StepOutcome("proxy:agent", Status.PASS, "collected", detail, "", facts)


async def run(step: Step, ctx: Context) -> list[StepOutcome]:
    """Outcomes for every source, WinHTTP on Windows, and the agent's choice."""
    system = system_of(ctx)
    readings = await in_thread(lambda: agent_proxy.agent_sources(system))
    outcomes = [reading_outcome(env_reading(system), ctx)]
    outcomes += [reading_outcome(reading, ctx) for reading in readings]
    if system.platform() == "windows":
        outcomes.append(
            await winhttp_outcome(system, max(0.5, ctx.stage_timeout(step.timeout) / 2))
        )
    outcomes.append(agent_outcome(readings))
    return outcomes
