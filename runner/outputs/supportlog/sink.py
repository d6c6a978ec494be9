"""The support log: the one file Microsoft support asks for, written as the run goes.

Design: incremental while running, grouped at the end.

* `started` creates the file and writes the run header (state `IN PROGRESS`) and a
  "results as they finished" heading. Each `result` is appended as a full block (status,
  detail, manual command, hint, collected text) as soon as it arrives, then flushed (and
  fsync'ed at most every FSYNC_INTERVAL_S and at the end). A process killed at any moment
  (even SIGKILL: flushed data is in the kernel) leaves a readable log holding every check
  that had finished.
* `finished` (also called on Ctrl+C, SIGTERM and deadline) writes the final log in the
  order support reads it: 1 run header with end time, 2 machine, 3 proxy, 4 TLS, 5 clock,
  6 checks grouped by endpoint and route, then a one-line-per-result timeline in
  arrival order, 7 summary, ending with `Script Completed` or `INTERRUPTED: ...`.
  It is written to a temporary file next to the log and moved over it (`os.replace`),
  so the log is always either the streaming version or the complete one, never half
  of each.

Lines end as the platform's text files do (CRLF on Windows, for Notepad). Every byte
goes through the run's `Redactor`. I/O trouble never raises: it is reported
once on stderr and the run goes on.

File names (plan `log:` may override per platform): Linux
`CheckNWResult_<short hostname>_<yyyymmddHHMM>.log`, Windows
`ASR_Check_NW_<yyyymmdd_HHMMSS>.log`; in the current directory unless `--output-dir`
or `--log` says otherwise.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from string import Formatter
from typing import IO, Any, TextIO

from runner.context import Context
from runner.errors import UsageError
from runner.events import RunInfo, RunReport
from runner.machine.system import LocalSystem, System
from runner.model import Plan
from runner.outputs.supportlog import sections as render
from runner.outputs.supportlog.summary import COMPLETED, summary
from runner.redact import Redactor
from runner.results import CheckResult

DEFAULT_NAMES = {
    "linux": "CheckNWResult_{hostname}_{time:%Y%m%d%H%M}.log",
    "windows": "ASR_Check_NW_{time:%Y%m%d_%H%M%S}.log",
}


def _usable(pattern: str) -> bool:
    """Only `{hostname}` and `{time:<strftime>}` fields, well formed."""
    try:
        fields = [field for _, field, _, _ in Formatter().parse(pattern) if field is not None]
    except ValueError:
        return False
    return all(field in ("hostname", "time") for field in fields)


def log_name(patterns: Mapping[str, str], platform: str, hostname: str, now: datetime) -> str:
    """The file name for this platform: the plan's pattern, else support's default."""
    family = "windows" if platform == "windows" else "linux"
    pattern = patterns.get(family) or DEFAULT_NAMES[family]
    if not _usable(pattern):
        pattern = DEFAULT_NAMES[family]
    short = hostname.split(".")[0] or "localhost"
    name = pattern.format(hostname=short, time=now)
    return name.replace("/", "_").replace("\\", "_")


def log_path(
    log: str | None,
    output_dir: str | None,
    patterns: Mapping[str, str],
    platform: str,
    hostname: str,
    now: datetime | None = None,
) -> Path:
    """`--log FILE` as given, else the default name in `--output-dir` or the current dir."""
    if log:
        return Path(log)
    moment = now or datetime.now().astimezone()
    return Path(output_dir or ".") / log_name(patterns, platform, hostname, moment)


def for_run(args: Any, plan: Plan, ctx: Context, stream: TextIO) -> SupportLog:
    """The support log of `asrcheck run`, named from `--log` / `--output-dir` and the plan."""
    system: System = ctx.system if ctx.system is not None else LocalSystem()
    path = log_path(
        getattr(args, "log", None),
        getattr(args, "output_dir", None),
        plan.log_names,
        system.platform(),
        system.hostname(),
    )
    if path.is_dir():
        raise UsageError(f"--log {str(path)!r}: is a directory")
    if path.parent.exists() and not path.parent.is_dir():
        raise UsageError(f"--output-dir {str(path.parent)!r}: not a directory")

    def echo(text: str) -> None:
        print(ctx.redactor.mask(text), file=stream, flush=True)

    return SupportLog(path, ctx.redactor, echo, json_path=getattr(args, "json", None))


#: Seconds between fsyncs of the streaming log (flushing after every result is enough
#: for a killed process; fsync guards against a crash of the machine).
FSYNC_INTERVAL_S = 0.5


def _stamp() -> str:
    return datetime.now().astimezone().strftime("%H:%M:%S")


class SupportLog:
    """A `runner.events.Sink` that writes the support log (see the module docstring)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        redactor: Redactor,
        echo: Callable[[str], None] | None = None,
        json_path: str | None = None,
    ) -> None:
        self.path = Path(path)
        self._redactor = redactor
        self._echo = echo
        self._json_path = json_path
        self._file: IO[str] | None = None
        self._info: RunInfo | None = None
        self._arrived: list[tuple[str, CheckResult]] = []
        #: Each arrived result's block (by `id`: `_arrived` keeps the result alive), so
        #: the final log does not render it again.
        self._blocks: dict[int, str] = {}
        self._broken = False
        self._synced_at: float | None = None

    def started(self, info: RunInfo) -> None:
        self._info = info
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "w", encoding="utf-8")
        except OSError as error:
            self._fail(error)
            return
        state = "IN PROGRESS (if this is still here, the run was killed before it ended)"
        self._write(render.header(info, state))
        self._write(f"\n{render.RULE}\n Results as they finished\n{render.RULE}\n")
        if self._echo:
            self._echo(f"Support log: {self.path}")

    def result(self, result: CheckResult) -> None:
        stamp = _stamp()
        self._arrived.append((stamp, result))
        block = self._blocks[id(result)] = render.result_block(result)
        self._write(f"{stamp} " + render.with_place(result, block))

    def finished(self, report: RunReport) -> None:
        if self._file is not None:
            self._sync(force=True)
            self._file.close()
            self._file = None
        if self._broken:
            return
        text = self._redactor.mask(self.final_text(report))
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except OSError as error:
            self._fail(error)
            return
        if self._echo:
            self._echo(f"Support log written: {self.path}")
            if not report.interrupted:
                self._echo(COMPLETED)

    def final_text(self, report: RunReport) -> str:
        """The complete log, in section order."""
        plan, results = report.info.plan, report.results
        if report.interrupted:
            state = "INTERRUPTED (Ctrl+C or SIGTERM): partial results"
        else:
            state = "COMPLETED" + (" (deadline reached)" if report.deadline_hit else "")
        parts = [render.header(report.info, state, report)]
        parts += [render.step_section(n, plan, results, self._block) for n in (2, 3, 4, 5)]
        parts.append(render.endpoint_section(plan, results, self._block))
        parts.append(render.timeline(self._arrived))
        parts.append(summary(report, self._json_path))
        return "".join(parts)

    def _block(self, result: CheckResult) -> str:
        """The block rendered when the result arrived (else rendered now)."""
        block = self._blocks.get(id(result))
        return block if block is not None else render.result_block(result)

    def _write(self, text: str) -> None:
        if self._file is None or self._broken:
            return
        try:
            self._file.write(self._redactor.mask(text))
            self._file.flush()
        except OSError as error:
            self._fail(error)
            return
        self._sync()

    def _sync(self, *, force: bool = False) -> None:
        """fsync the streaming log when forced or FSYNC_INTERVAL_S passed since the last."""
        now = time.monotonic()
        due = self._synced_at is None or now - self._synced_at >= FSYNC_INTERVAL_S
        if self._file is None or self._broken or not (force or due):
            return
        try:
            os.fsync(self._file.fileno())
        except OSError as error:
            self._fail(error)
        self._synced_at = now

    def _fail(self, error: OSError) -> None:
        if not self._broken:
            print(f"asrcheck: cannot write the support log {self.path}: {error}", file=sys.stderr)
        self._broken = True
