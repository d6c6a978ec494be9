"""Fixtures for the plan-language tests: small registered test kinds and a test plans dir.

Modules that test the language on its own opt in with `pytestmark = USES_TEST_KINDS`; the
tests of the built-in plans in one pass use the real registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from runner import registry, resources
from runner.plan import var_providers

DATA = Path(__file__).parent / "data"
#: The registry as the package builds it (the fixture below replaces it with test kinds).
REAL_STAGES, REAL_STEPS = registry.STAGES, registry.STEPS
REAL_PROVIDERS = var_providers.PROVIDERS


class _Stage:
    """A stage kind for tests: plans may name it; these tests never run it."""

    def __init__(self, name: str) -> None:
        self.SUMMARY = f"test stage {name}"

    async def run(self, probe: Any, ctx: Any) -> Any:
        raise AssertionError("plan tests do not run stages")


class _Step:
    """A step kind for tests with a small parameter schema."""

    SUMMARY = "test step with a count"
    PARAMS_SCHEMA: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"count": {"type": "integer", "minimum": 1, "maximum": 10}},
    }

    async def run(self, step: Any, ctx: Any) -> Any:
        raise AssertionError("plan tests do not run steps")


@pytest.fixture
def test_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registers dns/tcp/tls/http stages and a `probe` step; built-in plans from data/builtin."""
    monkeypatch.setattr(registry, "STAGES", {})  # only these fakes, whatever is registered
    monkeypatch.setattr(registry, "STEPS", {})
    monkeypatch.setattr(var_providers, "PROVIDERS", {})  # tests add their own
    for name in ("dns", "tcp", "tls", "http"):
        monkeypatch.setitem(registry.STAGES, name, _Stage(name))
    monkeypatch.setitem(registry.STEPS, "probe", _Step())
    monkeypatch.setattr(resources, "plans_dir", lambda: DATA / "builtin")


#: Marks a module's tests to run with the test kinds and test built-in plans.
USES_TEST_KINDS = pytest.mark.usefixtures("test_kinds")
