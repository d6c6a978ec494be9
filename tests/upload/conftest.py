"""The Azurite emulator for the upload tests: one per session, on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.peers import azurite
from tests.peers.tls import Pki


@pytest.fixture(scope="session")
def emulator(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[azurite.Azurite]:
    why = azurite.unavailable()
    if why:
        pytest.skip(why)
    with azurite.Azurite(pki, Path(tmp_path_factory.mktemp("azurite"))) as running:
        yield running


@pytest.fixture
def box(emulator: azurite.Azurite, request: pytest.FixtureRequest) -> str:
    """A fresh container for one test."""
    name = "t-" + "".join(c if c.isalnum() else "-" for c in request.node.name.lower())[:50]
    name = "-".join(part for part in name.split("-") if part)
    emulator.create_container(name)
    return name
