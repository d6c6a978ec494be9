"""Console lines as an admin reads them: steps named once, optional failures marked, and
advice wrapped to the terminal (one line per piece of advice when not a terminal)."""

from __future__ import annotations

import io

import pytest

from runner.outputs.console import ConsoleSink, _settings_lines, _table
from runner.results import CheckResult, Route, Status

LONG = " ".join(["Allow the Storage service tag of the source region."] * 4)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def step(check: str, step_id: str, status: Status = Status.PASS) -> CheckResult:
    reason = "ok" if status is Status.PASS else "clock-skew"
    return CheckResult(check, status, reason, "seen", step=step_id, required=False)


def printed(*results: CheckResult, stream: io.StringIO | None = None) -> list[str]:
    out = stream or io.StringIO()
    sink = ConsoleSink(out)
    for result in results:
        sink.result(result)
    return out.getvalue().splitlines()


def test_a_step_is_named_once() -> None:
    lines = printed(
        step("machine", "machine", Status.WARN),
        step("network:dns", "network", Status.WARN),
        step("ntp", "time-sync", Status.WARN),
        step("clock", "clock", Status.FAIL),
    )
    assert lines[0] == "WARN  machine seen"
    assert lines[1] == "WARN  network:dns seen"
    assert lines[2] == "WARN  ntp    time-sync: seen"
    assert lines[3] == "FAIL  clock  [optional]: seen"


def test_steps_that_passed_are_left_to_the_table() -> None:
    """Nothing to act on: the summary table lists them, the support log has what they saw."""
    assert printed(step("machine", "machine"), step("ntp", "time-sync")) == []
    out = io.StringIO()
    sink = ConsoleSink(out, verbose=True)
    sink.result(step("machine", "machine"))
    assert out.getvalue() == "PASS  machine seen\n"


def test_the_summary_table_names_steps_once() -> None:
    table = _table((step("machine", "machine"), step("network:dns", "network")))
    assert table[-2:] == ["  machine: pass (ok)", "  network:dns: pass (ok)"]


def failure() -> CheckResult:
    return CheckResult(
        "tcp",
        Status.FAIL,
        "tcp-timeout",
        "timed out",
        hint=f"First advice.\n{LONG}",
        command="nc -vz x.test 443",
        endpoint="x",
        host="x.test",
        port=443,
        route=Route("direct"),
    )


def advised(*results: CheckResult, stream: io.StringIO | None = None) -> list[str]:
    """The evidence lines, then what to do by cause (as the end of a run prints them)."""
    out = stream or io.StringIO()
    sink = ConsoleSink(out)
    for result in results:
        sink.result(result)
    sink._causes(results)
    return out.getvalue().splitlines()


def test_advice_is_wrapped_to_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = advised(failure(), stream=Terminal())
    assert lines[0].startswith("FAIL  tcp    x (x.test:443) direct: timed out")
    assert lines[1:3] == ["", "tcp-timeout (1 check): x"]
    assert lines[3].startswith("  reason: tcp-timeout - The connection did not complete")
    assert lines[4:6] == ["  what to do:", "    - First advice."]
    wrapped = lines[6:-1]
    assert len(wrapped) > 1 and all(len(line) <= 80 for line in wrapped)
    assert wrapped[0].startswith("    - Allow the Storage")
    assert all(line.startswith("      ") for line in wrapped[1:])
    assert " ".join(line.strip() for line in wrapped) == f"- {LONG}"
    assert lines[-1] == "  try by hand: nc -vz x.test 443"


def test_advice_is_one_line_each_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = advised(failure())
    assert lines[5:7] == ["    - First advice.", f"    - {LONG}"]


def test_wrapping_keeps_host_names_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    host = "azgnrelay-eastus-l1.servicebus.windows.net"
    result = CheckResult(
        "tcp",
        Status.FAIL,
        "refused",
        "refused",
        hint=f"Allow {host} and pod01-rcm1.jpe.hypervrecoverymanager.windowsazure.com on 443.",
        endpoint="x",
        host=host,
        port=443,
    )
    text = "\n".join(advised(result, stream=Terminal()))
    assert host in text
    assert "pod01-rcm1.jpe.hypervrecoverymanager.windowsazure.com" in text


def test_an_https_proxy_url_gets_a_note() -> None:
    settings = {"cli_proxy": "https://p.example:3128", "env_proxy": "http://e.example:8080"}
    lines = _settings_lines(settings)
    notes = [line for line in lines if line.startswith("Note: ")]
    assert notes == [
        "Note: --proxy https://p.example:3128 is checked as an HTTP proxy (plain CONNECT, as "
        "for http://); the ASR agent does not support an https:// proxy URL."
    ]
    assert not any(line.startswith("Note: ") for line in _settings_lines({"no_proxy": True}))
