"""Reports of real runs against the test peers: a small fleet in `results/<machine>/`.

healthy: every check passes; broken-1 and broken-2: the `store` endpoint does not resolve
(required) and `extra` does not either (optional); stopped: interrupted by SIGINT while a
TCP connect hangs on a blackholed port; lost: a directory with no report, as the playbook
leaves behind for a host that failed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import e2e
from tests.helpers.reports import OPTIONAL, SECRET, Fleet, Runs, run_interrupted, run_plan
from tests.peers.dns import DnsServer
from tests.peers.tls import HttpBehaviour, Pki, TlsServer


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
        assert run_plan(healthy, results / "healthy" / "report.json", dns.port, ca) == 0
        for name in ("broken-1", "broken-2"):
            assert run_plan(broken, results / name / "report.json", dns.port, ca) == 1
    run_interrupted(root, results / "stopped" / "report.json")
    (results / "lost").mkdir()
    (results / "lost" / "error.txt").write_text("asrcheck timed out after 300 s\n")
    return Fleet(
        root,
        results / "healthy" / "report.json",
        results / "broken-1" / "report.json",
        results / "stopped" / "report.json",
    )


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
        assert run_plan(plan, root / "before" / "report.json", dns.port, ca) == 1
        dns.zone["store.test."] = ["127.0.0.1"]  # the zone keys are absolute names
        plan.write_text(text.replace("version: 1.0.0", "version: 1.1.0"))
        fixed = root / "fixed" / "report.json"
        assert run_plan(plan, fixed, dns.port, ca, "--var", f"token={SECRET}") == 0
        del dns.zone["ok.test."]
        assert run_plan(plan, root / "broken" / "report.json", dns.port, ca) == 1
    return Runs(root, root / "before" / "report.json", fixed, root / "broken" / "report.json")
