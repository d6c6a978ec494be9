"""The only list of check kinds: a new kind is a module in kinds/stages or kinds/steps + a line.

A kind's module is imported when it is first looked up, not when its name is: `validate`,
`show` and `diff` check names against this list without importing the stages.
`tests/kinds/test_registry.py` checks every module against its Protocol (mypy and at run time).
"""

from __future__ import annotations

from runner.kinds.base import StageKind, StepKind
from runner.lazy import LazyImports

#: Stage kinds, usable in an endpoint's `chain:`.
STAGES: LazyImports[StageKind] = LazyImports(
    {
        "dns": "runner.kinds.stages.dns",
        "tcp": "runner.kinds.stages.tcp",
        "tls": "runner.kinds.stages.tls",
        "http": "runner.kinds.stages.http",
        "proxy": "runner.kinds.stages.proxy",
    }
)

#: Step kinds, usable as a step's `kind:`.
STEPS: LazyImports[StepKind] = LazyImports(
    {
        "machine": "runner.kinds.steps.machine",
        "network": "runner.kinds.steps.network",
        "proxy-config": "runner.kinds.steps.proxy_config",
        "tls-config": "runner.kinds.steps.tls_config",
        "clock": "runner.kinds.steps.clock",
        "ntp": "runner.kinds.steps.ntp",
    }
)


def stage_names() -> list[str]:
    return sorted(STAGES)


def step_names() -> list[str]:
    return sorted(STEPS)
