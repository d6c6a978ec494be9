"""SIGINT while `asrcheck run` writes its final outputs (#11): the log and the exit code
agree, and nothing is left half-written.

The run checks many endpoints that fail fast (a refusing port), so its final support log
and JSON report are large and take a moment to write. The console prints the verdict just
before those writes; the signal is sent as soon as it shows up, after a random delay of a
few milliseconds, in several runs. Every run must end as a completed run (the signal came
after the report was made, so it changes nothing), with a complete log (`Script
Completed`, never `IN PROGRESS` or `INTERRUPTED`), a valid JSON report, and no temporary
or partial file beside them.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest

from runner.resources import schemas_dir
from tests.helpers import e2e
from tests.helpers.children import SEED_ENV, signal_after
from tests.peers.tcp import refusing_port

ENDPOINTS = 150
RUNS = 6
SCHEMA = json.loads((schemas_dir() / "report.schema.json").read_text(encoding="utf-8"))
#: How the command is started: `python -m runner`, or as the installed entry point does.
STARTS = {
    "module": [sys.executable, "-m", "runner"],
    "entry-point": [sys.executable, "-c", "from runner.cli import entry; entry()"],
}


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    port = refusing_port()
    path = tmp_path_factory.mktemp("final-write") / "plan.yaml"
    endpoints = [(f"e{n}", "127.0.0.1", port) for n in range(ENDPOINTS)]
    path.write_text(e2e.plan_text(endpoints, name="final-write", deadline=120, timeout=20))
    return path


def interrupt_at_the_end(start: list[str], plan: Path, out: Path, delay: float) -> None:
    out.mkdir()
    argv = [*start, "run", str(plan), "--no-proxy", "--output-dir", str(out)]
    argv += ["--json", str(out / "report.json")]
    child = subprocess.Popen(
        argv, cwd=out, env=e2e.child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # The console prints the verdict just before the JSON report and the log are written.
    err = signal_after(child, b"VERDICT:", delay, signal.SIGINT, 60)
    what = f"SIGINT {delay * 1000:.0f} ms after the verdict"
    assert child.returncode == 1, (what, err)  # the refused checks' verdict, not 130
    (log,) = out.glob("CheckNWResult_*.log")
    text = log.read_text(encoding="utf-8")
    assert "State:         COMPLETED" in text, what
    assert text.rstrip().endswith("Script Completed"), what
    assert "IN PROGRESS" not in text and "INTERRUPTED" not in text, what
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["interrupted"] is False and len(document["results"]) == ENDPOINTS * 4
    assert sorted(p.name for p in out.iterdir()) == sorted([log.name, "report.json"]), what


@pytest.mark.slow
@pytest.mark.parametrize("how", sorted(STARTS))
def test_sigint_during_the_final_write_leaves_a_complete_log(
    plan: Path, tmp_path: Path, how: str
) -> None:
    seed = os.environ.get(SEED_ENV) or str(random.randrange(1 << 30))
    print(f"final-write interrupt delays: seed {seed} (replay with {SEED_ENV}={seed})")
    rng = random.Random(f"final-write-{seed}")
    delays = [0.0, *(rng.uniform(0.0, 0.08) for _ in range(RUNS - 1))]
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [
            pool.submit(interrupt_at_the_end, STARTS[how], plan, tmp_path / f"run{n}", delay)
            for n, delay in enumerate(delays)
        ]
        for job in jobs:
            job.result()
