"""The only list of check kinds. Adding a kind = one module in runner/kinds + one line here.

mypy checks every module against its Protocol through these annotations.
"""

from __future__ import annotations

from runner.kinds import (
    clock,
    dns,
    http,
    machine,
    network,
    ntp,
    proxy,
    proxy_config,
    tcp,
    tls,
    tls_config,
)
from runner.kinds.base import StageKind, StepKind

#: Stage kinds, usable in an endpoint's `chain:`.
STAGES: dict[str, StageKind] = {
    "dns": dns,
    "tcp": tcp,
    "tls": tls,
    "http": http,
    "proxy": proxy,
}

#: Step kinds, usable as a step's `kind:`.
STEPS: dict[str, StepKind] = {
    "machine": machine,
    "network": network,
    "proxy-config": proxy_config,
    "tls-config": tls_config,
    "clock": clock,
    "ntp": ntp,
}


def stage_names() -> list[str]:
    return sorted(STAGES)


def step_names() -> list[str]:
    return sorted(STEPS)
