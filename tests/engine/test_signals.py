"""SIGINT/SIGTERM stop a real `asrcheck run` quickly: exit 130, JSON marked interrupted."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import jsonschema
import pytest

from runner.resources import schemas_dir
from tests.peers.dns import DnsServer
from tests.peers.tcp import Blackhole

ROOT = Path(__file__).resolve().parents[2]

PLAN = """plan_format: 1
name: stuck
version: 1.0.0
scenario: TEST
description: Every endpoint is blackholed.
defaults:
  timeout: 60
  deadline: 300
  routes: [default]
endpoints:
"""
ENDPOINT = """  - id: stuck-{n}
    host: stuck.test
    port: {port}
    purpose: Never answers.
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_the_run(tmp_path: Path, signum: int) -> None:
    with DnsServer({"stuck.test": ["127.0.0.1"]}) as dns, Blackhole() as hole:
        plan = tmp_path / "stuck.yaml"
        plan.write_text(PLAN + "".join(ENDPOINT.format(n=n, port=hole.port) for n in range(3)))
        report = tmp_path / "report.json"
        argv = [sys.executable, "-m", "runner", "run", str(plan), "--no-color", "--no-proxy"]
        argv += ["--dns-server", f"127.0.0.1:{dns.port}", "--json", str(report)]
        argv += ["--output-dir", str(tmp_path)]  # the support log
        child = subprocess.Popen(
            argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        watchdog = threading.Timer(60, child.kill)  # bounds the readline loop below
        watchdog.start()
        try:
            assert child.stdout is not None
            while "PASS  dns" not in child.stdout.readline():  # running: DNS done, TCP hangs
                assert child.poll() is None, child.stderr.read() if child.stderr else ""
            child.send_signal(signum)
            # Stage timeouts are 60 s: only a prompt stop ends before this bound.
            out, err = child.communicate(timeout=30)
        finally:
            watchdog.cancel()
            if child.poll() is None:
                child.kill()
    assert child.returncode == 130, err
    document = json.loads(report.read_text())
    jsonschema.Draft202012Validator(
        json.loads((schemas_dir() / "report.schema.json").read_text())
    ).validate(document)
    assert document["interrupted"] is True
    assert document["summary"]["verdict"] == "interrupted"
    assert "interrupted" in {r["reason"] for r in document["results"]}
    assert "VERDICT: INTERRUPTED" in out
