"""Private-endpoint names judged against a real DNS server on loopback: the healthy CNAME
chain into the privatelink zone, a public answer, a loopback answer and a missing CNAME.

The endpoints stop at the dns stage, so no private or public address is ever connected to.
"""

from __future__ import annotations

from collections.abc import Callable

from runner.context import Context
from runner.model import Endpoint
from runner.results import CheckResult, Status
from tests.helpers.engine import by_check, endpoint, plan_of, run
from tests.peers.dns import DnsServer

ZONE = "privatelink.siterecovery.windowsazure.com"
PUBLIC_NAME = "1234567-asr-pod01-rcm1.jpw.siterecovery.windowsazure.com"
PRIVATE_NAME = "1234567-asr-pod01-rcm1.jpw.privatelink.siterecovery.windowsazure.com"
CtxFor = Callable[..., Context]


def _endpoint(id_: str, host: str) -> Endpoint:
    return endpoint(id_, host, 443, address="private", cname_into=ZONE, chain=("dns",))


def _dns(zone: dict[str, list[str]], ctx_for: CtxFor, host: str = PUBLIC_NAME) -> CheckResult:
    with DnsServer(zone) as dns:
        report = run(plan_of(_endpoint("pe", host)), ctx_for(dns))
    return by_check(report, "pe")["dns"]


def test_healthy_chain_into_the_privatelink_zone_to_a_private_address(ctx_for: CtxFor) -> None:
    for address in ("10.1.2.4", "100.64.0.9", "fd00::4"):
        zone = {PUBLIC_NAME: [f"cname:{PRIVATE_NAME}"], PRIVATE_NAME: [address]}
        result = _dns(zone, ctx_for)
        assert (result.status, result.reason) == (Status.PASS, "ok"), result.detail
        assert PRIVATE_NAME in result.detail and address in result.detail


def test_a_public_final_answer_is_a_failure_showing_the_chain(ctx_for: CtxFor) -> None:
    zone = {
        PUBLIC_NAME: [f"cname:{PRIVATE_NAME}"],
        PRIVATE_NAME: ["cname:asr-frontend.cloudapp.test"],
        "asr-frontend.cloudapp.test": ["20.43.1.1"],
    }
    result = _dns(zone, ctx_for)
    assert (result.status, result.reason) == (Status.FAIL, "expected-private")
    assert f"{PUBLIC_NAME} -> {PRIVATE_NAME}" in result.detail
    assert "20.43.1.1 (public)" in result.detail


def test_a_loopback_answer_is_not_a_private_endpoint(ctx_for: CtxFor) -> None:
    zone = {PUBLIC_NAME: [f"cname:{PRIVATE_NAME}"], PRIVATE_NAME: ["127.0.0.1"]}
    result = _dns(zone, ctx_for)
    assert (result.status, result.reason) == (Status.FAIL, "not-endpoint-address")
    assert "127.0.0.1 (loopback)" in result.detail and PRIVATE_NAME in result.detail


def test_a_link_local_answer_is_not_a_private_endpoint(ctx_for: CtxFor) -> None:
    for address in ("169.254.10.1", "fe80::1"):
        zone = {PUBLIC_NAME: [f"cname:{PRIVATE_NAME}"], PRIVATE_NAME: [address]}
        result = _dns(zone, ctx_for)
        assert (result.status, result.reason) == (Status.FAIL, "not-endpoint-address")
        assert f"{address} (link-local)" in result.detail


def test_a_private_answer_without_the_privatelink_cname_fails(ctx_for: CtxFor) -> None:
    result = _dns({PUBLIC_NAME: ["10.1.2.4"]}, ctx_for)
    assert (result.status, result.reason) == (Status.FAIL, "no-privatelink-cname")
    assert "without a CNAME into " + ZONE in result.detail
    assert "CNAME chain: no CNAME" in result.detail


def test_the_hint_names_the_zone_advice_of_the_endpoint(ctx_for: CtxFor) -> None:
    advice = "Link this VNet to the privatelink zone."
    with DnsServer({PUBLIC_NAME: ["10.1.2.4"]}) as dns:
        pe = endpoint(
            "pe", PUBLIC_NAME, 443, address="private", cname_into=ZONE, chain=("dns",), hint=advice
        )
        report = run(plan_of(pe), ctx_for(dns))
    result = by_check(report, "pe")["dns"]
    assert advice in result.hint.splitlines()


def test_a_check_by_hand_is_one_visible_result(ctx_for: CtxFor) -> None:
    manual = endpoint(
        "sb",
        "*.servicebus.usgovcloudapi.net",
        443,
        enabled=False,
        skip_reason="manual-check: check *.servicebus.usgovcloudapi.net by hand",
        wildcard="*.servicebus.usgovcloudapi.net",
        service_tag="EventHub",
    )
    with DnsServer({}) as dns:
        report = run(plan_of(manual, routes=("default", "agent")), ctx_for(dns))
        asked = list(dns.queries)
    results = [r for r in report.results if r.endpoint == "sb"]
    assert [(r.check, r.status, r.reason) for r in results] == [
        ("manual", Status.SKIP, "manual-check")
    ]
    assert results[0].detail == "check *.servicebus.usgovcloudapi.net by hand"
    assert "Allow service tag EventHub (TCP 443)." in results[0].hint.splitlines()
    assert asked == []


def test_the_system_resolver_judges_by_the_canonical_name(ca_bundle: str) -> None:
    """Without --dns-server the chain's end is the canonical name getaddrinfo reports:
    `localhost` (hosts file) is neither under the zone nor a private endpoint's address."""
    report = run(plan_of(_endpoint("pe", "localhost")), Context(ca_bundle=ca_bundle))
    result = by_check(report, "pe")["dns"]
    assert (result.status, result.reason) == (Status.FAIL, "not-endpoint-address")
    assert result.facts["resolver"] == "system"
    assert str(result.facts["canonical_name"]).startswith("localhost")
    assert "loopback" in result.detail
