"""Proxy routes through a real CONNECT proxy: proxy -> tls -> http, and each proxy failure."""

from __future__ import annotations

import pytest

from runner.context import ProxySetting
from runner.results import Status
from tests.helpers.engine import ContextFor, by_check, endpoint, plan_of, route_of, run
from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.tcp import refusing_port
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

HOST = "svc.asrcheck.test"


def _cli(url: str) -> ProxySetting:
    return ProxySetting(url=url, source="cli")


def test_chain_through_open_proxy(pki: Pki, ctx_for: ContextFor) -> None:
    with (
        TlsServer(pki, "valid", [HOST], HttpBehaviour(status=403)) as tls,
        ConnectProxy({HOST: tls.port}) as proxy,
        DnsServer({}) as dns,
    ):
        report = run(plan_of(endpoint("e", HOST, 443)), ctx_for(dns, cli_proxy=_cli(proxy.url)))
    stages = by_check(report, "e")
    assert list(stages) == ["proxy", "tls", "http"]  # the proxy resolves: no dns, no tcp
    assert all(r.status is Status.PASS for r in stages.values())
    assert stages["http"].facts["status"] == 403
    assert stages["http"].command == f"curl -I --proxy {proxy.url} https://{HOST}"
    assert route_of(stages["proxy"]).source == "cli"
    assert proxy.seen == [f"{HOST}:443"]  # one CONNECT carries tls and http
    assert dns.queries == []


@pytest.mark.parametrize(
    ("mode", "reason", "status"),
    [
        ("auth", "proxy-auth-required", 407),
        ("deny", "proxy-denied", 403),
        ("upstream-fail", "proxy-upstream-error", 502),
    ],
)
def test_proxy_failures(ctx_for: ContextFor, mode: str, reason: str, status: int) -> None:
    with ConnectProxy({}, mode=mode) as proxy, DnsServer({}) as dns:
        report = run(plan_of(endpoint("e", HOST)), ctx_for(dns, cli_proxy=_cli(proxy.url)))
    stages = by_check(report, "e")
    assert (stages["proxy"].status, stages["proxy"].reason) == (Status.FAIL, reason)
    assert stages["proxy"].facts["status"] == status
    assert stages["proxy"].facts["server"] == ConnectProxy.server_header
    assert stages["tls"].detail == "not run: the proxy stage failed"


def test_proxy_unreachable_and_hanging(ctx_for: ContextFor) -> None:
    with ConnectProxy({}, mode="hang") as hang, DnsServer({}) as dns:
        down = plan_of(endpoint("e", HOST, timeout=1.0))
        gone = run(down, ctx_for(dns, cli_proxy=_cli(f"http://127.0.0.1:{refusing_port()}")))
        hung = run(down, ctx_for(dns, cli_proxy=_cli(hang.url)))
    assert by_check(gone, "e")["proxy"].reason == "proxy-unreachable"
    assert by_check(hung, "e")["proxy"].reason == "proxy-timeout"


def test_credentials_pass_but_are_a_finding(pki: Pki, ctx_for: ContextFor) -> None:
    with (
        TlsServer(pki, "valid", [HOST]) as tls,
        ConnectProxy({HOST: tls.port}, mode="auth", credentials=("alice", "pa55word")) as proxy,
        DnsServer({}) as dns,
    ):
        url = f"http://alice:pa55word@127.0.0.1:{proxy.port}"
        report = run(plan_of(endpoint("e", HOST)), ctx_for(dns, cli_proxy=_cli(url)))
    stages = by_check(report, "e")
    assert (stages["proxy"].status, stages["proxy"].reason) == (
        Status.WARN,
        "proxy-auth-unsupported",
    )
    assert stages["http"].status is Status.PASS
    assert "pa55word" not in repr([r.to_json() for r in report.results])
    assert route_of(stages["proxy"]).proxy == f"http://alice:***@127.0.0.1:{proxy.port}"


def test_agent_route_checked_as_well(pki: Pki, ctx_for: ContextFor) -> None:
    with (
        TlsServer(pki, "valid", [HOST]) as tls,
        ConnectProxy({HOST: tls.port}) as proxy,
        DnsServer({HOST: ["127.0.0.1"]}) as dns,
    ):
        agent = ProxySetting(url=proxy.url, source="ProxyInfo.conf", bypass_style="asr")
        plan = plan_of(endpoint("e", HOST, tls.port), routes=("default", "agent"))
        report = run(plan, ctx_for(dns, agent_proxy=agent))
    direct = by_check(report, "e", "direct")
    via = by_check(report, "e", "proxy")
    assert list(direct) == ["dns", "tcp", "tls", "http"]
    assert list(via) == ["proxy", "tls", "http"]
    assert route_of(via["proxy"]).agent and not route_of(direct["dns"]).agent
    assert route_of(via["http"]).source == "ProxyInfo.conf"
    assert all(r.status is Status.PASS for r in report.results)
