"""Killing real `asrcheck run` processes at random moments, many times.

Each run checks loopback peers (a healthy TLS server, a refusing port and blackholed
ports whose 60 s stage timeouts keep the run going) plus the collector steps. After the
support log is opened, a random delay, then SIGINT or SIGTERM. Every run must end with
exit code 130 well before any stage timeout, leave a valid JSON report marked
interrupted and a support log marked interrupted that holds every check that finished.
SIGKILL leaves the streaming log, with every result written so far.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest

from runner.resources import schemas_dir
from tests.helpers import e2e
from tests.helpers.children import SEED_ENV, signal_after, wait_for_output
from tests.peers.dns import DnsServer
from tests.peers.tcp import Blackhole, refusing_port
from tests.peers.tls import Pki, TlsServer

RUNS_PER_SIGNAL = 10
#: Seconds every stage of the long runs may take: the runs only end when stopped.
STAGE_TIMEOUT_S = 60
#: Far below the stage timeouts: only a prompt stop ends within it, also when the runs
#: share a loaded 2-core machine (a stopped run waits for no stage and no collector).
EXIT_BOUND_S = 20
#: Runs at once: enough to load the machine, few enough not to starve the runs' own stop.
PARALLEL_RUNS = 3
STEPS = """  - id: machine
    kind: machine
  - id: network
    kind: network
  - id: proxy
    kind: proxy-config
  - id: tls
    kind: tls-config
"""
SCHEMA = json.loads((schemas_dir() / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def peers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """A plan whose run lasts until it is stopped, and the peers it talks to."""
    pki = Pki()
    base = tmp_path_factory.mktemp("signals")
    bundle = pki.write_bundle(base / "ca.pem")
    with (
        TlsServer(pki, "valid", ["ok.test"]) as server,
        Blackhole() as hole,
        DnsServer({name: ["127.0.0.1"] for name in ("ok.test", "hole.test", "closed.test")}) as dns,
    ):
        endpoints = [("ok", "ok.test", server.port), ("closed", "closed.test", refusing_port())]
        endpoints += [(f"hole-{n}", "hole.test", hole.port) for n in range(3)]
        plan = base / "plan.yaml"
        text = e2e.plan_text(
            endpoints, STEPS, name="long-run", deadline=240, timeout=STAGE_TIMEOUT_S
        )
        plan.write_text(text, encoding="utf-8")
        argv = ["run", str(plan), "--no-proxy", "--dns-server", f"127.0.0.1:{dns.port}"]
        yield [*argv, "--ca-bundle", bundle]


def start(argv: list[str], out: Path) -> subprocess.Popen[bytes]:
    out.mkdir()
    full = e2e.command([*argv, "--output-dir", str(out), "--json", str(out / "report.json")])
    env = e2e.child_env({"PYTHONFAULTHANDLER": "1"})  # SIGABRT dumps every thread's stack
    return subprocess.Popen(full, cwd=out, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def interrupt_once(argv: list[str], out: Path, signum: int, delay: float) -> None:
    child = start(argv, out)
    err = signal_after(child, b"Support log: ", delay, signum, EXIT_BOUND_S)
    what = f"signal {signum} after {delay:.2f}s"
    assert child.returncode == 130, (what, err)
    check_outputs(out, what)


def check_outputs(out: Path, what: str) -> None:
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["interrupted"] is True and document["summary"]["verdict"] == "interrupted"
    (log,) = out.glob("CheckNWResult_*.log")
    text = log.read_text(encoding="utf-8")
    assert "State:         INTERRUPTED" in text, what
    assert "INTERRUPTED: the run was stopped" in text, what
    assert "Script Completed" not in text, what
    timeline = text.split("Timeline: results in the order they finished")[1].split(" 7. Summary")[0]
    entries = [line for line in timeline.splitlines() if re.match(r"\d\d:\d\d:\d\d  ", line)]
    assert len(entries) == len(document["results"]), what
    for result in document["results"]:
        where = result["endpoint"] or result["step"]
        line = f"  {where}  {result['check']}"
        assert any(line in entry and result["reason"] in entry for entry in entries), (what, line)
        if result["reason"] != "interrupted":
            assert result["detail"] in text, (what, result["detail"])
    finished = sum(1 for r in document["results"] if r["reason"] != "interrupted")
    assert f"{finished} checks had finished" in text, what
    assert any(r["reason"] == "interrupted" for r in document["results"]), what


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_random_interrupts_leave_complete_outputs(
    peers: list[str], tmp_path: Path, signum: int
) -> None:
    seed = os.environ.get(SEED_ENV) or str(os.getpid())
    print(f"random interrupt delays: seed {seed} (replay with {SEED_ENV}={seed})")
    rng = random.Random(f"{signum}-{seed}")
    delays = [rng.uniform(0.0, 1.0) for _ in range(RUNS_PER_SIGNAL)]
    print(f"{signal.Signals(signum).name} delays: {', '.join(f'{d:.3f}' for d in delays)}")
    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        jobs = [
            pool.submit(interrupt_once, peers, tmp_path / f"run{n}", signum, delay)
            for n, delay in enumerate(delays)
        ]
        for job in jobs:
            job.result()


def wait_for_log(out: Path, text: str, timeout: float = 30) -> Path:
    """The support log in `out`, once it holds `text` (the console may print first)."""
    end = time.monotonic() + timeout
    while True:
        logs = list(out.glob("CheckNWResult_*.log"))
        if logs and text in logs[0].read_text(encoding="utf-8"):
            return logs[0]
        assert time.monotonic() < end, f"{text!r} never reached the log"
        time.sleep(0.05)


def test_sigkill_leaves_the_streaming_log(peers: list[str], tmp_path: Path) -> None:
    child = start(peers, tmp_path / "killed")
    try:
        seen = wait_for_output(child, b"tcp    closed", timeout=30)  # a result has arrived
        log = wait_for_log(tmp_path / "killed", "closed via direct (no-proxy) tcp: ")
        child.kill()
        child.communicate(timeout=EXIT_BOUND_S)
    finally:
        if child.poll() is None:
            child.kill()
    text = log.read_text(encoding="utf-8")
    assert "IN PROGRESS (if this is still here, the run was killed" in text
    assert "closed via direct (no-proxy) tcp: " in text
    assert b"Support log: " in seen
    assert not (tmp_path / "killed" / "report.json").exists()  # never half-written


def test_a_stop_does_not_wait_for_a_slow_collector_command(tmp_path: Path) -> None:
    """`ip` takes 30 s on this machine: a run stopped meanwhile still ends at once (the
    collectors' threads used to be joined at exit, so it waited for the command)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    slow = bin_dir / "ip"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    plan = tmp_path / "plan.yaml"
    steps = "  - id: network\n    kind: network\n    timeout: 240\n"
    plan.write_text(e2e.plan_text([], steps, name="slow-ip", deadline=240), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    env = e2e.child_env({"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"})
    argv = e2e.command(["run", str(plan), "--no-proxy", "--output-dir", str(out)])
    argv += ["--json", str(out / "report.json")]
    child = subprocess.Popen(argv, cwd=out, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # `ip a` sleeps 30 s: without a prompt stop, the run ends past EXIT_BOUND_S.
    err = signal_after(child, b"Support log: ", 1.0, signal.SIGINT, EXIT_BOUND_S)
    assert child.returncode == 130, err
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert document["interrupted"] is True
