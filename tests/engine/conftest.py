"""Fixtures for engine tests: the test PKI, plan builders and a recording sink."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from runner.context import Context
from runner.engine import run_plan
from runner.model import Endpoint, Plan, Section
from tests.peers.tls import Pki


@pytest.fixture(autouse=True)
def _support_log_in_tmp(tmp_path, monkeypatch):
    """`asrcheck run` writes its support log to the current directory: keep it in tmp."""
    monkeypatch.chdir(tmp_path)


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


@pytest.fixture(scope="session")
def pki():
    return Pki()


@pytest.fixture(scope="session")
def ca_bundle(pki, tmp_path_factory) -> str:
    return pki.write_bundle(Path(tmp_path_factory.mktemp("ca")) / "ca.pem")


@pytest.fixture
def ctx_for(ca_bundle):
    def make(dns_server, **kw):
        return Context(dns_servers=(dns_server.address,), ca_bundle=ca_bundle, **kw)

    return make


__all__ = ["ListSink", "Section", "by_check", "endpoint", "plan_of", "run"]
