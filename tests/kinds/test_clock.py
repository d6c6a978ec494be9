"""The clock step against a real loopback HTTPS server with a skewed Date header."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from runner.context import Context, ProxySetting
from runner.kinds.base import StepOutcome
from runner.kinds.steps import clock
from runner.model import Step
from runner.results import Status
from tests.peers.date_server import date_server


def run_clock(port: int, bundle: str | None, **params: object) -> StepOutcome:
    step = Step(id="clock", kind="clock", params={"host": "127.0.0.1", "port": port, **params})
    context = Context(ca_bundle=bundle, timeout_override=5)
    (outcome,) = asyncio.run(clock.run(step, context))
    return outcome


def test_clock_in_sync_passes(tmp_path: Path) -> None:
    with date_server(tmp_path, skew=0) as (port, bundle):
        outcome = run_clock(port, bundle)
    assert (outcome.status, outcome.reason) == (Status.PASS, "ok")
    assert abs(outcome.facts["skew_seconds"]) < 30
    assert outcome.command.startswith("curl -sI https://127.0.0.1:")


def test_clock_minutes_behind_the_server_fails(tmp_path: Path) -> None:
    with date_server(tmp_path, skew=600) as (port, bundle):
        outcome = run_clock(port, bundle)
    assert (outcome.status, outcome.reason) == (Status.FAIL, "clock-skew")
    assert 500 < -outcome.facts["skew_seconds"] < 700
    assert "behind" in outcome.detail


def test_clock_a_little_ahead_warns(tmp_path: Path) -> None:
    with date_server(tmp_path, skew=-200) as (port, bundle):
        outcome = run_clock(port, bundle)
    assert (outcome.status, outcome.reason) == (Status.WARN, "clock-skew")
    assert "ahead of" in outcome.detail


def test_thresholds_come_from_the_plan(tmp_path: Path) -> None:
    with date_server(tmp_path, skew=200) as (port, bundle):
        outcome = run_clock(port, bundle, warn_after=1000, fail_after=2000)
    assert outcome.status is Status.PASS


def test_untrusted_certificate_is_not_judged(tmp_path: Path) -> None:
    with date_server(tmp_path, skew=0) as (port, _bundle):
        outcome = run_clock(port, None)  # system trust store: the test CA is unknown
    assert (outcome.status, outcome.reason) == (Status.WARN, "http-error")
    assert "clock not checked" in outcome.detail


def test_missing_date_header(tmp_path: Path) -> None:
    with date_server(tmp_path, skew=0, send_date=False) as (port, bundle):
        outcome = run_clock(port, bundle)
    assert (outcome.status, outcome.reason) == (Status.WARN, "http-error")
    assert "no Date header" in outcome.detail


def test_closed_port_is_not_judged() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcome = run_clock(port, None)
    assert outcome.status is Status.WARN
    assert outcome.reason in ("http-error", "http-timeout")


def test_proxy_choice_follows_the_default_route() -> None:
    env = ProxySetting("http://env.example:3128", "env", (".example.net",))
    cli = ProxySetting("http://cli.example:3128", "cli")
    assert clock.proxy_for("login.example.com", Context(env_proxy=env)) is env
    assert clock.proxy_for("login.example.net", Context(env_proxy=env)) is None
    assert clock.proxy_for("login.example.net", Context(env_proxy=env, cli_proxy=cli)) is cli
    assert clock.proxy_for("x", Context(cli_proxy=cli, force_direct=True)) is None


#: Date headers no clock can be judged against (issue #11: they gave internal-error).
UNUSABLE_DATES = {
    "garbage": "not a date at all",
    "year-99999": "Mon, 01 Jan 99999 00:00:00 GMT",
    "far-offset": "Mon, 01 Jan 2001 00:00:00 +9999",
    "day-32": "Mon, 32 Jan 2026 00:00:00 GMT",
    "escape": "\x1b[2J\x1b]0;owned\x07PASS  dns  forged",
}


@pytest.mark.parametrize("kind", sorted(UNUSABLE_DATES))
def test_an_unusable_date_header_is_a_finding(tmp_path: Path, kind: str) -> None:
    header = UNUSABLE_DATES[kind]
    with date_server(tmp_path, skew=0, raw_date=header) as (port, bundle):
        outcome = run_clock(port, bundle)
    assert (outcome.status, outcome.reason) == (Status.WARN, "finding")
    assert "not a valid HTTP date" in outcome.detail and "clock not checked" in outcome.detail
    assert "\x1b" not in outcome.detail and "\x07" not in outcome.detail
    assert outcome.facts["server_date"] == header  # the exact value, for the JSON report


def test_a_date_years_off_is_clock_skew(tmp_path: Path) -> None:
    with date_server(tmp_path, skew=0, raw_date="Mon, 01 Jan 2001 00:00:00 GMT") as (port, bundle):
        outcome = run_clock(port, bundle)
    assert (outcome.status, outcome.reason) == (Status.FAIL, "clock-skew")
    assert outcome.facts["skew_seconds"] > 20 * 365 * 86400
    assert "ahead of" in outcome.detail


def test_a_huge_date_header_is_cut_in_the_detail(tmp_path: Path) -> None:
    header = "Mon, 01 Jan 2001 00:00:00 GMT" + " x" * 3000
    with date_server(tmp_path, skew=0, raw_date=header) as (port, bundle):
        outcome = run_clock(port, bundle)
    assert outcome.reason == "clock-skew"  # the date before the junk is read
    assert len(outcome.detail) < 400
    assert outcome.facts["server_date"] == header
