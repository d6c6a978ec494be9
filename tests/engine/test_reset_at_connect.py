"""`reset` at the tcp stage: a connection reset as it completes is reported by tcp, with no
wait after the connect, against a peer that sends the reset with its SYN-ACK."""

from __future__ import annotations

import json

import pytest

from tests.helpers.netns import run_isolated

SCRIPT = """
import asyncio, json
from runner.context import Context
from runner.engine.run import run_plan
from tests.helpers.engine import ListSink, endpoint, plan_of
from tests.peers.reset_at_connect import PEER, ResetAtConnect
peer = ResetAtConnect()
plan = plan_of(endpoint("e", PEER, 443, chain=("tcp", "tls"), timeout=5.0))
report = asyncio.run(run_plan(plan, Context(), ListSink()))
print(json.dumps({"resets": peer.resets, "results": [r.to_json() for r in report.results]}))
"""


@pytest.mark.netns
def test_a_reset_with_the_syn_ack_is_a_tcp_reset() -> None:
    answer = json.loads(run_isolated(SCRIPT, tun=True))
    tcp, tls = answer["results"]
    assert answer["resets"] == 1
    assert (tcp["status"], tcp["reason"]) == ("fail", "reset")
    assert "IPv4 192.0.2.2:443 reset" in tcp["detail"]
    assert tcp["hint"].startswith("A firewall reset the connection")
    assert (tls["status"], tls["reason"]) == ("skip", "skipped")
