"""Ctrl+C on a run stuck on a blackholed endpoint: the console says at once that the run is
stopping and that the outputs are still written; the check that was running says it was
cut short, the later ones that they never ran; exit code 130."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

from tests.helpers import e2e
from tests.helpers.children import wait_for_output
from tests.peers.dns import DnsServer
from tests.peers.tcp import Blackhole


def test_ctrl_c_prints_a_notice_and_marks_the_running_check(tmp_path: Path) -> None:
    with Blackhole() as hole, DnsServer({"hole.test": ["127.0.0.1"]}) as dns:
        plan = tmp_path / "plan.yaml"
        plan.write_text(
            e2e.plan_text([("hole", "hole.test", hole.port)], deadline=120, timeout=30),
            encoding="utf-8",
        )
        args = ["run", str(plan), "--no-proxy", "--dns-server", f"127.0.0.1:{dns.port}"]
        args += ["--json", str(tmp_path / "report.json"), "--output-dir", str(tmp_path)]
        child = subprocess.Popen(
            e2e.command(args),
            cwd=tmp_path,
            env=e2e.child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            seen = wait_for_output(child, b"PASS  dns    hole", timeout=30)  # tcp is running
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=20)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    console = (seen + out).decode("utf-8")
    assert child.returncode == 130, err
    notice = "\nInterrupted: stopping; unfinished checks are reported as interrupted, and the"
    assert notice in console
    assert console.index(notice) < console.index("VERDICT: INTERRUPTED")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["interrupted"] is True
    details = {r["check"]: (r["status"], r["reason"], r["detail"]) for r in report["results"]}
    assert details["tcp"] == ("skip", "interrupted", "not finished before the interruption")
    assert details["tls"] == ("skip", "interrupted", "not run because of the interruption")
