"""The only list of check kinds: a new kind is a module in kinds/stages or kinds/steps + a line.

mypy checks every module against its Protocol through these annotations.
"""

from __future__ import annotations

from runner.kinds.base import StageKind, StepKind
from runner.kinds.stages import dns, http, proxy, tcp, tls
from runner.kinds.steps import clock, machine, network, ntp, proxy_config, tls_config

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
