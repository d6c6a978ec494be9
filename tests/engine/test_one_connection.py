"""One connection per endpoint and route, counted at the peer: the tcp (or proxy) stage
opens it, tls handshakes on it, http asks on it; checks never share one; the run closes it."""

from __future__ import annotations

import time
from collections.abc import Callable

from runner.context import Context, ProxySetting
from runner.results import Status
from tests.helpers.engine import by_check, endpoint, plan_of, run
from tests.peers.dns import DnsServer
from tests.peers.keepalive import KeepAliveTlsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.tls import Pki

HOSTS = ("a.shared.test", "b.shared.test", "c.shared.test")
CtxFor = Callable[..., Context]


def _eventually(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    """The peer's threads record a close a moment after it happens (and a connection the
    client left open only after 10 s, when the peer gives up on it)."""
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        time.sleep(0.02)
    return condition()


def test_each_endpoint_uses_one_connection_of_its_own(pki: Pki, ctx_for: CtxFor) -> None:
    with (
        KeepAliveTlsServer(pki, HOSTS, refuse_head=[HOSTS[1]]) as server,
        DnsServer({host: ["127.0.0.1"] for host in HOSTS}) as dns,
    ):
        plan = plan_of(*(endpoint(host.split(".")[0], host, server.port) for host in HOSTS))
        report = run(plan, ctx_for(dns))
        assert _eventually(lambda: len(server.ended) == len(HOSTS))
        accepted = server.accepted
    for name in ("a", "b", "c"):
        assert [r.status for r in by_check(report, name).values()] == [Status.PASS] * 4
    assert by_check(report, "b")["http"].facts["method"] == "GET"
    assert accepted == len(HOSTS)  # one TCP connection per endpoint: no second for TLS or HTTP
    per_host: dict[str, set[int]] = {}
    for seen in server.seen:
        per_host.setdefault(seen.host, set()).add(seen.connection)
        assert seen.sni == seen.host
        assert seen.cookie is None
    assert all(len(numbers) == 1 for numbers in per_host.values())
    assert len(set().union(*per_host.values())) == len(HOSTS)  # never shared between hosts
    assert [s.method for s in server.seen if s.host == HOSTS[1]] == ["HEAD", "GET"]


def test_through_a_proxy_one_connect_carries_tls_and_http(pki: Pki, ctx_for: CtxFor) -> None:
    with (
        KeepAliveTlsServer(pki, HOSTS[:2]) as server,
        ConnectProxy(dict.fromkeys(HOSTS[:2], server.port)) as proxy,
        DnsServer({}) as dns,
    ):
        plan = plan_of(*(endpoint(host.split(".")[0], host) for host in HOSTS[:2]))
        report = run(plan, ctx_for(dns, cli_proxy=ProxySetting(url=proxy.url, source="cli")))
        assert _eventually(lambda: len(server.ended) == 2)
        accepted = server.accepted
    for name in ("a", "b"):
        stages = by_check(report, name)
        assert list(stages) == ["proxy", "tls", "http"]
        assert all(r.status is Status.PASS for r in stages.values())
    assert sorted(proxy.seen) == [f"{host}:443" for host in HOSTS[:2]]
    assert accepted == 2
    assert sorted(s.host for s in server.seen) == sorted(HOSTS[:2])


def test_a_chain_that_stops_early_still_closes_its_connection(pki: Pki, ctx_for: CtxFor) -> None:
    with (
        KeepAliveTlsServer(pki, HOSTS[:1]) as server,
        DnsServer({HOSTS[0]: ["127.0.0.1"]}) as dns,
    ):
        plan = plan_of(endpoint("a", HOSTS[0], server.port, chain=("dns", "tcp", "tls")))
        report = run(plan, ctx_for(dns))
        assert _eventually(lambda: server.ended == [1])
    assert [r.check for r in report.results] == ["dns", "tcp", "tls"]
    assert server.seen == []
