"""Fixtures for the performance-change tests: the test PKI and its CA bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.peers.tls import Pki


@pytest.fixture(scope="session")
def pki():
    return Pki()


@pytest.fixture(scope="session")
def ca_bundle(pki, tmp_path_factory) -> str:
    return pki.write_bundle(Path(tmp_path_factory.mktemp("ca")) / "ca.pem")
