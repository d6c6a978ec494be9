"""How the bench invokes asrcheck: `PYTHON -m runner ...` from the repository root."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.proc import Measured, measure
from bench.simnet import SimNet

REPO = Path(__file__).resolve().parent.parent
#: Step kinds that reach beyond the machine through the system resolver (an NTP server; the
#: clock step's HTTPS request to the real Entra ID host): removed from benchmark plans,
#: since the benchmark may send traffic to loopback addresses only.
OFF_MACHINE_STEP_KINDS = frozenset({"ntp", "clock"})
_PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")


@dataclass(frozen=True)
class Asrcheck:
    """An interpreter that runs asrcheck from this checkout."""

    python: str

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key.upper() not in _PROXY_VARS and key != "SSL_CERT_FILE"
        }
        env["NO_COLOR"] = "1"
        return env

    def argv(self, *args: str, profile: str | None = None) -> list[str]:
        """`PYTHON -m runner ARGS`, under cProfile writing to `profile` when given."""
        if profile:
            return [self.python, "-m", "cProfile", "-o", profile, "-m", "runner", *args]
        return [self.python, "-m", "runner", *args]

    def measure(self, *args: str, timeout: float = 600, profile: str | None = None) -> Measured:
        argv = self.argv(*args, profile=profile)
        return measure(argv, cwd=REPO, env=self.env(), timeout=timeout)

    def measure_python(self, *args: str) -> Measured:
        """`PYTHON ARGS` (`-c CODE`, `-m MODULE ...`) from the repository root, as the runs."""
        return measure([self.python, *args], cwd=REPO, env=self.env(), timeout=120)

    def compile_bytecode(self) -> None:
        """Writes the .pyc files of `runner/`, as `pip install` does for an installed copy.

        Without them (PYTHONDONTWRITEBYTECODE set, or a read-only checkout) every run would
        compile about 90 modules from source first: about 0.2 s that no user pays.
        """
        argv = [self.python, "-m", "compileall", "-q", str(REPO / "runner")]
        subprocess.run(argv, cwd=REPO, check=True, capture_output=True, timeout=300)

    def show(self, plan: str, plan_args: Sequence[str]) -> dict[str, Any]:
        """The resolved plan in the shape of `asrcheck show --format json` (the parts used)."""
        from runner.commands import _plan_args
        from runner.plan.load import load_plan

        variables = [plan_args[i + 1] for i, arg in enumerate(plan_args) if arg == "--var"]
        resolved = load_plan(
            plan, kinds=_plan_args.kinds(), providers=_plan_args.providers(), variables=variables
        )
        return {
            "endpoints": [
                {"host": e.host, "enabled": e.enabled, "timeout": e.timeout}
                for e in resolved.endpoints
            ],
            "steps": [{"id": st.id, "kind": st.kind} for st in resolved.steps],
        }


def run_args(plan: str, net: SimNet, out: Path, name: str) -> list[str]:
    """`run PLAN` against the simulated network, quiet, log and JSON report in `out`."""
    out.mkdir(exist_ok=True)
    return [
        "run",
        plan,
        "--dns-server",
        f"{net.dns[0]}:{net.dns[1]}",
        "--ca-bundle",
        net.ca_file,
        "--no-proxy",
        "--log",
        str(out / f"{name}.log"),
        "--json",
        str(out / f"{name}.json"),
        "-q",
    ]


def enabled_hosts(shown: dict[str, Any]) -> list[str]:
    """Distinct host names of the endpoints that will be checked, in plan order."""
    hosts: list[str] = []
    for endpoint in shown.get("endpoints", []):
        if endpoint.get("enabled", True) and endpoint["host"] not in hosts:
            hosts.append(endpoint["host"])
    return hosts


def off_machine_steps(shown: dict[str, Any]) -> list[str]:
    """Ids of steps whose kind would reach beyond the machine."""
    return [step["id"] for step in shown.get("steps", []) if step["kind"] in OFF_MACHINE_STEP_KINDS]


def var_args(variables: Sequence[tuple[str, str]]) -> list[str]:
    """`--var NAME=VALUE` arguments."""
    args: list[str] = []
    for name, value in variables:
        args += ["--var", f"{name}={value}"]
    return args
