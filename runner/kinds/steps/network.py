"""Step kind `network`: interfaces and addresses, default routes and DNS configuration.

Linux: `ip a`, `ip route show default` (IPv4 and IPv6) and /etc/resolv.conf; behind the
systemd-resolved stub (127.0.0.53) the servers it forwards to, from its own resolv.conf and
`resolvectl status`. Windows: DNS servers and default gateways per adapter from the
registry (the same in every display language), `ipconfig /all` as evidence (and parsed
from its English layout where the registry has nothing). Commands run without a shell,
each with the step's timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.steps.collect import command_outcome, file_outcome, run_command, system_of
from runner.machine import resolvers, windows_output
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


async def _linux(system: System, timeout: float) -> list[StepOutcome]:
    addr = await run_command(system, ["ip", "a"], timeout)
    outcomes = [command_outcome("network:interfaces", addr, "Interfaces and addresses")]
    for family in ("-4", "-6"):
        routes = await run_command(system, ["ip", family, "route", "show", "default"], timeout)
        lines = [line for line in routes.stdout.splitlines() if line.strip()]
        what = f"Default routes (IPv{family[1]}): {len(lines)}"
        outcomes.append(command_outcome(f"network:routes{family}", routes, what, routes=lines))
    outcomes.append(await _linux_dns(system, timeout))
    return outcomes


async def _linux_dns(system: System, timeout: float) -> StepOutcome:
    """resolv.conf, and behind the systemd-resolved stub the servers it forwards to."""
    text = system.read_file(resolvers.RESOLV_CONF)
    facts: dict[str, Any] = dict(resolvers.parse_resolv_conf(text)) if text is not None else {}
    found = resolvers.linux_dns(system)
    if found is not None and found.stub:
        facts.update(stub=found.stub, upstream=list(found.servers), upstream_from=found.source)
        status = await run_command(system, ["resolvectl", "status"], timeout)
        if status.ok:
            links = resolvers.parse_resolvectl(status.stdout)
            facts.update(resolvectl=links, resolvectl_output=status.stdout.rstrip())
            if not found.servers and links:
                servers = dict.fromkeys(s for items in links.values() for s in items)
                found = replace(found, servers=tuple(servers), source="resolvectl status")
                facts.update(upstream=list(found.servers), upstream_from=found.source)
    what = f"DNS servers: {found.describe() if found is not None else 'none'}"
    return file_outcome("network:dns", resolvers.RESOLV_CONF, text, what, **facts)


async def _windows(system: System, timeout: float) -> list[StepOutcome]:
    result = await run_command(system, ["ipconfig", "/all"], timeout)
    adapters = windows_output.parse_ipconfig(result.stdout) if result.available else []
    outcomes = [
        command_outcome(
            "network:interfaces",
            result,
            "Interfaces and addresses",
            addresses=windows_output.addresses(adapters),
        )
    ]
    interfaces = await asyncio.to_thread(resolvers.windows_interfaces, system)
    if interfaces or result.available:
        outcomes.append(_windows_dns(interfaces, adapters))
    return outcomes


def _windows_dns(
    interfaces: list[resolvers.Interface], adapters: list[windows_output.Adapter]
) -> StepOutcome:
    """DNS servers and gateways per adapter: the registry's, else parsed `ipconfig /all`."""
    if interfaces:
        dns = {item.name: item.dns_servers for item in interfaces if item.dns_servers}
        gateways = {item.name: item.gateways for item in interfaces if item.gateways}
        source, command = "registry", "reg query " + resolvers.TCPIP_INTERFACES + " /s"
    else:
        dns = windows_output.dns_servers(adapters)
        gateways = windows_output.default_gateways(adapters)
        source, command = "ipconfig /all", "ipconfig /all"
    facts = {"dns_servers": dns, "default_gateways": gateways, "source": source}
    servers = list(dict.fromkeys(server for items in dns.values() for server in items))
    detail = f"DNS servers: {', '.join(servers) or 'none'}; default gateways: " + (
        ", ".join(sorted({g for items in gateways.values() for g in items})) or "none"
    )
    return StepOutcome("network:dns", Status.PASS, "collected", detail, command, facts)


async def run(step: Step, ctx: Context) -> list[StepOutcome]:
    """Outcomes for interfaces, routes and DNS; missing commands are `not-available`."""
    system = system_of(ctx)
    timeout = max(0.5, ctx.stage_timeout(step.timeout) / 4)
    if system.platform() == "windows":
        return await _windows(system, timeout)
    return await _linux(system, timeout)
