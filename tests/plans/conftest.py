"""Keep every test here away from the real instance metadata service."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import imds


@pytest.fixture(autouse=True)
def _no_real_imds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Even on an Azure VM, the tests must never contact 169.254.169.254."""
    monkeypatch.setattr(imds, "DMI_ASSET_TAG_PATH", tmp_path / "no-dmi-here")
    monkeypatch.setattr(imds, "IMDS_LOCATION_URL", "http://127.0.0.1:9/no-imds-in-tests")
