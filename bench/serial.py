"""The serial baseline: each host checked one step after another with nslookup, nc, curl.

This is how Microsoft's Linux script works (asr-facts.md section 8): per host `nslookup`,
`nc -vz HOST 443` and `curl -I https://HOST`, one after another. The script sets no
timeouts; here every step gets the same per-step timeout asrcheck uses, which makes the
baseline faster than the original. The tools are pointed at the simulated network:
nslookup asks the bench's DNS server, nc connects to the address it maps the host to, and
curl uses `--resolve` and the test CA. When a name does not resolve, nc and curl are
skipped for it (the real tools would wait for the resolver again: this, too, favours the
baseline).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TOOLS = {"nslookup": "dnsutils", "nc": "netcat-openbsd", "curl": "curl"}


@dataclass(frozen=True)
class SerialNet:
    """Where the tools find the simulated network."""

    dns: tuple[str, int]
    #: Host -> address the bench's DNS maps it to (None: the name never answers).
    addresses: Mapping[str, str | None]
    port: int
    ca_file: str


def missing_tools() -> dict[str, str]:
    """Tools of the baseline that are not installed: name -> Debian package."""
    return {tool: package for tool, package in TOOLS.items() if shutil.which(tool) is None}


def host_steps(host: str, net: SerialNet, timeout: float) -> list[list[str]]:
    """The command lines checking one host, in order."""
    dns_ip, dns_port = net.dns
    steps = [
        [
            "nslookup",
            f"-port={dns_port}",
            f"-timeout={max(1, round(timeout))}",
            "-retry=1",
            host,
            dns_ip,
        ]
    ]
    address = net.addresses.get(host)
    if address is None:
        return steps
    steps.append(["nc", "-vz", "-w", f"{max(1, round(timeout))}", address, str(net.port)])
    steps.append(
        [
            "curl",
            "-sS",
            "-I",
            "-o",
            "/dev/null",
            "--connect-timeout",
            f"{timeout:g}",
            "--max-time",
            f"{3 * timeout:g}",
            "--cacert",
            net.ca_file,
            "--resolve",
            f"{host}:{net.port}:{address}",
            f"https://{host}:{net.port}/",
        ]
    )
    return steps


def run_serial(hosts: Sequence[str], net: SerialNet, timeout: float) -> tuple[float, int]:
    """Runs every step of every host in order; returns (seconds, failed steps)."""
    failed = 0
    start = time.perf_counter()
    for host in hosts:
        for argv in host_steps(host, net, timeout):
            done = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=10 * timeout + 30,
                check=False,
            )
            failed += done.returncode != 0
    return time.perf_counter() - start, failed
