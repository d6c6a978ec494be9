"""What every test needs: no real instance metadata service, no proxy from outside, the
current directory in tmp (runs write their support log there), and the test PKI."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.machine import imds
from runner.machine.system import RecordedSystem
from tests.helpers import machines
from tests.peers.tls import Pki

PROXY_ENV = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even on an Azure VM, the tests never contact 169.254.169.254; no proxy from outside."""
    monkeypatch.chdir(tmp_path)
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(imds, "DMI_ASSET_TAG_PATH", tmp_path / "no-dmi-here")
    monkeypatch.setattr(imds, "IMDS_COMPUTE_URL", "http://127.0.0.1:9/no-imds-in-tests")
    monkeypatch.setattr(imds, "_ANSWERS", {})


@pytest.fixture(scope="session")
def pki() -> Pki:
    return Pki()


@pytest.fixture(scope="session")
def ca_bundle(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> str:
    return pki.write_bundle(Path(tmp_path_factory.mktemp("ca")) / "ca.pem")


@pytest.fixture
def windows() -> RecordedSystem:
    """A Windows Server 2019 VM as recorded: ipconfig /all, netsh, registry."""
    return machines.windows()


@pytest.fixture
def linux() -> RecordedSystem:
    """An Ubuntu Azure VM as recorded: ip, resolv.conf, os-release, DMI asset tag."""
    return machines.linux()
