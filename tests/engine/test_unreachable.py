"""`unreachable`: in a fresh network namespace the loopback interface is down, so a connect
to 127.0.0.1 fails with "Network is unreachable" without any packet leaving the machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, json
from runner.context import Context
from runner.engine.run import run_plan
from tests.helpers.engine import ListSink, endpoint, plan_of
plan = plan_of(endpoint("e", "127.0.0.1", 443, chain=("tcp", "tls")))
report = asyncio.run(run_plan(plan, Context(), ListSink()))
print(json.dumps([r.to_json() for r in report.results]))
"""


def _can_unshare() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare(1) is not installed"
    if os.geteuid() != 0:
        return "needs root to create a network namespace"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10)
    return None if probe.returncode == 0 else "unshare -n is not permitted here"


@pytest.mark.netns
def test_tcp_unreachable_in_an_isolated_namespace():
    why = _can_unshare()
    if why:
        pytest.skip(why)
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    tcp, tls = json.loads(done.stdout)
    assert (tcp["status"], tcp["reason"]) == ("fail", "unreachable")
    assert "unreachable" in tcp["detail"].lower()
    assert (tls["status"], tls["reason"]) == ("skip", "skipped")
