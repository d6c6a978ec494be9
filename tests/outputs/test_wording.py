"""Counted nouns: one endpoint, two endpoints, no steps."""

from __future__ import annotations

from runner.outputs.wording import counted


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert counted(1, "endpoint") == "1 endpoint"
    assert counted(2, "endpoint") == "2 endpoints"
    assert counted(0, "step") == "0 steps"
