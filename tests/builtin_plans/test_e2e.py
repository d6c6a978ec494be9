"""`asrcheck run a2a` / `run h2a` end to end, against real loopback peers only.

The real Azure host names of each plan are mapped to 127.0.0.1 by a loopback DNS server
(`--dns-server`), served by one loopback TLS server whose certificate carries all of them
(`--ca-bundle` trusts its test CA), and a small plan that `extends:` the built-in plan moves
the port to the TLS server's. Nothing here leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runner import cli
from tests.builtin_plans.loopback import (
    A2A_HOSTS,
    A2A_VARS,
    H2A_HOSTS,
    PRIVATE_RCM,
    PRIVATE_RCM_SOURCE,
    PRIVATELINK_RCM,
    PROXY_ENV,
    AzureLikePki,
    Peers,
    child_plan,
)
from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.sntp import sntp_server
from tests.peers.tls import HttpBehaviour, Pki, TlsServer


@pytest.fixture(autouse=True)
def _no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def peers(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Peers]:
    pki: Pki = AzureLikePki() if request.param == "microsoft" else Pki()
    hosts = sorted({*A2A_HOSTS, *H2A_HOSTS, "time.windows.com", "localhost"})
    zone = {host: ["127.0.0.1"] for host in hosts}
    # The healthy chain for the target geo's name; the source geo's name answers without
    # the privatelink CNAME. Only the dns stage runs for them (see the test).
    zone[PRIVATE_RCM] = [f"cname:{PRIVATELINK_RCM}"]
    zone[PRIVATELINK_RCM] = ["10.20.30.40"]
    zone[PRIVATE_RCM_SOURCE] = ["10.20.30.41"]
    ca_bundle = pki.write_bundle(tmp_path / "ca.pem")
    # Blob storage answers an anonymous request with 400: the healthy result (facts §0).
    with (
        TlsServer(pki, hostnames=hosts, behaviour=HttpBehaviour(status=400)) as tls,
        DnsServer(zone) as dns,
    ):
        yield Peers(tls, dns, ca_bundle, tmp_path)


def run(peers: Peers, plan: Path, *args: str) -> tuple[int, dict[str, Any]]:
    report = peers.tmp / "report.json"
    argv = [
        "run",
        str(plan),
        "--dns-server",
        f"127.0.0.1:{peers.dns.address[1]}",
        "--ca-bundle",
        peers.ca_bundle,
        "--json",
        str(report),
        "--output-dir",
        str(peers.tmp),
        "--no-color",
        "-q",
        *args,
    ]
    code = cli.main(argv)
    return code, json.loads(report.read_text(encoding="utf-8"))


def endpoint_results(report: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """endpoint id -> check -> result, for the direct route."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for result in report["results"]:
        if result["endpoint"] and result["route"]["kind"] == "direct":
            found.setdefault(result["endpoint"], {})[result["check"]] = result
    return found


def step_results(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for result in report["results"]:
        if result["step"]:
            found.setdefault(result["step"], []).append(result)
    return found


@pytest.mark.parametrize("peers", ["microsoft"], indirect=True)
def test_a2a_runs_end_to_end(peers: Peers, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run(peers, child_plan(peers, "a2a"), *A2A_VARS, "--no-proxy")
    capsys.readouterr()
    results = endpoint_results(report)
    expected = {
        "entra-id",
        "asr-source",
        "asr-target",
        "cache-storage-mycache",
        "servicebus",
    }
    assert expected <= set(results)
    for endpoint_id in expected:
        checks = results[endpoint_id]
        for stage in ("dns", "tcp", "tls", "http"):
            assert checks[stage]["status"] == "pass", (endpoint_id, checks[stage])
        assert checks["http"]["facts"].get("status") == 400 or "400" in checks["http"]["detail"]
    hosts = {results[e]["dns"]["host"] for e in expected}
    assert hosts == set(A2A_HOSTS)
    assert {q.rstrip(".") for q in map(str, peers.dns.queries)} >= set(A2A_HOSTS)
    for endpoint_id in ("keyvault", "automation", "entra-id-public"):
        skipped = [r for r in report["results"] if r["endpoint"] == endpoint_id]
        assert skipped and all(r["status"] == "skip" for r in skipped), endpoint_id
    steps = step_results(report)
    assert {"machine", "network", "proxy-config", "tls-config", "clock"} <= set(steps)
    assert report["plan"]["name"] == "a2a-loopback"
    assert report["summary"]["verdict"] in ("pass", "warn")
    assert code == 0


@pytest.mark.parametrize("peers", ["other"], indirect=True)
def test_a2a_flags_an_unexpected_issuer(peers: Peers, capsys: pytest.CaptureFixture[str]) -> None:
    """A trusted chain from a non-Microsoft/DigiCert CA is a TLS-inspection warning."""
    code, report = run(peers, child_plan(peers, "a2a"), *A2A_VARS, "--no-proxy")
    capsys.readouterr()
    tls = endpoint_results(report)["entra-id"]["tls"]
    assert (tls["status"], tls["reason"]) == ("warn", "tls-intercepted")
    assert code == 0


@pytest.mark.parametrize("peers", ["microsoft"], indirect=True)
def test_a2a_through_a_proxy(peers: Peers, capsys: pytest.CaptureFixture[str]) -> None:
    upstreams = dict.fromkeys(A2A_HOSTS, peers.tls.port)
    with ConnectProxy(upstreams) as proxy:
        # Only the --proxy route: the agent route would read this machine's proxy settings.
        plan = child_plan(peers, "a2a", routes="[default]")
        code, report = run(peers, plan, *A2A_VARS, "--proxy", proxy.url)
        seen = list(proxy.seen)
    capsys.readouterr()
    via_proxy = [r for r in report["results"] if r["route"] and r["route"]["kind"] == "proxy"]
    connected = {r["endpoint"] for r in via_proxy if r["check"] == "http" and r["status"] == "pass"}
    assert {"entra-id", "asr-source", "asr-target", "cache-storage-mycache"} <= connected
    assert {target.split(":")[0] for target in seen} >= set(A2A_HOSTS)
    assert code == 0


@pytest.mark.parametrize("peers", ["microsoft"], indirect=True)
def test_a2a_private_endpoint_mode(peers: Peers, capsys: pytest.CaptureFixture[str]) -> None:
    # DNS only: the private answers are judged, never connected to.
    plan = child_plan(peers, "a2a", chain="[dns]")
    args = (*A2A_VARS, "--var", "vault_id=1234567", "--enable", "private-endpoint")
    code, report = run(peers, plan, *args, "--no-proxy")
    capsys.readouterr()
    results = endpoint_results(report)
    # The public name CNAMEs into the privatelink zone and ends at a private address.
    private = results["private-rcm-1234567"]["dns"]
    assert (private["status"], private["host"]) == ("pass", PRIVATE_RCM), private
    assert PRIVATELINK_RCM in private["detail"]
    # The source geo's name answers privately but without the CNAME: not the endpoint.
    source = results["private-rcm-source-1234567"]["dns"]
    assert (source["status"], source["reason"]) == ("fail", "no-privatelink-cname"), source
    assert "privatelink.siterecovery.windowsazure.com" in source["hint"]
    # Entra ID must resolve publicly; here it resolves to loopback, so the check says so.
    public = results["entra-id-public"]["dns"]
    assert (public["status"], public["reason"]) == ("fail", "expected-public")
    # The public ASR hosts are advisory in this mode.
    assert results["asr-target"]["dns"]["required"] is False
    assert code == 1


@pytest.mark.parametrize("peers", ["microsoft"], indirect=True)
def test_h2a_runs_end_to_end_with_time_sync(
    peers: Peers, capsys: pytest.CaptureFixture[str]
) -> None:
    with sntp_server(skew=2.0) as ntp:
        steps = f"""\
  - id: time-sync
    kind: ntp
    section: timesync
    with: {{server: time.windows.com, port: {ntp.port}, timeout: 5, max_offset: 900}}
"""
        args = ("--var", "region=westeurope", "--var", "storage_account=hvstore", "--no-proxy")
        code, report = run(peers, child_plan(peers, "h2a", steps), *args)
        asked = ntp.requests
    capsys.readouterr()
    results = endpoint_results(report)
    for endpoint_id in (
        "entra-id",
        "asr-service",
        "asr-provider",
        "backup-protection",
        "backup-service",
        "storage-hvstore",
        "servicebus",
        "telemetry",
    ):
        assert results[endpoint_id]["http"]["status"] == "pass", endpoint_id
    time_sync = step_results(report)["time-sync"]
    assert len(time_sync) == 1
    assert (time_sync[0]["status"], time_sync[0]["reason"]) == ("pass", "ok")
    assert 0 < time_sync[0]["facts"]["offset_s"] < 60
    assert asked == 1
    assert code == 0
