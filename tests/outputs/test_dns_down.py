"""A machine whose DNS resolves nothing (here: a loopback DNS server that answers NXDOMAIN
to every name, as some resolvers without internet access do): the run says once that DNS
is the one problem, on the console and in the support log; not when some names resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import cli
from tests.helpers import e2e
from tests.peers.dns import DnsServer

DOWN = "No name resolved (all 3 DNS lookups failed: nxdomain): fix DNS first."


def _run(tmp_path: Path, zone: dict[str, list[str]], capsys: pytest.CaptureFixture[str]) -> str:
    endpoints = [(f"e{n}", f"name{n}.test", 443) for n in range(3)]
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text(endpoints, timeout=3), encoding="utf-8")
    with DnsServer(zone) as dns:
        args = ["run", str(plan), "--no-proxy", "--dns-server", f"127.0.0.1:{dns.port}"]
        code = cli.main([*args, "--output-dir", str(tmp_path), "--no-color"])
    assert code == 1
    return capsys.readouterr().out


def test_no_name_resolving_is_reported_as_one_dns_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    console = _run(tmp_path, {}, capsys)
    assert console.count("FAIL  dns") == 3
    assert DOWN in console
    assert console.index(DOWN) < console.index("VERDICT: FAIL")
    (log,) = tmp_path.glob("CheckNWResult_*.log")
    summary = log.read_text(encoding="utf-8").split(" 7. Summary")[1]
    assert DOWN in summary


def test_one_name_resolving_is_not_a_dns_outage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    console = _run(tmp_path, {"name0.test": ["127.0.0.1"]}, capsys)
    assert console.count("FAIL  dns") == 2
    assert "No name resolved" not in console
