"""`asrcheck run a2a` / `run h2a` in each cloud against loopback peers: every host the facts
table lists passes, and each requirement without a concrete host is one `manual-check`
result, shown on the console, in the support log and in the JSON report.

As in test_e2e.py, a loopback DNS server maps the plan's real host names to 127.0.0.1 and
one loopback TLS server (trusted through --ca-bundle) answers for all of them; a small plan
that `extends:` the built-in one moves the port there. Nothing leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from runner import cli
from tests.builtin_plans.loopback import PROXY_ENV, AzureLikePki, Peers, child_plan
from tests.builtin_plans.showplan import EXPECTED, var_args
from tests.peers.dns import DnsServer
from tests.peers.tls import HttpBehaviour, TlsServer

CASES = [
    (scenario, cloud) for scenario, clouds in EXPECTED["scenarios"].items() for cloud in clouds
]


@dataclass
class Outcome:
    code: int
    report: dict[str, Any]
    console: str
    log: str


def _hosts(scenario: str, cloud: str) -> dict[str, Any]:
    """endpoint id -> host (str), or the {manual: wildcard} entry, for the healthy run: the
    private-endpoint section stays off (its names must not resolve to loopback)."""
    case = EXPECTED["scenarios"][scenario][cloud]
    return {
        endpoint_id: host
        for endpoint_id, host in case["endpoints"].items()
        if host is not None
        and not endpoint_id.startswith(("private-", "entra-id-public"))
        and not endpoint_id.startswith("cache-storage-private")
    }


@pytest.fixture(autouse=True)
def _no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def pki() -> Iterator[AzureLikePki]:
    yield AzureLikePki()


def _run(
    tmp: Path,
    pki: AzureLikePki,
    scenario: str,
    cloud: str,
    capsys: pytest.CaptureFixture[str],
    missing: tuple[str, ...] = (),
) -> Outcome:
    """The healthy run; the DNS server does not know the hosts in `missing`."""
    case = EXPECTED["scenarios"][scenario][cloud]
    concrete = sorted({h for h in _hosts(scenario, cloud).values() if isinstance(h, str)})
    names = [host for host in [*concrete, "localhost"] if host not in missing]
    ca_bundle = pki.write_bundle(tmp / "ca.pem")
    enable = [s for s in case["enable"] if s != "private-endpoint"]
    log = tmp / "support.log"
    with (
        TlsServer(pki, hostnames=names, behaviour=HttpBehaviour(status=400)) as tls,
        DnsServer({host: ["127.0.0.1"] for host in names}) as dns,
    ):
        argv = [
            "run",
            str(child_plan(Peers(tls, dns, ca_bundle, tmp), scenario)),
            *var_args({"cloud": cloud, **case["vars"]}),
            *(arg for name in enable for arg in ("--enable", name)),
            *(("--disable", "timesync") if scenario == "h2a" else ()),
            "--dns-server",
            f"127.0.0.1:{dns.address[1]}",
            "--ca-bundle",
            ca_bundle,
            "--json",
            str(tmp / "report.json"),
            "--log",
            str(log),
            "--no-color",
            "--no-proxy",
        ]
        capsys.readouterr()
        code = cli.main(argv)
    console = capsys.readouterr().out
    report = json.loads((tmp / "report.json").read_text(encoding="utf-8"))
    return Outcome(code, report, console, log.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("scenario", "cloud"), CASES)
def test_healthy_run_in_each_cloud(
    tmp_path: Path,
    pki: AzureLikePki,
    scenario: str,
    cloud: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outcome = _run(tmp_path, pki, scenario, cloud, capsys)
    results: dict[str, list[dict[str, Any]]] = {}
    for result in outcome.report["results"]:
        if result["endpoint"]:
            results.setdefault(result["endpoint"], []).append(result)
    for endpoint_id, host in _hosts(scenario, cloud).items():
        got = results[endpoint_id]
        if isinstance(host, str):
            http = [r for r in got if r["check"] == "http"]
            assert http and all(r["status"] == "pass" for r in http), (endpoint_id, got)
            assert {r["host"] for r in got} == {host}
            continue
        # No concrete host: one visible item, never "not applicable".
        assert [(r["check"], r["status"], r["reason"]) for r in got] == [
            ("manual", "skip", "manual-check")
        ], endpoint_id
        shown = host["manual"] or "(not documented)"
        assert got[0]["host"] == shown and "443" in got[0]["detail"], got[0]
        line = next(x for x in outcome.console.splitlines() if f"({shown}:" in x)
        assert line.startswith("SKIP  manual ") and got[0]["detail"] in line, line
        assert got[0]["detail"] in outcome.console.split("check by hand (")[1]
        summary = outcome.log.split("To check by hand:")[1]
        assert endpoint_id in summary and got[0]["detail"] in summary
    manual = [h for h in _hosts(scenario, cloud).values() if isinstance(h, dict)]
    for fmt in ("text", "markdown", "html"):
        assert cli.main(["report", str(tmp_path / "report.json"), "--format", fmt]) in (0, 1)
        shown = capsys.readouterr().out
        assert ("To check by hand" in shown) == bool(manual), fmt
        for host in manual:
            assert (host["manual"] or "(not documented)") in shown.replace("\\*", "*"), fmt
    assert all(r["reason"] != "not-applicable" for r in results.get("servicebus", []))
    assert all(r["reason"] != "not-applicable" for r in results.get("automation", []))
    assert "§" not in outcome.console and "§" not in outcome.log
    assert "facts" not in outcome.log.lower().replace('"facts"', "")
    assert outcome.report["summary"]["verdict"] in ("pass", "warn")
    assert outcome.code == 0


@pytest.mark.parametrize("scenario", ["a2a", "h2a"])
def test_a_blocked_service_bus_stand_in_is_a_warning_that_says_why(
    tmp_path: Path, pki: AzureLikePki, scenario: str, capsys: pytest.CaptureFixture[str]
) -> None:
    relay = _hosts(scenario, "AzureCloud")["servicebus"]
    outcome = _run(tmp_path, pki, scenario, "AzureCloud", capsys, missing=(relay,))
    dns = next(
        r
        for r in outcome.report["results"]
        if r["endpoint"] == "servicebus" and r["check"] == "dns"
    )
    assert (dns["status"], dns["reason"], dns["required"]) == ("fail", "nxdomain", False)
    assert "evidence, not proof" in dns["hint"]
    assert outcome.report["summary"]["verdict"] == "warn"
    assert outcome.code == 0
