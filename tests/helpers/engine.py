"""Engine test helpers: plan builders, a recording sink and a synchronous run."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, Callable

from runner.context import Context
from runner.engine.run import run_plan
from runner.events import RunInfo, RunReport
from runner.model import Endpoint, Plan, Section
from runner.results import CheckResult, Route

#: The `ctx_for` fixture: a `Context` that asks this DNS server and trusts the test PKI.
ContextFor = Callable[..., Context]


class ListSink:
    """Records every event."""

    def __init__(self) -> None:
        self.info: RunInfo | None = None
        self.results: list[CheckResult] = []
        self.report: RunReport | None = None

    def started(self, info: RunInfo) -> None:
        self.info = info

    def result(self, result: CheckResult) -> None:
        self.results.append(result)

    def finished(self, report: RunReport) -> None:
        self.report = report


def endpoint(id_: str, host: str, port: int = 443, **kw: Any) -> Endpoint:
    return Endpoint(id=id_, host=host, port=port, purpose=f"test {id_}", **kw)


def plan_of(
    *endpoints: Endpoint,
    sections: Iterable[Section] = (),
    routes: tuple[str, ...] = ("default",),
    **kw: Any,
) -> Plan:
    return Plan(
        name="test-plan",
        version="1",
        scenario="test",
        description="engine test plan",
        source="tests",
        variables={"region": "westeurope", "token": "sekret-value"},
        secret_vars=frozenset({"token"}),
        sections=tuple(sections),
        endpoints=tuple(endpoints),
        steps=kw.pop("steps", ()),
        routes=routes,
        **kw,
    )


def run(plan: Plan, ctx: Context, **kw: Any) -> RunReport:
    sink = ListSink()
    report = asyncio.run(asyncio.wait_for(run_plan(plan, ctx, sink, **kw), 60))
    assert sink.report is report
    return report


def by_check(
    report: RunReport, endpoint_id: str, route_kind: str | None = None
) -> dict[str, CheckResult]:
    return {
        r.check: r
        for r in report.results
        if r.endpoint == endpoint_id
        and (route_kind is None or (r.route is not None and r.route.kind == route_kind))
    }


def route_of(result: CheckResult) -> Route:
    """The route of an endpoint's result (every one has a route)."""
    assert result.route is not None, result
    return result.route


__all__ = [
    "ContextFor",
    "ListSink",
    "Section",
    "by_check",
    "endpoint",
    "plan_of",
    "route_of",
    "run",
]
