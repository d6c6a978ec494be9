"""Fixtures for engine tests: a context builder that trusts the test PKI."""

from __future__ import annotations

from typing import Any

import pytest

from runner.context import Context
from tests.helpers.engine import ContextFor
from tests.peers.dns import DnsServer


@pytest.fixture
def ctx_for(ca_bundle: str) -> ContextFor:
    def make(dns_server: DnsServer, **kw: Any) -> Context:
        return Context(dns_servers=(dns_server.address,), ca_bundle=ca_bundle, **kw)

    return make
