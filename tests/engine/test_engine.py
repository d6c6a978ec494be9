"""Engine behaviour: deadline, stop, the catch-all, disabled items, plan order and streaming."""

from __future__ import annotations

import asyncio
from types import MappingProxyType

import pytest

from runner import registry
from runner.context import Context
from runner.engine.run import run_plan
from runner.events import RunReport
from runner.kinds.base import Probe, StageOutcome, StepOutcome
from runner.model import Section, Step
from runner.results import Status
from tests.helpers.engine import ContextFor, ListSink, by_check, endpoint, plan_of, run
from tests.peers.dns import DnsServer
from tests.peers.tcp import Blackhole
from tests.peers.tls import Pki, TlsServer


def test_blackholed_plan_finishes_inside_its_deadline(ctx_for: ContextFor) -> None:
    with DnsServer({"a.test": ["127.0.0.1"]}) as dns, Blackhole() as hole:
        # Stage timeouts of 600 s: without the deadline, `run` (bounded at 60 s) would fail.
        endpoints = [endpoint(f"e{i}", "a.test", hole.port, timeout=600.0) for i in range(6)]
        plan = plan_of(*endpoints, deadline=1.5, concurrency=2)
        report = run(plan, ctx_for(dns))
    assert report.deadline_hit and not report.interrupted
    assert {r.reason for r in report.results if r.check == "tcp"} == {"deadline"}
    running = [r for r in report.results if r.check == "tcp" and r.status is Status.ERROR]
    assert len(running) == 2  # the two started checks; the others waited for a slot
    assert report.verdict == "fail"
    assert len(report.results) == 6 * 4


class _Broken:
    SUMMARY = "raises"

    async def run(self, probe: Probe, ctx: Context) -> StageOutcome:
        raise RuntimeError(f"kaboom for {probe.endpoint.id}")


class _Fine:
    SUMMARY = "passes"

    async def run(self, probe: Probe, ctx: Context) -> StageOutcome:
        return StageOutcome(status=Status.PASS, reason="ok", detail="fine", state={"x": 1})


def test_exception_in_one_kind_is_an_error_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.STAGES, "broken", _Broken())
    monkeypatch.setitem(registry.STAGES, "fine", _Fine())
    plan = plan_of(
        endpoint("bad", "x.test", chain=("fine", "broken", "fine")),
        endpoint("good", "y.test", chain=("fine", "fine")),
    )
    report = run(plan, Context())
    bad = [r for r in report.results if r.endpoint == "bad"]
    assert [(r.status, r.reason) for r in bad] == [
        (Status.PASS, "ok"),
        (Status.ERROR, "internal-error"),
        (Status.SKIP, "skipped"),
    ]
    assert bad[1].detail == "RuntimeError: kaboom for bad"
    assert "Report it with the log file" in bad[1].hint
    assert all(r.status is Status.PASS for r in report.results if r.endpoint == "good")


class _Sleepy:
    SUMMARY = "sleeps"

    async def run(self, probe: Probe, ctx: Context) -> StageOutcome:
        await asyncio.sleep(60)
        raise AssertionError("the engine cuts a stage off at its timeout")


def test_stage_timeout_and_stop_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.STAGES, "sleepy", _Sleepy())
    plan = plan_of(endpoint("s", "x.test", chain=("sleepy",), timeout=0.1))
    assert by_check(run(plan, Context()), "s")["sleepy"].reason == "timeout"

    async def interrupt() -> tuple[RunReport, ListSink]:
        stop = asyncio.Event()
        sink = ListSink()
        slow = plan_of(endpoint("s", "x.test", chain=("sleepy", "sleepy"), timeout=30))
        task = asyncio.ensure_future(run_plan(slow, Context(), sink, stop=stop))
        await asyncio.sleep(0.2)
        stop.set()
        return await asyncio.wait_for(task, 10), sink

    report, sink = asyncio.run(interrupt())
    assert report.interrupted and report.verdict == "interrupted"
    assert [(r.status, r.reason) for r in report.results] == [(Status.SKIP, "interrupted")] * 2
    assert sink.report is report


def test_disabled_items_are_skipped_with_their_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.STAGES, "fine", _Fine())
    chain = ("fine",)
    plan = plan_of(
        endpoint("off", "a.test", chain=chain, section="keyvault"),
        endpoint("na", "b.test", chain=chain, enabled=False, skip_reason="not-applicable"),
        endpoint(
            "mi",
            "c.test",
            chain=chain,
            enabled=False,
            skip_reason="missing-input: set storage_account",
        ),
        endpoint("on", "d.test", chain=chain),
        sections=(Section("keyvault", "Key Vault", enabled=False, why="default"),),
        steps=(Step(id="ntp", kind="ntp", enabled=False, skip_reason="skipped: no time server"),),
    )
    report = run(plan, Context())
    got = [(r.step or r.endpoint, r.status.value, r.reason, r.detail) for r in report.results]
    assert got == [
        ("ntp", "skip", "skipped", "no time server"),
        ("off", "skip", "skipped", "section keyvault is off (default)"),
        (
            "na",
            "skip",
            "not-applicable",
            "Not run: not documented for this cloud or configuration.",
        ),
        ("mi", "skip", "missing-input", "set storage_account"),
        ("on", "pass", "ok", "fine"),
    ]
    assert report.verdict == "pass"


def test_results_stream_as_they_finish_and_report_in_plan_order(
    pki: Pki, ctx_for: ContextFor
) -> None:
    with (
        TlsServer(pki, "valid", ["fast.test"]) as tls,
        DnsServer(
            {"fast.test": ["127.0.0.1"], "slow.test": ["127.0.0.1"]}, modes={"slow.test": "drop"}
        ) as dns,
    ):
        sink = ListSink()
        plan = plan_of(
            endpoint("slow", "slow.test", 9, timeout=5.0), endpoint("fast", "fast.test", tls.port)
        )
        report = asyncio.run(run_plan(plan, ctx_for(dns), sink))
    assert [r.endpoint for r in report.results] == ["slow"] * 4 + ["fast"] * 4
    assert sink.results[0].endpoint == "fast"  # finished first, streamed first
    assert sink.info is not None and sink.info.plan is plan


class _Steps:
    SUMMARY = "test step"
    PARAMS_SCHEMA = MappingProxyType({"type": "object"})

    async def run(self, step: Step, ctx: Context) -> list[StepOutcome]:
        behaviour = step.params["do"]
        if behaviour == "raise":
            raise ValueError("bad input")
        if behaviour == "hang":
            await asyncio.sleep(60)
        if behaviour == "nothing":
            return []
        return [
            StepOutcome("info:a", Status.PASS, "collected", "first"),
            StepOutcome("info:b", Status.WARN, "finding", "second", hint="Fix b."),
        ]


def test_steps_share_the_catch_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.STEPS, "teststep", _Steps())
    steps = tuple(
        Step(id=f"s-{do}", kind="teststep", params={"do": do}, timeout=0.1)
        for do in ("two", "raise", "hang", "nothing")
    )
    report = run(plan_of(steps=steps), Context())
    got = [(r.step, r.check, r.status, r.reason) for r in report.results]
    assert got == [
        ("s-two", "info:a", Status.PASS, "collected"),
        ("s-two", "info:b", Status.WARN, "finding"),
        ("s-raise", "teststep", Status.ERROR, "internal-error"),
        ("s-hang", "teststep", Status.FAIL, "timeout"),
        ("s-nothing", "teststep", Status.ERROR, "internal-error"),
    ]
    assert report.results[1].hint == "Fix b."
    assert report.results[2].detail == "ValueError: bad input"
