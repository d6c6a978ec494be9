"""A run never has more checks at once than the open-file limit allows (issue #11): with
`ulimit -n` small and `--concurrency` large, healthy endpoints failed with EMFILE, reported
as network failures (`servfail`)."""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path

import pytest

from runner.engine import descriptors
from tests.helpers import e2e
from tests.peers.dns import DnsServer
from tests.peers.tls import Pki, TlsServer

ENDPOINTS = 80
#: Soft and hard limit of the child: room for about a dozen checks, not for 80.
LIMIT = 96


def limited() -> None:
    """In the child before exec: a small limit it cannot raise."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))


def test_many_checks_under_a_small_open_file_limit_all_pass(tmp_path: Path) -> None:
    pki = Pki()
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    names = [f"e{n}.test" for n in range(ENDPOINTS)]
    with (
        TlsServer(pki, "valid", names) as tls,
        DnsServer({name: ["127.0.0.1"] for name in names}) as dns,
    ):
        plan = tmp_path / "plan.yaml"
        endpoints = [(f"e{n}", name, tls.port) for n, name in enumerate(names)]
        plan.write_text(e2e.plan_text(endpoints, deadline=120, timeout=30))
        argv = ["run", str(plan), "--no-proxy", "--dns-server", f"127.0.0.1:{dns.port}"]
        argv += ["--ca-bundle", bundle, "--concurrency", "1000", "--json", "r.json", "-q"]
        done = subprocess.run(
            e2e.command(argv),
            cwd=tmp_path,
            env=e2e.child_env(),
            capture_output=True,
            timeout=300,
            preexec_fn=limited,
        )
    out = done.stdout.decode()
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    failed = [(r["endpoint"], r["check"], r["reason"]) for r in report["results"]]
    failed = [item for item in failed if item[2] != "ok"]
    assert done.returncode == 0, (failed[:10], done.stderr.decode()[-2000:])
    assert len(report["results"]) == ENDPOINTS * 4 and not failed
    assert "concurrency 1000 lowered to " in out and f"only {LIMIT} files (ulimit -n)" in out
    settings = report["settings"]
    assert 1 <= settings["concurrency"] < (LIMIT - descriptors.RESERVE) // descriptors.PER_CHECK
    assert "lowered" in settings["concurrency_note"]


def test_the_soft_limit_is_raised_before_the_concurrency_is_lowered() -> None:
    """A process whose hard limit has room gets the room, not a smaller concurrency."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 4096:
        pytest.skip(f"hard open-file limit {hard} too small to test raising")
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        found = descriptors.budget(500)
        raised = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert found == descriptors.Budget(500)
    assert raised >= 500 * descriptors.PER_CHECK
