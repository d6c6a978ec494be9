"""Engine test helpers: plan builders, a recording sink and a synchronous run."""

from __future__ import annotations

import asyncio

from runner.engine.run import run_plan
from runner.model import Endpoint, Plan, Section


class ListSink:
    """Records every event."""

    def __init__(self):
        self.info = None
        self.results = []
        self.report = None

    def started(self, info):
        self.info = info

    def result(self, result):
        self.results.append(result)

    def finished(self, report):
        self.report = report


def endpoint(id_, host, port=443, **kw):
    return Endpoint(id=id_, host=host, port=port, purpose=f"test {id_}", **kw)


def plan_of(*endpoints, sections=(), routes=("default",), **kw):
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


def run(plan, ctx, **kw):
    sink = ListSink()
    report = asyncio.run(asyncio.wait_for(run_plan(plan, ctx, sink, **kw), 60))
    assert sink.report is report
    return report


def by_check(report, endpoint_id, route_kind=None):
    return {
        r.check: r
        for r in report.results
        if r.endpoint == endpoint_id and (route_kind is None or r.route.kind == route_kind)
    }


__all__ = ["ListSink", "Section", "by_check", "endpoint", "plan_of", "run"]
