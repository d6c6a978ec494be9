"""`--dns-server` is the run's resolver for every name, not only in the dns stage (#11):
a chain without a dns stage and the clock step used the system resolver, which knows
none of the names below (they exist only on the test's DNS server)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from runner.context import Context
from runner.kinds.steps import clock
from runner.model import Step
from runner.results import Status
from tests.helpers.engine import by_check, endpoint, plan_of, run
from tests.peers.date_server import date_server
from tests.peers.dns import DnsServer
from tests.peers.tls import Pki, TlsServer

HOST = "only-here.asrcheck.test"


@pytest.mark.parametrize("chain", [("tcp", "tls", "http"), ("tls", "http"), ("http",)])
def test_a_chain_without_a_dns_stage_resolves_through_the_dns_server(
    pki: Pki, ca_bundle: str, chain: tuple[str, ...]
) -> None:
    with (
        TlsServer(pki, "valid", [HOST]) as tls,
        DnsServer({HOST: ["127.0.0.1"]}) as dns,
    ):
        plan = plan_of(endpoint("e", HOST, tls.port, chain=chain))
        report = run(plan, Context(dns_servers=(dns.address,), ca_bundle=ca_bundle))
    found = by_check(report, "e")
    assert [r.check for r in report.results] == list(chain)
    assert all(r.status is Status.PASS for r in found.values()), [
        (r.check, r.reason, r.detail) for r in found.values()
    ]
    assert tls.handshakes >= 1


def test_a_name_the_dns_server_does_not_know_fails_with_the_dns_reason(ca_bundle: str) -> None:
    with DnsServer({}, modes={HOST: "nxdomain"}) as dns:
        plan = plan_of(endpoint("e", HOST, 443, chain=("tcp", "tls")))
        report = run(plan, Context(dns_servers=(dns.address,), ca_bundle=ca_bundle))
    found = by_check(report, "e")
    assert (found["tcp"].status, found["tcp"].reason) == (Status.FAIL, "nxdomain")
    assert f"127.0.0.1:{dns.address[1]}" in found["tcp"].detail
    assert found["tls"].status is Status.SKIP


def test_the_clock_step_resolves_through_the_dns_server(tmp_path: Path) -> None:
    with (
        date_server(tmp_path, skew=0, hostnames=(HOST,)) as (port, bundle),
        DnsServer({HOST: ["127.0.0.1"]}) as dns,
    ):
        step = Step(id="clock", kind="clock", params={"host": HOST, "port": port})
        ctx = Context(dns_servers=(dns.address,), ca_bundle=bundle, timeout_override=5)
        (outcome,) = asyncio.run(clock.run(step, ctx))
    assert (outcome.status, outcome.reason) == (Status.PASS, "ok"), outcome.detail
    assert abs(outcome.facts["skew_seconds"]) < 30


def test_the_clock_step_reports_a_name_the_dns_server_refuses(tmp_path: Path) -> None:
    with DnsServer({}, modes={HOST: "nxdomain"}) as dns:
        step = Step(id="clock", kind="clock", params={"host": HOST, "port": 443})
        ctx = Context(dns_servers=(dns.address,), timeout_override=5)
        (outcome,) = asyncio.run(clock.run(step, ctx))
    assert (outcome.status, outcome.reason) == (Status.WARN, "nxdomain")
    assert "clock not checked" in outcome.detail
