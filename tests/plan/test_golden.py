"""Every bad plan in data/bad gives exactly the messages in its golden .err file.

`asrcheck validate` is run through the real CLI entry point. A `<name>.args` file holds
extra command-line arguments, one per line (`{dir}` is data/bad). To rewrite the golden
files after a deliberate change: `ASRCHECK_UPDATE_GOLDEN=1 pytest tests/plan`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runner import cli
from tests.helpers.plans import DATA, USES_TEST_KINDS

pytestmark = USES_TEST_KINDS

BAD = DATA / "bad"
PLANS = sorted(BAD.glob("*.yaml"))


def _run(plan: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    args_file = plan.with_suffix(".args")
    extra = args_file.read_text().split("\n") if args_file.exists() else []
    extra = [arg.replace("{dir}", str(BAD)) for arg in extra if arg]
    code = cli.main(["validate", str(plan), *extra])
    out = capsys.readouterr().out
    return code, out.replace(str(BAD) + os.sep, "").replace(str(DATA) + os.sep, "")


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_bad_plan_matches_golden(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(plan, capsys)
    golden = plan.with_suffix(".err")
    if os.environ.get("ASRCHECK_UPDATE_GOLDEN"):
        golden.write_text(out)
    assert code == 2
    assert out == golden.read_text()
    assert "Traceback" not in out


def test_every_golden_has_a_plan() -> None:
    assert {p.stem for p in BAD.glob("*.err")} == {p.stem for p in PLANS}
