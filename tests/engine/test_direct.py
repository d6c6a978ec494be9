"""Direct-route chains against real loopback peers: each stage's pass and failure codes."""

from __future__ import annotations

import socket

import pytest

from runner.context import Context
from runner.results import Status
from tests.helpers.engine import ContextFor, by_check, endpoint, plan_of, run
from tests.peers.dns import DnsServer
from tests.peers.tcp import Blackhole, ClosingServer, refusing_port
from tests.peers.tls import HttpBehaviour, Pki, TlsServer, legacy_tls_unavailable

HOST = "good.asrcheck.test"


def test_healthy_chain_passes_every_stage(pki: Pki, ctx_for: ContextFor) -> None:
    with (
        TlsServer(pki, "valid", [HOST], HttpBehaviour(status=400)) as tls,
        DnsServer({HOST: ["cname:edge.asrcheck.test"], "edge.asrcheck.test": ["127.0.0.1"]}) as dns,
    ):
        report = run(plan_of(endpoint("good", HOST, tls.port)), ctx_for(dns))
    stages = by_check(report, "good")
    assert [r.check for r in report.results] == ["dns", "tcp", "tls", "http"]
    assert all(r.status is Status.PASS and r.reason == "ok" for r in report.results)
    assert stages["dns"].facts["cname_chain"] == [f"{HOST} -> edge.asrcheck.test"]
    assert stages["dns"].facts["addresses"][0]["class"] == "loopback"
    assert stages["tls"].facts["version"] in ("TLSv1.2", "TLSv1.3")
    assert stages["tls"].facts["chain"][0]["san"] == [f"DNS:{HOST}"]
    assert stages["http"].facts["status"] == 400
    assert stages["http"].facts["headers"]["x-ms-request-id"].startswith("test-")
    assert stages["tcp"].command.startswith(f"nc -vz {HOST} {tls.port}")
    assert tls.requests == ["HEAD / HTTP/1.1"]


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("nxdomain", "nxdomain"), ("servfail", "servfail"), ("refused", "dns-refused")],
)
def test_dns_failures_skip_later_stages(ctx_for: ContextFor, mode: str, reason: str) -> None:
    with DnsServer({HOST: ["127.0.0.1"]}, modes={HOST: mode}) as dns:
        report = run(plan_of(endpoint("e", HOST, 9)), ctx_for(dns))
    stages = by_check(report, "e")
    assert (stages["dns"].status, stages["dns"].reason) == (Status.FAIL, reason)
    for later in ("tcp", "tls", "http"):
        assert stages[later].status is Status.SKIP
        assert stages[later].reason == "skipped"
        assert "dns" in stages[later].detail


def test_dns_timeout_and_no_answer(ctx_for: ContextFor) -> None:
    with DnsServer(
        {"v6only.test": ["::1"], "quiet.test": ["127.0.0.1"]}, modes={"quiet.test": "drop"}
    ) as dns:
        plan = plan_of(
            endpoint("v6", "v6only.test", 9, address="any"),
            endpoint("q", "quiet.test", 9, timeout=1.0),
        )
        ctx = ctx_for(dns)
        report = run(plan, ctx)
    assert by_check(report, "q")["dns"].reason == "dns-timeout"
    # ::1 answers AAAA only; the A query gets NOERROR with no answer, which is fine
    assert by_check(report, "v6")["dns"].status is Status.PASS
    with DnsServer({"empty.test": ["cname:gone.test"], "gone.test": []}) as dns:
        report = run(plan_of(endpoint("n", "empty.test", 9)), ctx_for(dns))
    assert by_check(report, "n")["dns"].reason == "no-answer"


def test_address_expectations(ctx_for: ContextFor) -> None:
    with DnsServer({"pe.test": ["20.60.1.1"], "pub.test": ["127.0.0.1"]}) as dns:
        plan = plan_of(
            endpoint("pe", "pe.test", 9, address="private"),
            endpoint("pub", "pub.test", 9, address="public"),
        )
        report = run(plan, ctx_for(dns))
    assert by_check(report, "pe")["dns"].reason == "expected-private"
    assert by_check(report, "pe")["tcp"].status is Status.SKIP  # never connected
    assert by_check(report, "pub")["dns"].reason == "expected-public"


def test_tcp_refused_blackholed_and_reset(ctx_for: ContextFor) -> None:
    with DnsServer({"a.test": ["127.0.0.1"]}) as dns, Blackhole() as hole, ClosingServer() as rst:
        assert hole.verify(), "this kernel completes connects to a full backlog"
        plan = plan_of(
            endpoint(
                "refused", "a.test", refusing_port(), wildcard="*.a.test", service_tag="Tag.X"
            ),
            endpoint("hole", "a.test", hole.port, timeout=1.0),
            endpoint("rst", "a.test", rst.port),
        )
        report = run(plan, ctx_for(dns))
    refused = by_check(report, "refused")["tcp"]
    assert refused.reason == "refused"
    assert refused.hint.startswith("Something on the path actively rejects this port")
    assert "This host stands for *.a.test" in refused.hint
    assert "Allow service tag Tag.X" in refused.hint
    assert by_check(report, "hole")["tcp"].reason == "tcp-timeout"
    # Nothing waits for a reset after the connect: it is reported where it lands, by tcp when
    # it is there as the connect completes (always so in test_reset_at_connect.py), else by
    # tls as the cut handshake (Windows: 10054). Which one depends on the peer's speed here.
    reset = by_check(report, "rst")
    if reset["tcp"].status is Status.FAIL:
        assert reset["tcp"].reason == "reset"
        assert reset["tls"].status is Status.SKIP
    else:
        assert (reset["tls"].status, reset["tls"].reason) == (Status.FAIL, "tls-handshake")
        assert "10054" in reset["tls"].hint
    assert by_check(report, "hole")["tls"].detail == "not run: the tcp stage failed"


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("untrusted", "cert-untrusted"),
        ("expired", "cert-expired"),
        ("wrong-name", "cert-hostname-mismatch"),
    ],
)
def test_certificate_failures_show_the_presented_chain(
    pki: Pki, ctx_for: ContextFor, kind: str, reason: str
) -> None:
    with TlsServer(pki, kind, [HOST]) as tls, DnsServer({HOST: ["127.0.0.1"]}) as dns:
        report = run(plan_of(endpoint("e", HOST, tls.port)), ctx_for(dns))
    result = by_check(report, "e")["tls"]
    assert (result.status, result.reason) == (Status.FAIL, reason)
    assert len(result.facts["chain"][0]["sha256"]) == 64
    assert result.facts["verified"] is False
    if kind == "untrusted":
        assert result.facts["chain"][0]["issuer"]["O"] == "Contoso TLS Inspection"
        assert "TLS-inspecting" in result.hint
    assert by_check(report, "e")["http"].status is Status.SKIP


def test_tls_protocol_too_old(pki: Pki, ctx_for: ContextFor) -> None:
    why = legacy_tls_unavailable()
    if why:
        pytest.skip(why)
    with TlsServer(pki, "legacy", [HOST]) as tls, DnsServer({HOST: ["127.0.0.1"]}) as dns:
        report = run(plan_of(endpoint("e", HOST, tls.port)), ctx_for(dns))
    result = by_check(report, "e")["tls"]
    assert result.reason == "tls-protocol"
    assert result.facts["server_version"] in ("TLSv1", "TLSv1.1")
    assert "the server only offers TLSv1" in result.detail


def test_tls_reset_after_client_hello(ctx_for: ContextFor) -> None:
    with ClosingServer(after_read=True) as sni, DnsServer({HOST: ["127.0.0.1"]}) as dns:
        report = run(plan_of(endpoint("e", HOST, sni.port)), ctx_for(dns))
    assert by_check(report, "e")["tcp"].status is Status.PASS
    assert by_check(report, "e")["tls"].reason == "tls-handshake"


def test_tls_intercepted_warns(pki: Pki, ctx_for: ContextFor) -> None:
    with TlsServer(pki, "valid", [HOST]) as tls, DnsServer({HOST: ["127.0.0.1"]}) as dns:
        plan = plan_of(endpoint("e", HOST, tls.port, tls_issuers=("Microsoft", "DigiCert")))
        report = run(plan, ctx_for(dns))
    result = by_check(report, "e")["tls"]
    assert (result.status, result.reason) == (Status.WARN, "tls-intercepted")
    assert by_check(report, "e")["http"].status is Status.PASS
    assert report.verdict == "warn"


def test_http_get_when_head_refused_and_slow_answers(pki: Pki, ctx_for: ContextFor) -> None:
    with (
        TlsServer(pki, "valid", [HOST], HttpBehaviour(head_status=405)) as tls,
        TlsServer(pki, "valid", [HOST], HttpBehaviour(drip=0.5)) as slow,
        DnsServer({HOST: ["127.0.0.1"]}) as dns,
    ):
        plan = plan_of(
            endpoint("get", HOST, tls.port), endpoint("slow", HOST, slow.port, timeout=1.0)
        )
        report = run(plan, ctx_for(dns))
    assert by_check(report, "get")["http"].facts["method"] == "GET"
    assert tls.requests == ["HEAD / HTTP/1.1", "GET / HTTP/1.1"]
    assert by_check(report, "slow")["http"].reason == "http-timeout"


def test_http_error_when_the_server_hangs_up(pki: Pki, ctx_for: ContextFor) -> None:
    with (
        TlsServer(pki, "valid", [HOST], HttpBehaviour(hangup=True)) as tls,
        DnsServer({HOST: ["127.0.0.1"]}) as dns,
    ):
        report = run(plan_of(endpoint("e", HOST, tls.port)), ctx_for(dns))
    result = by_check(report, "e")["http"]
    assert (result.status, result.reason) == (Status.FAIL, "http-error")
    assert result.command == f"curl -I https://{HOST}:{tls.port}"


def test_ipv4_and_ipv6_are_reported_apart(pki: Pki, ctx_for: ContextFor) -> None:
    with TlsServer(pki, "valid", [HOST]) as tls, DnsServer({HOST: ["127.0.0.1", "::1"]}) as dns:
        with socket.socket(socket.AF_INET6) as v6:
            try:
                v6.bind(("::1", tls.port))  # bound, never listening: IPv6 connects are refused
            except OSError as error:
                pytest.skip(f"[::1]:{tls.port} is taken by another process: {error}")
            report = run(plan_of(endpoint("e", HOST, tls.port)), ctx_for(dns))
    stages = by_check(report, "e")
    tcp = stages["tcp"]
    assert {f: tcp.facts[f]["reason"] for f in ("ipv4", "ipv6")} == {
        "ipv4": "ok",
        "ipv6": "refused",
    }
    assert (tcp.status, tcp.reason) == (Status.WARN, "refused")
    assert "Only ipv4 works" in tcp.hint
    assert stages["http"].status is Status.PASS  # the chain goes on over IPv4


def test_system_resolver_reads_the_hosts_file(pki: Pki, ca_bundle: str) -> None:
    with TlsServer(pki, "valid", ["localhost"]) as tls:
        report = run(plan_of(endpoint("e", "localhost", tls.port)), Context(ca_bundle=ca_bundle))
    stages = by_check(report, "e")
    assert stages["dns"].facts["resolver"] == "system"
    assert stages["dns"].command == "nslookup localhost"
    assert stages["tls"].status is Status.PASS


def test_ip_literal_host_needs_no_lookup(pki: Pki, ctx_for: ContextFor) -> None:
    with TlsServer(pki, "valid", ["127.0.0.1"]) as tls, DnsServer({}) as dns:
        report = run(plan_of(endpoint("ip", "127.0.0.1", tls.port)), ctx_for(dns))
    stages = by_check(report, "ip")
    assert stages["dns"].facts["resolver"] == "none"
    assert all(r.status is Status.PASS for r in stages.values())
    assert dns.queries == []
