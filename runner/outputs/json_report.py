"""The JSON report sink: the whole run as one document, written atomically."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from runner import exit_codes
from runner.events import RunInfo, RunReport
from runner.redact import Redactor
from runner.results import CheckResult

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
            "exit_code": exit_codes.for_verdict(report.verdict, strict=info.strict),
            "strict": info.strict,
        },
    }
    if info.machine:  # absent only when a caller did not say (library use, older reports)
        document = {**dict(list(document.items())[:3]), "machine": dict(info.machine), **document}
    masked: dict[str, Any] = (redactor or Redactor()).mask_obj(document)
    return masked


def _mode(target: Path) -> int:
    """The permission bits to keep: the replaced file's, else rw-r--r--."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o644


def write_atomic(path: str | Path, text: str) -> None:
    """Writes via a temporary file in the same directory and `os.replace`: never half-written.

    The temporary file is unique to the call, and removed on any failure (a full disk)."""
    target = Path(path)
    mode = _mode(target)
    handle, temp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or "."
    )
    try:
        with contextlib.suppress(OSError, NotImplementedError):
            os.chmod(temp, mode)
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
        in_place: bool = False,
    ) -> None:
        self.path = path
        #: Write into `path` as it is (`/dev/stdout`) instead of replacing it.
        self.in_place = in_place
        #: True when `path` could not be written (said on stderr).
        self.failed = False
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
            self._write_file(self.path, text)
        if self.stream is not None:
            with contextlib.suppress(OSError, ValueError):  # a closed stdout (`| head`)
                self.stream.write(text)
                self.stream.flush()

    def _write_file(self, path: str, text: str) -> None:
        try:
            if self.in_place:
                with open(path, "a", encoding="utf-8") as stream:
                    stream.write(text)
            else:
                write_atomic(path, text)
        except OSError as error:
            self.failed = True
            with contextlib.suppress(OSError, ValueError):
                message = f"asrcheck: cannot write the JSON report {path}: {error}"
                print(message, file=sys.stderr, flush=True)
