"""The `ntp` step kind against a real SNTP server on loopback."""

from __future__ import annotations

import asyncio
from typing import Any

import jsonschema
import pytest

from runner import registry
from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.steps import ntp
from runner.model import Step
from runner.results import Status
from tests.peers.dns import DnsServer
from tests.peers.sntp import sntp_server


def _run(params: dict[str, Any], ctx: Context | None = None) -> StepOutcome:
    step = Step(id="time-sync", kind="ntp", params=params)
    outcomes = asyncio.run(asyncio.wait_for(ntp.run(step, ctx or Context()), 30))
    assert len(outcomes) == 1
    return outcomes[0]


def test_registered_as_a_step_kind() -> None:
    assert registry.STEPS["ntp"] is ntp
    assert "ntp" in registry.step_names()


def test_in_sync_server_passes_with_offset_and_stratum() -> None:
    with sntp_server(stratum=3) as server:
        outcome = _run({"server": "127.0.0.1", "port": server.port, "timeout": 5})
    assert (outcome.status, outcome.reason) == (Status.PASS, "ok")
    assert outcome.facts["stratum"] == 3
    assert abs(outcome.facts["offset_s"]) < 60
    assert outcome.facts["address"] == "127.0.0.1"
    assert outcome.facts["attempts"] == 1
    assert outcome.check == "ntp:127.0.0.1"
    assert "stratum 3" in outcome.detail
    assert "127.0.0.1" in outcome.command


@pytest.mark.parametrize("skew", [1000.0, -1000.0])
def test_skewed_clock_is_clock_skew(skew: float) -> None:
    with sntp_server(skew=skew) as server:
        params = {"server": "127.0.0.1", "port": server.port, "timeout": 5, "max_offset": 300}
        outcome = _run(params)
    assert (outcome.status, outcome.reason) == (Status.FAIL, "clock-skew")
    # The server is `skew` ahead, so this machine's clock is `skew` behind it.
    assert abs(outcome.facts["offset_s"] - skew) < 60
    assert outcome.facts["max_offset_s"] == 300
    assert ("behind" if skew > 0 else "ahead of") in outcome.detail


def test_skew_under_the_threshold_passes() -> None:
    with sntp_server(skew=120.0) as server:
        params = {"server": "127.0.0.1", "port": server.port, "timeout": 5, "max_offset": 900}
        outcome = _run(params)
    assert (outcome.status, outcome.reason) == (Status.PASS, "ok")
    assert 60 < outcome.facts["offset_s"] < 180


def test_silent_server_is_ntp_timeout() -> None:
    with sntp_server(silent=True) as server:
        outcome = _run({"server": "127.0.0.1", "port": server.port, "timeout": 0.5})
        requests = server.requests
    assert (outcome.status, outcome.reason) == (Status.FAIL, "ntp-timeout")
    assert requests == ntp.ATTEMPTS
    assert f"UDP {server.port}" in outcome.detail


def test_one_lost_datagram_is_retried() -> None:
    with sntp_server(drop_first=1) as server:
        outcome = _run({"server": "127.0.0.1", "port": server.port, "timeout": 2})
        requests = server.requests
    assert (outcome.status, outcome.reason) == (Status.PASS, "ok")
    assert outcome.facts["attempts"] == 2
    assert requests == 2


def test_unsynchronized_server_is_a_finding() -> None:
    with sntp_server(stratum=0, leap=3) as server:
        outcome = _run({"server": "127.0.0.1", "port": server.port, "timeout": 5})
    assert (outcome.status, outcome.reason) == (Status.WARN, "finding")
    assert "not synchronized" in outcome.detail


def test_timeout_override_applies() -> None:
    with sntp_server(silent=True) as server:
        ctx = Context(timeout_override=0.3)
        outcome = _run({"server": "127.0.0.1", "port": server.port, "timeout": 60}, ctx)
    assert outcome.reason == "ntp-timeout"
    assert "0.3s" in outcome.detail


def test_reply_to_another_request_is_ignored() -> None:
    sent = ntp.to_ntp(1_700_000_000.0)
    with sntp_server() as server:
        reply = server.answer(ntp.build_request(1_700_000_000.0))
    assert ntp.parse_reply(reply, {sent}) is not None
    assert ntp.parse_reply(reply, {sent + 1}) is None
    assert ntp.parse_reply(reply[:20], {sent}) is None


def test_timestamps_round_trip() -> None:
    assert abs(ntp.from_ntp(ntp.to_ntp(1_764_000_000.25)) - 1_764_000_000.25) < 1e-6


@pytest.mark.parametrize(
    ("params", "valid"),
    [
        ({"server": "time.windows.com"}, True),
        ({"server": "time.nist.gov", "port": 123, "timeout": 3, "max_offset": 900}, True),
        ({}, False),
        ({"server": "time.windows.com", "port": 0}, False),
        ({"server": "time.windows.com", "max_offset": 0}, False),
        ({"server": "time.windows.com", "colour": "red"}, False),
    ],
)
def test_params_schema(params: dict[str, Any], valid: bool) -> None:
    validator = jsonschema.Draft202012Validator(ntp.PARAMS_SCHEMA)
    assert validator.is_valid(params) is valid


def test_server_name_resolves_through_the_dns_server_option() -> None:
    zone = {"time.windows.com": ["127.0.0.1"]}
    with DnsServer(zone) as dns_server, sntp_server() as server:
        ctx = Context(dns_servers=(dns_server.address,))
        outcome = _run({"server": "time.windows.com", "port": server.port, "timeout": 5}, ctx)
        asked = list(dns_server.queries)
    assert (outcome.status, outcome.reason) == (Status.PASS, "ok")
    assert outcome.facts["address"] == "127.0.0.1"
    assert outcome.check == "ntp:time.windows.com"
    assert "time.windows.com" in outcome.command
    assert any("time.windows.com" in str(name) for name in asked)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("nxdomain", "nxdomain"),
        ("servfail", "servfail"),
        ("refused", "dns-refused"),
        ("drop", "dns-timeout"),
    ],
)
def test_dns_failures_are_reported_without_sending_ntp(mode: str, reason: str) -> None:
    zone = {"time.windows.com": ["127.0.0.1"]}
    with DnsServer(zone, mode=mode) as dns_server, sntp_server() as server:
        ctx = Context(dns_servers=(dns_server.address,))
        params = {"server": "time.windows.com", "port": server.port, "timeout": 1}
        outcome = _run(params, ctx)
        requests = server.requests
    assert (outcome.status, outcome.reason) == (Status.FAIL, reason)
    assert requests == 0


def test_name_without_ipv4_is_no_answer() -> None:
    zone = {"time.windows.com": ["::1"]}
    with DnsServer(zone) as dns_server:
        ctx = Context(dns_servers=(dns_server.address,))
        outcome = _run({"server": "time.windows.com", "timeout": 2}, ctx)
    assert (outcome.status, outcome.reason) == (Status.FAIL, "no-answer")
