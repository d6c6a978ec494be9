"""SIGINT/SIGTERM before the run's own handlers exist (while the run command is still
being imported): the run stops at once and still leaves a log and a JSON report saying it
was interrupted before any check ran; exit 130 (issue #11)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from runner.engine import early_signals
from tests.helpers import e2e


def test_an_early_signal_is_kept_for_the_run() -> None:
    assert early_signals.arm()
    try:
        os.kill(os.getpid(), signal.SIGTERM)  # would kill this process without the handler
        assert early_signals.take() == signal.SIGTERM
        early_signals.outputs_written()
        os.kill(os.getpid(), signal.SIGINT)  # after the outputs: changes nothing
    finally:
        early_signals.disarm()


def caught(pid: int) -> int:
    """The child's mask of caught signals (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return int(line.split()[1], 16)
    return 0


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_start_up_leaves_an_interrupted_log(tmp_path: Path, signum: int) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text([], "  - id: machine\n    kind: machine\n"))
    argv = e2e.command(["run", str(plan), "--no-proxy", "-q", "--json", "r.json"])
    child = subprocess.Popen(
        argv, cwd=tmp_path, env=e2e.child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        end = time.monotonic() + 20
        while not caught(child.pid) & (1 << (signal.SIGTERM - 1)):  # armed: SIGTERM caught
            assert time.monotonic() < end and child.poll() is None
            time.sleep(0.001)
        assert not list(tmp_path.glob("*.log"))  # the run has not started
        child.send_signal(signum)
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 130, err
    (log,) = tmp_path.glob("CheckNWResult_*.log")
    text = log.read_text()
    assert "State:         INTERRUPTED" in text
    assert "0 checks had finished" in text
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["interrupted"] is True
    assert {r["reason"] for r in report["results"]} == {"interrupted"}
