"""Runs `run a2a` (through a plan that extends it) against loopback peers with each given
command, and writes each command's JSON report: `python -m tests.bundle.peer_run SPEC`.

Started by tests/bundle/test_run.py, inside `unshare -n` where available: then the peers
and the commands share a network namespace that has only a loopback interface, which this
script brings up. SPEC is a JSON file: {"netns": bool, "outside": dir, "commands":
{label: [argv...]}}; reports are written to <outside>/<label>.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import trustme

from tests.peers.dns import DnsServer
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

HOSTS = (
    "login.microsoftonline.com",
    "pod01-rcm1.jpe.hypervrecoverymanager.windowsazure.com",
    "pod01-rcm1.jpw.hypervrecoverymanager.windowsazure.com",
    "mycache.blob.core.windows.net",
    "azgnrelay-eastus-l1.servicebus.windows.net",
    "localhost",
)
VARS = ("source_region=japaneast", "target_region=japanwest", "storage_account=mycache")


class _MicrosoftLikePki(Pki):
    def __init__(self) -> None:
        super().__init__()
        self.ca = trustme.CA(organization_name="Microsoft Azure Test TLS CA")


def _child_plan(outside: Path, port: int) -> Path:
    path = outside / "a2a-loopback.yaml"
    path.write_text(
        "plan_format: 1\nname: a2a-loopback\nversion: 1.0.0\nscenario: test\n"
        "description: The built-in a2a plan against loopback peers.\nextends: a2a\n"
        f"defaults:\n  port: {port}\n  timeout: 5\n  deadline: 60\n"
        f"steps:\n  - id: clock\n    kind: clock\n    with: {{host: localhost, port: {port}}}\n",
        encoding="utf-8",
    )
    return path


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    if spec["netns"]:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    outside = Path(spec["outside"])
    pki = _MicrosoftLikePki()
    bundle = pki.write_bundle(outside / "ca.pem")
    zone = {host: ["127.0.0.1"] for host in HOSTS}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(outside)}
    with TlsServer(pki, hostnames=HOSTS, behaviour=HttpBehaviour(status=400)) as tls:
        with DnsServer(zone) as dns:
            plan = _child_plan(outside, tls.port)
            for label, argv in spec["commands"].items():
                report = outside / f"{label}.json"
                options = [f"--var={item}" for item in VARS]
                options += ["--dns-server", f"127.0.0.1:{dns.address[1]}", "--ca-bundle", bundle]
                options += ["--json", str(report), "--output-dir", str(outside), "--no-proxy"]
                command = [*argv, "run", str(plan), *options, "-q", "--no-color"]
                done = subprocess.run(
                    command, cwd=outside, env=env, capture_output=True, text=True, timeout=120
                )
                shown = subprocess.run(
                    [*argv, "--version"], cwd=outside, env=env, capture_output=True, text=True
                )
                (outside / f"{label}.version").write_text(shown.stdout, encoding="utf-8")
                (outside / f"{label}.out").write_text(
                    f"exit {done.returncode}\n{done.stdout}\n{done.stderr}", encoding="utf-8"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
