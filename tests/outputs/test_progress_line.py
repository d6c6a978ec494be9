"""The status line while checks are pending: on a real pseudo-terminal it shows checks done
of those expected and what is waiting for how long, rewritten in place, and is gone before
the summary; on a pipe, in the support log and in the JSON report it never appears; Ctrl+C
typed into the terminal stops the run while it shows."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from runner.events import Progress, Waiting
from runner.outputs import status_line
from tests.helpers import e2e
from tests.helpers.terminal import Terminal
from tests.peers.tcp import Blackhole

STATUS = re.compile(rb"\r(\d+)/(\d+) checks done; waiting: silent tcp (\d+)s")


@pytest.fixture
def silent_plan(tmp_path: Path) -> Iterator[Path]:
    """A plan whose one endpoint is a blackholed loopback port (the TCP connect just waits)."""
    with Blackhole() as hole:
        assert hole.verify()
        plan = tmp_path / "plan.yaml"
        endpoints = [("silent", "127.0.0.1", hole.port)]
        plan.write_text(e2e.plan_text(endpoints, deadline=120, timeout=4), encoding="utf-8")
        yield plan


def _args(plan: Path, out: Path) -> list[str]:
    return ["run", str(plan), "--no-proxy", "--output-dir", str(out), "--json", str(out / "r.json")]


def _outputs_without_status(out: Path) -> None:
    (log,) = out.glob("CheckNWResult_*.log")
    for text in (log.read_text(encoding="utf-8"), (out / "r.json").read_text(encoding="utf-8")):
        assert "checks done" not in text and "\r" not in text


def test_the_status_line_is_rewritten_in_place_and_gone_at_the_end(
    silent_plan: Path, tmp_path: Path
) -> None:
    term = Terminal(_args(silent_plan, tmp_path), tmp_path, columns=100)
    try:
        term.read_until(b"waiting: silent tcp")
        code = term.finish()
    finally:
        term.close()
    assert code == 1  # the connect timed out
    out = term.output
    found = STATUS.findall(out)
    assert len(found) >= 2, out  # told more than once...
    (line,) = [line for line in out.split(b"\n") if STATUS.search(line)]
    assert len(STATUS.findall(line)) == len(found)  # ...on one line, rewritten in place
    assert {total for _, total, _ in found} == {b"4"}  # dns, tcp, tls, http
    assert {done for done, _, _ in found} == {b"1"}  # dns passed at once
    seconds = [int(s) for _, _, s in found]
    assert seconds == sorted(seconds) and seconds[-1] <= 6  # the wait so far, growing
    shown = [text for text in line.split(b"\r") if b"checks done" in text]
    assert all(len(text) < 100 for text in shown)  # never wider than the screen
    # The line is blanked out before the result is printed; the summary follows on its own.
    assert re.search(rb"\r +\rFAIL  tcp    silent ", out), out
    assert b"VERDICT: FAIL" in out
    _outputs_without_status(tmp_path)


def test_ctrl_c_typed_while_the_status_line_shows_stops_the_run(
    silent_plan: Path, tmp_path: Path
) -> None:
    term = Terminal(_args(silent_plan, tmp_path), tmp_path)
    try:
        term.read_until(b"waiting: silent tcp")
        term.type(b"\x03")  # Ctrl+C: the terminal sends SIGINT to the run
        term.read_until(b"Interrupted: stopping", timeout=20)
        code = term.finish(timeout=30)
    finally:
        term.close()
    assert code == 130
    notice = term.output.split(b"Interrupted: stopping", 1)[0]
    assert re.search(rb"\r +\r\r?\n$", notice), notice  # the status line went first
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["interrupted"] is True
    _outputs_without_status(tmp_path)


def test_a_pipe_gets_no_status_line(silent_plan: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        e2e.command(_args(silent_plan, tmp_path)),
        cwd=tmp_path,
        env=e2e.child_env({"TERM": "xterm"}),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert b"FAIL  tcp    silent " in done.stdout
    for stream in (done.stdout, done.stderr):
        assert b"checks done" not in stream and b"\r" not in stream
    _outputs_without_status(tmp_path)


def _progress(done: int, total: int, *waiting: tuple[str, float]) -> Progress:
    return Progress(done, total, tuple(Waiting(what, s) for what, s in waiting))


def test_the_text_fits_the_width_and_says_how_many_more() -> None:
    many = _progress(3, 12, ("storage tcp", 4.2), ("entra-id tls", 2.0), ("asr-target tcp", 1.6))
    assert status_line.text(many, 100) == (
        "3/12 checks done; waiting: storage tcp 4s, entra-id tls 2s, asr-target tcp 2s"
    )
    assert status_line.text(many, 60) == "3/12 checks done; waiting: storage tcp 4s, +2 more"
    assert status_line.text(many, 40) == "3/12 checks done; 3 waiting"
    assert status_line.text(many, 10) == "3/12 check"
    assert status_line.text(_progress(12, 12), 80) == "12/12 checks done"
