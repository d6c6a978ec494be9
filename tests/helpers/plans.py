"""Plan-language test helpers: `load_plan` with the catalog a command would hand it, the
test plans dir, and small kinds that plans may name (registered by `tests/plan/conftest.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from runner import registry
from runner.commands import _plan_args
from runner.model import Plan
from runner.plan.load import load_plan as _load_plan

DATA = Path(__file__).resolve().parents[1] / "plan" / "data"
#: The registry as the package builds it (the `test_kinds` fixture replaces it).
REAL_STAGES, REAL_STEPS = registry.STAGES, registry.STEPS
REAL_PROVIDERS = registry.PROVIDERS

#: Marks a module's tests to run with the test kinds and test built-in plans.
USES_TEST_KINDS = pytest.mark.usefixtures("test_kinds")


def load_plan(ref: str, **options: Any) -> Plan:
    """`runner.plan.load_plan` with the kinds and providers registered now (as a command)."""
    return _load_plan(ref, kinds=_plan_args.kinds(), providers=_plan_args.providers(), **options)


class StageForTests:
    """A stage kind for tests: plans may name it; these tests never run it."""

    def __init__(self, name: str) -> None:
        self.SUMMARY = f"test stage {name}"

    async def run(self, probe: Any, ctx: Any) -> Any:
        raise AssertionError("plan tests do not run stages")


class StepForTests:
    """A step kind for tests with a small parameter schema."""

    SUMMARY = "test step with a count"
    PARAMS_SCHEMA: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"count": {"type": "integer", "minimum": 1, "maximum": 10}},
    }

    async def run(self, step: Any, ctx: Any) -> Any:
        raise AssertionError("plan tests do not run steps")
