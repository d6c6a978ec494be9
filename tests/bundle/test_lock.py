"""The bundle lock and `asrcheck --version` follow pyproject.toml's direct dependencies: each
one is pinned in packaging/bundle-lock.txt (the bundle would lack it otherwise) and named
by runner.commands.version (an installed asrcheck would not show its version)."""

from __future__ import annotations

import re

from runner.commands.version import DEPENDENCIES
from tests.helpers.bundle import ROOT


def _direct_dependencies() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r"^dependencies = \[\n(.*?)^\]", text, re.MULTILINE | re.DOTALL)
    assert found, "no dependencies list in pyproject.toml"
    return {m.lower() for m in re.findall(r'^\s*"([A-Za-z0-9_.-]+)', found.group(1), re.M)}


def _locked() -> set[str]:
    text = (ROOT / "packaging" / "bundle-lock.txt").read_text(encoding="utf-8")
    return {name.lower() for name in re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.MULTILINE)}


def test_every_direct_dependency_is_locked_and_shown() -> None:
    direct = _direct_dependencies()
    assert {"h11", "httpx", "dnspython"} <= direct
    assert direct <= _locked()
    assert "h11" in DEPENDENCIES
    assert set(DEPENDENCIES) == direct
