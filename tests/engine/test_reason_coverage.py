"""Every reason code the engine and the network stages can produce is asserted by a test
in this directory against a real peer (collector codes belong to the collectors' tests)."""

from __future__ import annotations

import re
from pathlib import Path

from runner.reasons import REASONS

HERE = Path(__file__).parent
ENGINE_STAGES = ("dns", "tcp", "proxy", "tls", "http")
COLLECTOR_CODES = {"collected", "not-available", "finding", "clock-skew", "ntp-timeout"}


def test_every_network_and_engine_reason_is_produced_by_a_test() -> None:
    wanted = {
        code
        for code, reason in REASONS.items()
        if reason.stage in ENGINE_STAGES or (reason.stage == "any" and code not in COLLECTOR_CODES)
    }
    sources = "\n".join(
        p.read_text() for p in HERE.glob("test_*.py") if p.name != Path(__file__).name
    )
    quoted = set(re.findall(r"""["']([a-z][a-z0-9-]*)["']""", sources))
    assert sorted(wanted - quoted) == []


def test_readme_lists_every_reason_code_in_order() -> None:
    readme = (HERE.parents[1] / "README.md").read_text()
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([a-z]+) \| (.+) \|$", readme, re.M)
    assert rows == [(code, r.stage, r.meaning) for code, r in REASONS.items()]
