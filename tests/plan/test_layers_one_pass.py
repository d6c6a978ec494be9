"""load_plan's PlanError carries problems of every layer at once, located and sorted."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from runner import registry
from runner.errors import PlanError
from tests.helpers.plans import load_plan

_PLAN = """\
plan_format: 1
name: layers
version: 1.0.0
scenario: TEST
description: Problems of every layer in one plan.
vars:
  region:
    type: strnig
    description: Rejected; its use below is not reported.
endpoints:
  - id: a
    host: ${region}.example.com
    purpose: Missing docs; the rest is still checked.
    checked: 2026-11-25
  - id: a
    host: a..example.com
    purpose: A duplicate id and a bad host.
    docs: https://learn.microsoft.com/x
    checked: 2026-11-25
steps:
  - id: rejected-with
    kind: needs-count
    with: [1]
  - id: empty-with
    kind: needs-count
    with: {}
  - id: unknown
    kind: nope
"""


class _NeedsCount:
    """A step kind whose parameters require `count`."""

    SUMMARY = "test step that needs a count"
    PARAMS_SCHEMA: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["count"],
        "properties": {"count": {"type": "integer"}},
    }


def test_plan_error_has_every_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.STEPS, "needs-count", _NeedsCount())
    plan = tmp_path / "layers.yaml"
    plan.write_text(_PLAN)
    with pytest.raises(PlanError) as caught:
        load_plan(str(plan), require_vars=False)
    lines = [str(problem).replace(f"{plan}:", "") for problem in caught.value.problems]
    known = ", ".join(sorted(registry.STEPS))
    assert lines == [
        '8:11: vars.region.type: "strnig" is not one of: "string", "integer", "boolean", "list"',
        "11:5: endpoints[0]: missing required key 'docs'",
        "15:9: endpoints[1].id: duplicate endpoint id 'a' (first at line 11)",
        "16:11: endpoints[1].host: invalid host name 'a..example.com': has an empty label"
        " (two dots in a row, or a leading dot)",
        "23:11: steps[0].with: [1] is not of type 'object'",
        "26:11: steps[1].with: missing required key 'count'",
        f"28:11: steps[2].kind: unknown step kind 'nope' (known: {known})",
    ]
