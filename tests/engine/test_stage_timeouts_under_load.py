"""A stage that times out is reported with its own timeout reason, also under load (#11).

Load is simulated by a step that blocks the event loop (as a starved CPU does) past the
stage timeouts: when the loop runs again, the stage's own timeout, the engine's cut-off
and the run's deadline are all due at once. The engine used to report the generic
`timeout` (or `deadline`) instead of `tcp-timeout` / `dns-timeout`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import pytest

from runner import registry
from runner.context import Context
from runner.kinds.base import Probe, StageOutcome, StepOutcome
from runner.model import Step
from runner.reasons import REASONS
from runner.results import Status
from tests.helpers.engine import by_check, endpoint, plan_of, run
from tests.peers.dns import DnsServer
from tests.peers.tcp import Blackhole

#: How long the busy step holds the event loop: well past every stage timeout below.
BUSY_S = 2.5


class _Busy:
    """A step that, once the stages are under way, blocks the event loop for BUSY_S."""

    SUMMARY = "blocks the event loop like a starved CPU"
    PARAMS_SCHEMA: Mapping[str, Any] = {"type": "object"}

    async def run(self, step: Step, ctx: Context) -> list[StepOutcome]:
        await asyncio.sleep(0.2)
        time.sleep(BUSY_S)  # the point: nothing else runs meanwhile
        return [StepOutcome("busy", Status.PASS, "ok", "held the loop")]


BUSY = (Step(id="busy", kind="busy", timeout=30),)


@pytest.fixture
def busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.STEPS, "busy", _Busy())


@pytest.mark.usefixtures("busy")
def test_a_tcp_timeout_stays_tcp_timeout_when_the_loop_was_busy() -> None:
    with Blackhole() as hole:
        assert hole.verify()
        plan = plan_of(
            endpoint("hole", "127.0.0.1", hole.port, chain=("tcp",), timeout=0.5), steps=BUSY
        )
        report = run(plan, Context())
    tcp = by_check(report, "hole")["tcp"]
    assert (tcp.status, tcp.reason) == (Status.FAIL, "tcp-timeout"), tcp.detail
    assert not report.deadline_hit


@pytest.mark.usefixtures("busy")
def test_a_dns_timeout_stays_dns_timeout_when_the_loop_was_busy() -> None:
    with DnsServer(mode="drop") as dns:
        plan = plan_of(endpoint("quiet", "quiet.test", chain=("dns",), timeout=0.5), steps=BUSY)
        report = run(plan, Context(dns_servers=(dns.address,)))
    lookup = by_check(report, "quiet")["dns"]
    assert (lookup.status, lookup.reason) == (Status.FAIL, "dns-timeout"), lookup.detail


@pytest.mark.usefixtures("busy")
def test_a_stage_past_its_timeout_at_the_deadline_keeps_its_reason() -> None:
    """The deadline falls while the loop is busy: the stage had timed out before it."""
    with Blackhole() as hole:
        plan = plan_of(
            endpoint("hole", "127.0.0.1", hole.port, chain=("tcp", "tls"), timeout=0.5),
            steps=BUSY,
            deadline=1.2,
        )
        report = run(plan, Context())
    found = by_check(report, "hole")
    assert (found["tcp"].status, found["tcp"].reason) == (Status.FAIL, "tcp-timeout")
    assert found["tls"].status is Status.SKIP


class _Stuck:
    """A stage whose own timeout never fires (blocking work that ignores it)."""

    SUMMARY = "never answers"
    TIMEOUT_REASON = "tcp-timeout"

    async def run(self, probe: Probe, ctx: Context) -> StageOutcome:
        await asyncio.sleep(60)
        raise AssertionError("not reached")


def test_a_stage_cut_off_by_the_engine_gets_its_own_timeout_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(registry.STAGES, "stuck", _Stuck())
    plan = plan_of(endpoint("s", "x.test", chain=("stuck",), timeout=0.2))
    result = by_check(run(plan, Context()), "s")["stuck"]
    assert (result.status, result.reason) == (Status.FAIL, "tcp-timeout")
    assert "0.2s" in result.detail


@pytest.mark.parametrize("name", sorted(registry.STAGES))
def test_every_stage_names_a_timeout_reason_of_its_own(name: str) -> None:
    reason = registry.STAGES[name].TIMEOUT_REASON
    assert REASONS[reason].stage == name
