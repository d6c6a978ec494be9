"""Step kind `network`: interfaces and addresses, default routes and DNS configuration.

Linux: `ip a`, `ip route show default` (IPv4 and IPv6) and /etc/resolv.conf.
Windows: `ipconfig /all`, parsed for addresses, DNS servers and default gateways per
adapter. Commands run without a shell, each with the step's timeout.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.steps.collect import command_outcome, file_outcome, run_command, system_of
from runner.machine import windows_output
from runner.machine.system import System
from runner.model import Step
from runner.results import Status

SUMMARY = "Collects interfaces and addresses, default routes and DNS servers."
LOG_SECTION = "Machine"
PARAMS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {},
}

RESOLV_CONF = "/etc/resolv.conf"


def parse_resolv_conf(text: str) -> dict[str, list[str]]:
    """nameserver, search and options lines of resolv.conf."""
    found: dict[str, list[str]] = {"nameservers": [], "search": [], "options": []}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) < 2:
            continue
        if words[0] == "nameserver":
            found["nameservers"].append(words[1])
        elif words[0] in ("search", "domain"):
            found["search"].extend(words[1:])
        elif words[0] == "options":
            found["options"].extend(words[1:])
    return found


async def _linux(system: System, timeout: float) -> list[StepOutcome]:
    addr = await run_command(system, ["ip", "a"], timeout)
    outcomes = [command_outcome("network:interfaces", addr, "Interfaces and addresses")]
    for family in ("-4", "-6"):
        routes = await run_command(system, ["ip", family, "route", "show", "default"], timeout)
        lines = [line for line in routes.stdout.splitlines() if line.strip()]
        what = f"Default routes (IPv{family[1]}): {len(lines)}"
        outcomes.append(command_outcome(f"network:routes{family}", routes, what, routes=lines))
    text = system.read_file(RESOLV_CONF)
    parsed = parse_resolv_conf(text) if text is not None else {}
    servers = ", ".join(parsed.get("nameservers", [])) or "none"
    outcomes.append(
        file_outcome("network:dns", RESOLV_CONF, text, f"DNS servers: {servers}", **parsed)
    )
    return outcomes


async def _windows(system: System, timeout: float) -> list[StepOutcome]:
    result = await run_command(system, ["ipconfig", "/all"], timeout)
    adapters = windows_output.parse_ipconfig(result.stdout) if result.available else []
    dns = windows_output.dns_servers(adapters)
    gateways = windows_output.default_gateways(adapters)
    outcomes = [
        command_outcome(
            "network:interfaces",
            result,
            "Interfaces and addresses",
            addresses=windows_output.addresses(adapters),
        )
    ]
    if result.available:
        facts = {"dns_servers": dns, "default_gateways": gateways}
        servers = sorted({server for items in dns.values() for server in items})
        detail = f"DNS servers: {', '.join(servers) or 'none'}; default gateways: " + (
            ", ".join(sorted({g for items in gateways.values() for g in items})) or "none"
        )
        outcomes.append(
            StepOutcome("network:dns", Status.PASS, "collected", detail, "ipconfig /all", facts)
        )
    return outcomes


async def run(step: Step, ctx: Context) -> list[StepOutcome]:
    """Outcomes for interfaces, routes and DNS; missing commands are `not-available`."""
    system = system_of(ctx)
    timeout = max(0.5, ctx.stage_timeout(step.timeout) / 4)
    if system.platform() == "windows":
        return await _windows(system, timeout)
    return await _linux(system, timeout)
