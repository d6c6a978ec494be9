"""Fixtures for the plan-language tests: small registered test kinds and a test plans dir.

Modules that test the language on its own opt in with `pytestmark = USES_TEST_KINDS`
(from `tests.helpers.plans`); the tests of the built-in plans use the real registry."""

from __future__ import annotations

import pytest

from runner import registry, resources
from tests.helpers.plans import DATA, StageForTests, StepForTests


@pytest.fixture
def test_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registers dns/tcp/tls/http stages and a `probe` step; built-in plans from data/builtin."""
    monkeypatch.setattr(registry, "STAGES", {})  # only these fakes, whatever is registered
    monkeypatch.setattr(registry, "STEPS", {})
    monkeypatch.setattr(registry, "PROVIDERS", {})  # tests add their own
    for name in ("dns", "tcp", "tls", "http"):
        monkeypatch.setitem(registry.STAGES, name, StageForTests(name))
    monkeypatch.setitem(registry.STEPS, "probe", StepForTests())
    monkeypatch.setattr(resources, "plans_dir", lambda: DATA / "builtin")
