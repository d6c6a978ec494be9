"""The only list of check kinds. Adding a kind = one module in runner/kinds + one line here.

mypy checks every module against its Protocol through these annotations.
"""

from __future__ import annotations

from runner.kinds import ntp
from runner.kinds.base import StageKind, StepKind

#: Stage kinds, usable in an endpoint's `chain:`.
STAGES: dict[str, StageKind] = {}

#: Step kinds, usable as a step's `kind:`.
STEPS: dict[str, StepKind] = {
    "ntp": ntp,
}


def stage_names() -> list[str]:
    return sorted(STAGES)


def step_names() -> list[str]:
    return sorted(STEPS)
