"""QA tests run `asrcheck` as a user would: support logs stay in tmp, no proxy from outside."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import imds

PROXY_ENV = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Current directory in tmp (the support log lands there); no proxy; never IMDS."""
    monkeypatch.chdir(tmp_path)
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(imds, "DMI_ASSET_TAG_PATH", tmp_path / "no-dmi-here")
    monkeypatch.setattr(imds, "IMDS_LOCATION_URL", "http://127.0.0.1:9/no-imds-in-tests")
