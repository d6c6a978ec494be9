"""A new kind is a module and a registry line: where its results go (the console's column
order, the routes it runs on, the firewall advice, the support log section) is what the
kind declares, with no list of names to edit in the engine or the outputs."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Mapping
from typing import Any

import pytest

from runner import registry
from runner.context import Context
from runner.engine import jobs, routing
from runner.engine.run import run_plan
from runner.events import FanOut
from runner.kinds.base import Probe, StageKind, StageOutcome, StepKind, StepOutcome
from runner.model import Step
from runner.outputs.console import ConsoleSink
from runner.outputs.supportlog import sections
from runner.results import Route, Status
from tests.helpers.engine import ListSink, endpoint, plan_of
from tests.peers.dns import DnsServer
from tests.peers.tcp import ClosingServer

HOST = "banner.asrcheck.test"


class _Banner:
    """Says hello and reads the endpoint's answer: a stage no list in runner/ names."""

    SUMMARY = "Say hello and read the answer."
    ORDER = 15  # between dns and tcp
    ROUTES = "direct"
    FIREWALL_ADVICE = True
    TIMEOUT_REASON = "tcp-timeout"

    async def run(self, probe: Probe, ctx: Context) -> StageOutcome:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", probe.endpoint.port)
            writer.write(b"hello\n")
            greeting = await asyncio.wait_for(reader.read(100), probe.timeout)
            writer.close()
        except ConnectionResetError:
            greeting = b""
        if greeting:
            return StageOutcome(Status.PASS, "ok", f"greeted with {greeting!r}")
        return StageOutcome(Status.FAIL, "reset", "reset before any answer")


class _Inventory:
    """A step kind that goes in the support log's clock section, as it declares."""

    SUMMARY = "Count the plan's endpoints."
    LOG_SECTION = "Clock"

    def __init__(self) -> None:
        self.PARAMS_SCHEMA: Mapping[str, Any] = {"type": "object"}

    async def run(self, step: Step, ctx: Context) -> list[StepOutcome]:
        return [StepOutcome("inventory", Status.PASS, "collected", "1 endpoint")]


#: mypy checks that the new kinds satisfy the protocols.
BANNER: StageKind = _Banner()
INVENTORY: StepKind = _Inventory()


@pytest.fixture
def new_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.STAGES, "banner", BANNER)
    monkeypatch.setitem(registry.STEPS, "inventory", INVENTORY)


@pytest.mark.usefixtures("new_kinds")
def test_a_new_kind_takes_the_places_it_declares(ctx_for: Any) -> None:
    out = io.StringIO()
    with ClosingServer(after_read=True) as server, DnsServer({HOST: ["127.0.0.1"]}) as dns:
        checked = endpoint(
            "e", HOST, server.port, chain=("dns", "tcp", "banner"), service_tag="AzureCloud"
        )
        plan = plan_of(checked, steps=(Step(id="count", kind="inventory"),), routes=("default",))
        sinks = FanOut([ListSink(), ConsoleSink(out)])
        report = asyncio.run(asyncio.wait_for(run_plan(plan, ctx_for(dns), sinks), 60))
    results = {r.check: r for r in report.results}
    assert [r.check for r in report.results if r.endpoint] == ["dns", "tcp", "banner"]
    assert (results["banner"].status, results["banner"].reason) == (Status.FAIL, "reset")
    assert f"Allow service tag AzureCloud (TCP {server.port})." in results["banner"].hint
    lines = [line.strip() for line in out.getvalue().splitlines()]
    header = next(line for line in lines if line.startswith("endpoint "))
    assert header.split() == ["endpoint", "route", "dns", "banner", "tcp"]
    assert sections.section_of(plan, results["inventory"]) == 5
    assert "1 endpoint" in sections.step_section(5, plan, report.results)


@pytest.mark.usefixtures("new_kinds")
def test_a_new_direct_only_stage_is_left_out_through_a_proxy() -> None:
    checked = endpoint("e", HOST, 443, chain=("dns", "banner", "tcp", "tls"))
    proxy = routing.RoutePlan(Route(kind="proxy", proxy="http://127.0.0.1:3128", source="cli"))
    direct = routing.RoutePlan(Route(kind="direct"))
    assert jobs.chain_for(checked, proxy) == ["proxy", "tls"]
    assert jobs.chain_for(checked, direct) == ["dns", "banner", "tcp", "tls"]
