"""The http stage shares httpx clients within a run, but never a connection or a cookie."""

from __future__ import annotations

from runner.context import Context
from runner.kinds.net import http_clients
from runner.results import Status
from tests.helpers.engine import by_check, endpoint, plan_of, run
from tests.peers.dns import DnsServer
from tests.peers.keepalive import KeepAliveTlsServer

HOSTS = ("a.shared.test", "b.shared.test", "c.shared.test")


def test_checks_of_hosts_on_one_address_never_share_a_connection(pki, ca_bundle):
    with (
        KeepAliveTlsServer(pki, HOSTS, refuse_head=[HOSTS[1]]) as server,
        DnsServer({host: ["127.0.0.1"] for host in HOSTS}) as dns,
    ):
        plan = plan_of(*(endpoint(host.split(".")[0], host, server.port) for host in HOSTS))
        ctx = Context(dns_servers=(dns.address,), ca_bundle=ca_bundle)
        # One check at a time: a pooled connection would be free for the next host.
        report = run(plan, ctx, concurrency=1)
    for name in ("a", "b", "c"):
        assert by_check(report, name)["http"].status is Status.PASS
    assert by_check(report, "b")["http"].facts["method"] == "GET"
    requests = server.seen
    assert sorted(r.host for r in requests) == sorted([*HOSTS, HOSTS[1]])
    assert all(r.sni == r.host for r in requests)
    assert len({r.connection for r in requests}) == len(requests)
    assert all(r.cookie is None for r in requests)


def test_the_run_closes_its_shared_clients(pki, ca_bundle):
    with (
        KeepAliveTlsServer(pki, HOSTS[:1]) as server,
        DnsServer({HOSTS[0]: ["127.0.0.1"]}) as dns,
    ):
        plan = plan_of(endpoint("a", HOSTS[0], server.port))
        report = run(plan, Context(dns_servers=(dns.address,), ca_bundle=ca_bundle))
    assert by_check(report, "a")["http"].status is Status.PASS
    assert not any(http_clients._CLIENTS.values())
