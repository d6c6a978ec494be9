"""`run` from the bundle gives the installed command's verdicts on the same loopback peers
(inside one network namespace without network, where `unshare -n` is available)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.helpers.bundle import ROOT, Bundle, interpreters

pytestmark = pytest.mark.slow


def _outcomes(report: dict[str, Any]) -> dict[tuple[str, ...], tuple[str, str]]:
    """(endpoint or step, route, check) -> (status, reason), timings left out."""
    found: dict[tuple[str, ...], tuple[str, str]] = {}
    for result in report["results"]:
        key = (
            str(result.get("endpoint") or result.get("step")),
            str(result["route"]["kind"] if result.get("route") else ""),
            str(result.get("check")),
        )
        found[key] = (result["status"], str(result.get("reason")))
    return found


@pytest.fixture(scope="module")
def reports(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    outside = tmp_path_factory.mktemp("peer-run")
    commands = {"installed": [sys.executable, "-m", "runner"]}
    for index, python in enumerate(interpreters()):
        commands[f"bundle{index}"] = [python, "-I", str(bundle.path)]
    spec = outside / "spec.json"
    spec.write_text(
        json.dumps({"netns": bundle.netns is None, "outside": str(outside), "commands": commands})
    )
    prefix = [] if bundle.netns else ["unshare", "-n"]
    command = [*prefix, sys.executable, "-m", "tests.bundle.peer_run", str(spec)]
    subprocess.run(command, cwd=ROOT, check=True, timeout=600)
    found = {}
    for label in commands:
        out = (outside / f"{label}.out").read_text(encoding="utf-8")
        assert (outside / f"{label}.json").is_file(), out
        found[label] = json.loads((outside / f"{label}.json").read_text(encoding="utf-8"))
        found[label]["_exit"] = out.split("\n", 1)[0]
        found[label]["_version"] = (outside / f"{label}.version").read_text().split("\n")[0]
    return found


def test_bundle_run_matches_the_installed_command(reports: dict[str, Any]) -> None:
    installed = reports["installed"]
    assert installed["summary"]["verdict"] in ("pass", "warn"), installed["summary"]
    assert installed["_exit"] == "exit 0"
    expected = _outcomes(installed)
    passed = [key for key, (status, _) in expected.items() if key[2] == "http" and status == "pass"]
    assert len(passed) >= 5  # the peers really answered: not a run where everything failed
    for label, report in reports.items():
        assert report["_exit"] == installed["_exit"], label
        assert report["summary"]["verdict"] == installed["summary"]["verdict"], label
        assert _outcomes(report) == expected, label
    shown = {report["_version"] for label, report in reports.items() if label != "installed"}
    assert len(shown) == len(interpreters())  # one per interpreter, each the bundle
    assert all("(one-file bundle, Python " in line for line in shown), shown
    assert "(installed, " in installed["_version"]
