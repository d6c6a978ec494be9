"""The manual commands a support engineer can run to repeat a stage by hand."""

from __future__ import annotations

from runner.kinds.base import Probe


def nslookup(probe: Probe, server: str | None = None) -> str:
    """`nslookup HOST [SERVER]`."""
    host = probe.endpoint.host
    return f"nslookup {host} {server}" if server else f"nslookup {host}"


def tcp(probe: Probe, target: str | None = None) -> str:
    """`nc -vz HOST PORT`, with the PowerShell equivalent."""
    host = target or probe.endpoint.host
    port = probe.endpoint.port
    return f"nc -vz {host} {port}  (Windows: Test-NetConnection {host} -Port {port})"


def curl(probe: Probe) -> str:
    """`curl -I`, through the route's proxy (masked) when there is one."""
    host, port = probe.endpoint.host, probe.endpoint.port
    url = f"https://{host}" if port == 443 else f"https://{host}:{port}"
    via = f"--proxy {probe.route.proxy} " if probe.route.kind == "proxy" else ""
    return f"curl -I {via}{url}"


def openssl(probe: Probe) -> str:
    """`openssl s_client` with SNI, through the route's proxy when there is one."""
    host, port = probe.endpoint.host, probe.endpoint.port
    via = ""
    if probe.route.kind == "proxy" and probe.route.proxy:
        via = f" -proxy {probe.route.proxy.split('://', 1)[-1]}"
    return f"openssl s_client -connect {host}:{port} -servername {host}{via}"
