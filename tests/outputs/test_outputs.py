"""Console and JSON report sinks: colors, quiet/verbose, masking, atomic writes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from runner.events import RunInfo, RunReport
from runner.outputs.color import use_color
from runner.outputs.console import ConsoleSink
from runner.outputs.json_report import JsonReportSink, build_report, write_atomic
from runner.redact import Redactor
from runner.resources import schemas_dir
from runner.results import CheckResult, Route, Status
from tests.helpers.engine import plan_of

SCHEMA = json.loads((schemas_dir() / "report.schema.json").read_text())


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _report(interrupted: bool = False) -> RunReport:
    plan = plan_of()
    route = Route(kind="proxy", proxy="http://u:***@p:3128", source="env", why="HTTPS_PROXY")
    results = (
        CheckResult(
            check="proxy",
            status=Status.FAIL,
            reason="proxy-denied",
            endpoint="blob",
            host="x.blob.core.windows.net",
            port=443,
            route=route,
            detail="proxy answered 403 for sig=abcdef",
            hint="Ask the proxy team.",
            command="curl -I --proxy http://u:***@p:3128 https://x.blob.core.windows.net",
        ),
        CheckResult(
            check="ntp",
            status=Status.PASS,
            reason="ok",
            detail="ok",
            step="time",
            facts={"offset_s": 0.1},
        ),
    )
    info = RunInfo(
        plan=plan,
        command_line="asrcheck run x --var token=sekret-value",
        started_at="2026-11-25T18:00:00.000Z",
        tool_version="0.1.0",
    )
    return RunReport(
        info=info,
        results=results,
        finished_at="2026-11-25T18:00:01.000Z",
        duration_s=1.0,
        interrupted=interrupted,
    )


def test_color_only_on_a_terminal_without_no_color() -> None:
    assert use_color(_Tty(), environ={})
    assert not use_color(io.StringIO(), environ={})
    assert not use_color(_Tty(), environ={"NO_COLOR": "1"})
    assert not use_color(_Tty(), no_color=True, environ={})


def _print(report: RunReport, **kw: Any) -> str:
    out = io.StringIO()
    sink = ConsoleSink(out, redactor=Redactor(["sekret-value"]), **kw)
    sink.started(report.info)
    for result in report.results:
        sink.result(result)
    sink.finished(report)
    return out.getvalue()


def test_console_lines_table_and_verdict() -> None:
    text = _print(_report())
    assert "FAIL  proxy  blob (x.blob.core.windows.net:443) proxy http://u:***@p:3128 (env)" in text
    assert "sig=***" in text and "abcdef" not in text
    assert "  try by hand: curl -I --proxy http://u:***@p:3128 https://x.blob" in text
    assert "blob      proxy http://u:***@p:3128 (env)  fail:proxy-denied" in text
    assert "  time ntp: pass (ok)" in text
    assert "VERDICT: FAIL" in text


def test_quiet_verbose_and_color() -> None:
    quiet = _print(_report(interrupted=True), quiet=True)
    assert "FAIL  proxy" not in quiet and "VERDICT: INTERRUPTED" in quiet
    assert "fail:proxy-denied" not in quiet  # no table
    assert "failed: proxy-denied: blob" in quiet  # one line per cause
    assert "proxy-denied" in quiet
    verbose = _print(_report(), verbose=True)
    assert '      facts: {"offset_s": 0.1}' in verbose
    colored = _print(_report(), color=True)
    assert "\033[31mFAIL \033[0m" in colored


def test_report_is_masked_and_valid() -> None:
    document = build_report(_report(), Redactor(["sekret-value"]))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    text = json.dumps(document)
    assert "sekret-value" not in text and "abcdef" not in text
    assert document["plan"]["variables"] == {"region": "westeurope", "token": "***"}
    assert document["summary"] == {
        "total": 2,
        "pass": 1,
        "warn": 0,
        "fail": 1,
        "skip": 0,
        "error": 0,
        "verdict": "fail",
        "exit_code": 1,
        "strict": False,
    }


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    write_atomic(target, "new content\n")
    assert target.read_text() == "new content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    sink = JsonReportSink(str(target))
    sink.finished(_report(interrupted=True))
    document = json.loads(target.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["interrupted"] is True


def test_failed_write_keeps_the_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("previous")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("runner.outputs.json_report.os.replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


class _Closed(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_console_stops_quietly_when_its_stream_goes_away() -> None:
    sink = ConsoleSink(_Closed())
    report = _report()
    sink.started(report.info)
    sink.result(report.results[0])
    sink.finished(report)
    assert sink.closed
