"""Reports of real runs against the test peers, for the report and compare tests; the
fixtures that make them are in tests/outputs/reports/conftest.py."""

from __future__ import annotations

import json
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from runner import cli
from tests.helpers import e2e
from tests.helpers.children import wait_for_output
from tests.peers.dns import DnsServer
from tests.peers.tcp import Blackhole

OPTIONAL = """  - id: extra
    host: extra.test
    port: 443
    purpose: "Optional endpoint."
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
    required: false
    timeout: 3
"""


#: Files that are not reports this asrcheck reads (None: a report of a newer schema), and
#: the start of why, after the file name.
BAD_INPUTS = [
    ("{not json", ":1:2: not JSON: "),
    ('{"name": "goss", "results": []}', ": not an asrcheck report: no "),
    ("[]", ": not an asrcheck report: an empty list"),
    (None, ": report schema version 99 is newer than this asrcheck reads (1)"),
]


def write_bad(path: Path, content: str | None, good: Path) -> Path:
    """`path` with `content`, or `good`'s report with a newer schema version."""
    if content is None:
        content = json.dumps({**json.loads(good.read_text()), "schema_version": 99})
    path.write_text(content)
    return path


@dataclass(frozen=True)
class Fleet:
    root: Path
    healthy: Path
    broken: Path
    stopped: Path


def run_plan(plan: Path, out: Path, dns: int, ca: str, *more: str) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = ["run", str(plan), "--dns-server", f"127.0.0.1:{dns}", "--ca-bundle", ca, "-q", *more]
    return cli.main([*argv, "--no-proxy", "--json", str(out), "--output-dir", str(out.parent)])


def run_interrupted(root: Path, out: Path) -> None:
    out.parent.mkdir(parents=True)
    with Blackhole() as hole, DnsServer({"hole.test": ["127.0.0.1"]}) as dns:
        plan = root / "hole.yaml"
        plan.write_text(e2e.plan_text([("web", "hole.test", hole.port)], deadline=60, timeout=30))
        args = ["run", str(plan), "--no-proxy", "--dns-server", f"127.0.0.1:{dns.port}"]
        args += ["--json", str(out), "--output-dir", str(out.parent)]
        child = subprocess.Popen(
            e2e.command(args),
            cwd=root,
            env=e2e.child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_output(child, b"PASS  dns    web", timeout=30)
            child.send_signal(signal.SIGINT)
            child.communicate(timeout=20)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    assert child.returncode == 130


@dataclass(frozen=True)
class Runs:
    """Three runs of one plan on this machine as its DNS changes, for `asrcheck compare`.

    before: web resolves, store does not; fixed: both resolve (plan 1.1.0, a new secret
    value); broken: store resolves, web no longer does. `extra` (optional) never resolves.
    """

    root: Path
    before: Path
    fixed: Path
    broken: Path


SECRET = "s3cr3t-compare-token"
