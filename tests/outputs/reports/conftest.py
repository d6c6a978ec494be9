"""Reports of real runs against the test peers: a small fleet in `results/<machine>/`.

healthy: every check passes; broken-1 and broken-2: the `store` endpoint does not resolve
(required) and `extra` does not either (optional); stopped: interrupted by SIGINT while a
TCP connect hangs on a blackholed port; lost: a directory with no report, as the playbook
leaves behind for a host that failed.
"""

from __future__ import annotations

import json
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from runner import cli
from tests.cli.test_signals_e2e import wait_for_output
from tests.helpers import e2e
from tests.peers.dns import DnsServer
from tests.peers.tcp import Blackhole
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

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


def _run(plan: Path, out: Path, dns: int, ca: str, *more: str) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = ["run", str(plan), "--dns-server", f"127.0.0.1:{dns}", "--ca-bundle", ca, "-q", *more]
    return cli.main([*argv, "--no-proxy", "--json", str(out), "--output-dir", str(out.parent)])


def _interrupted(root: Path, out: Path) -> None:
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


@pytest.fixture(scope="session")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    root = Path(tmp_path_factory.mktemp("fleet"))
    pki = Pki()
    ca = pki.write_bundle(root / "ca.pem")
    results = root / "results"
    with (
        TlsServer(pki, "valid", ["ok.test"], HttpBehaviour(status=400)) as good,
        DnsServer({"ok.test": ["127.0.0.1"]}) as dns,
    ):
        healthy = root / "healthy.yaml"
        healthy.write_text(e2e.plan_text([("web", "ok.test", good.port)], name="fleet"))
        broken = root / "broken.yaml"
        endpoints = [("web", "ok.test", good.port), ("store", "nope.test", 443)]
        broken.write_text(
            e2e.plan_text(endpoints, name="fleet").replace(
                "endpoints:\n", "endpoints:\n" + OPTIONAL
            )
        )
        assert _run(healthy, results / "healthy" / "report.json", dns.port, ca) == 0
        for name in ("broken-1", "broken-2"):
            assert _run(broken, results / name / "report.json", dns.port, ca) == 1
    _interrupted(root, results / "stopped" / "report.json")
    (results / "lost").mkdir()
    (results / "lost" / "error.txt").write_text("asrcheck timed out after 300 s\n")
    return Fleet(
        root,
        results / "healthy" / "report.json",
        results / "broken-1" / "report.json",
        results / "stopped" / "report.json",
    )


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


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    root = Path(tmp_path_factory.mktemp("runs"))
    pki = Pki()
    ca = pki.write_bundle(root / "ca.pem")
    with (
        TlsServer(pki, "valid", ["ok.test", "store.test"], HttpBehaviour(status=400)) as good,
        DnsServer({"ok.test": ["127.0.0.1"]}) as dns,
    ):
        endpoints = [("web", "ok.test", good.port), ("store", "store.test", good.port)]
        text = e2e.plan_text(endpoints, name="shop")
        text = text.replace("endpoints:\n", "endpoints:\n" + OPTIONAL)
        plan = root / "shop.yaml"
        plan.write_text(text)
        assert _run(plan, root / "before" / "report.json", dns.port, ca) == 1
        dns.zone["store.test."] = ["127.0.0.1"]  # the zone keys are absolute names
        plan.write_text(text.replace("version: 1.0.0", "version: 1.1.0"))
        fixed = root / "fixed" / "report.json"
        assert _run(plan, fixed, dns.port, ca, "--var", f"token={SECRET}") == 0
        del dns.zone["ok.test."]
        assert _run(plan, root / "broken" / "report.json", dns.port, ca) == 1
    return Runs(root, root / "before" / "report.json", fixed, root / "broken" / "report.json")
