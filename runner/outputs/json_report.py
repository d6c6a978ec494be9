"""The JSON report sink: the whole run as one document, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, TextIO

from runner.events import RunInfo, RunReport
from runner.redact import Redactor
from runner.results import CheckResult, exit_code_for

#: Bump when the report's shape changes incompatibly (see CHANGELOG.md).
SCHEMA_VERSION = 1


def build_report(report: RunReport, redactor: Redactor | None = None) -> dict[str, Any]:
    """The report document, every string masked."""
    info = report.info
    plan = info.plan
    counts = report.counts()
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "asrcheck", "version": info.tool_version},
        "plan": {
            "name": plan.name,
            "version": plan.version,
            "scenario": plan.scenario,
            "source": plan.source,
            "variables": plan.masked_variables(),
            "sections": [section.to_json() for section in plan.sections],
        },
        "command_line": info.command_line,
        "settings": dict(info.settings),
        "started_at": info.started_at,
        "finished_at": report.finished_at,
        "duration_s": round(report.duration_s, 3),
        "interrupted": report.interrupted,
        "deadline_hit": report.deadline_hit,
        "results": [result.to_json() for result in report.results],
        "summary": {
            "total": len(report.results),
            **counts,
            "verdict": report.verdict,
            "exit_code": exit_code_for(report.verdict),
        },
    }
    masked: dict[str, Any] = (redactor or Redactor()).mask_obj(document)
    return masked


def write_atomic(path: str | Path, text: str) -> None:
    """Writes via a temporary file in the same directory and `os.replace`: never half-written."""
    target = Path(path)
    handle, temp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or "."
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class JsonReportSink:
    """Writes the report to `path` (atomically) and/or `stream` when the run finishes."""

    def __init__(
        self,
        path: str | None = None,
        stream: TextIO | None = None,
        *,
        redactor: Redactor | None = None,
    ) -> None:
        self.path = path
        self.stream = stream
        self.redactor = redactor or Redactor()
        self.written: dict[str, Any] | None = None

    def started(self, info: RunInfo) -> None:
        """Nothing to write until the end."""

    def result(self, result: CheckResult) -> None:
        """Results are taken from the final report, in plan order."""

    def finished(self, report: RunReport) -> None:
        self.written = build_report(report, self.redactor)
        text = json.dumps(self.written, indent=2, sort_keys=False, default=str) + "\n"
        if self.path:
            write_atomic(self.path, text)
        if self.stream is not None:
            self.stream.write(text)
            self.stream.flush()
