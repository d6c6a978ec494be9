"""The committed schema is the one the code validates against, and it is a valid schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from runner import cli, registry, resources
from runner.plan.schema import plan_schema, schema_text
from runner.plan.source import load_file
from tests.helpers.plans import DATA, REAL_PROVIDERS, REAL_STAGES, REAL_STEPS, USES_TEST_KINDS

pytestmark = USES_TEST_KINDS

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_the_code() -> None:
    committed = (ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "run: python -c 'from runner.plan.schema import schema_text; ...'"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(plan_schema())
    Draft202012Validator.check_schema(plan_schema(refs=False))
    assert json.loads(schema_text())["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _builtin_plans() -> list[Path]:
    real = resources.plans_dir()
    return sorted(real.glob("*.yaml")) + sorted((DATA / "builtin").glob("*.yaml"))


@pytest.mark.parametrize("path", _builtin_plans(), ids=lambda p: p.stem)
def test_builtin_plans_point_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert first.endswith("schemas/plan.schema.json")
    data, _ = load_file(path)
    assert data["name"] == path.stem


REAL_PLANS = sorted((ROOT / "plans").glob("*.yaml"))


@pytest.mark.parametrize("path", REAL_PLANS, ids=lambda p: p.stem)
def test_shipped_plans_validate(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "plans_dir", lambda: ROOT / "plans")
    monkeypatch.setattr(registry, "STAGES", REAL_STAGES)
    monkeypatch.setattr(registry, "STEPS", REAL_STEPS)
    monkeypatch.setattr(registry, "PROVIDERS", REAL_PROVIDERS)
    assert cli.main(["validate", str(path)]) == 0
