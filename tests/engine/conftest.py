"""Fixtures for engine tests: a context builder that trusts the test PKI."""

from __future__ import annotations

import pytest

from runner.context import Context


@pytest.fixture
def ctx_for(ca_bundle):
    def make(dns_server, **kw):
        return Context(dns_servers=(dns_server.address,), ca_bundle=ca_bundle, **kw)

    return make
