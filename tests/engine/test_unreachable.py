"""`unreachable`: in a fresh network namespace the loopback interface is down, so a connect
to 127.0.0.1 fails with "Network is unreachable" without any packet leaving the machine."""

from __future__ import annotations

import json

import pytest

from tests.helpers.netns import run_isolated

SCRIPT = """
import asyncio, json
from runner.context import Context
from runner.engine.run import run_plan
from tests.helpers.engine import ListSink, endpoint, plan_of
plan = plan_of(endpoint("e", "127.0.0.1", 443, chain=("tcp", "tls")))
report = asyncio.run(run_plan(plan, Context(), ListSink()))
print(json.dumps([r.to_json() for r in report.results]))
"""


@pytest.mark.netns
def test_tcp_unreachable_in_an_isolated_namespace() -> None:
    tcp, tls = json.loads(run_isolated(SCRIPT))
    assert (tcp["status"], tcp["reason"]) == ("fail", "unreachable")
    assert "unreachable" in tcp["detail"].lower()
    assert (tls["status"], tls["reason"]) == ("skip", "skipped")
