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

import contextlib
import os
import sys
import tempfile
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
from runner.outputs import paths
from runner.outputs.json_report import write_atomic
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
    """The file name for this platform: the plan's pattern, else support's default.

    UsageError when the plan's pattern gives no usable file name (`..`, NUL, too long)."""
    family = "windows" if platform == "windows" else "linux"
    pattern = patterns.get(family) or DEFAULT_NAMES[family]
    if not _usable(pattern):
        pattern = DEFAULT_NAMES[family]
    short = hostname.split(".")[0] or "localhost"
    name = pattern.format(hostname=short, time=now)
    name = name.replace("/", "_").replace("\\", "_")
    if name in ("", ".", "..") or "\0" in name or len(os.fsencode(name)) > paths.NAME_MAX:
        shown = name if len(name) <= 60 else f"{name[:60]}..."
        raise UsageError(
            f"the plan's log: pattern for {family} gives the file name {shown!r}: not a "
            f"usable file name (at most {paths.NAME_MAX} bytes, no NUL, not '.' or '..')"
        )
    return name


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
    """The support log of `asrcheck run`, named from `--log` / `--output-dir` and the plan.

    Checked before the run (UsageError, exit 2): `--log` as in `runner.outputs.paths`,
    `--output-dir` must be writable. Without either, a current directory that cannot be
    written falls back to the system's temporary directory, and the console says so.
    """
    system: System = ctx.system if ctx.system is not None else LocalSystem()

    def echo(text: str) -> None:
        try:
            print(ctx.redactor.mask(text), file=stream, flush=True)
        except (OSError, ValueError):  # a closed or full console: the log goes on
            pass

    given, output_dir = getattr(args, "log", None), getattr(args, "output_dir", None)
    if given:
        target = paths.check_output(given, "--log", create_dir=True)
        return SupportLog(target.path, ctx.redactor, echo, json_path=args.json, replace=True)
    name = log_path(None, None, plan.log_names, system.platform(), system.hostname()).name
    directory = Path(output_dir or ".")
    try:
        paths.check_name_lengths(str(directory), "--output-dir")
        if directory.exists() and not directory.is_dir():
            raise UsageError(f"--output-dir {str(directory)!r}: not a directory")
        paths.check_directory(directory, f"--output-dir {str(directory)!r}")
    except UsageError as error:
        if output_dir:
            raise
        directory = Path(tempfile.gettempdir())
        echo(f"Support log: {error}; writing it in {directory} instead")
    path = directory / name
    return SupportLog(path, ctx.redactor, echo, json_path=getattr(args, "json", None))


def _claim(path: Path) -> IO[str]:
    """Creates `path` (never an existing file) and opens it for writing."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    return os.fdopen(handle, "w", encoding="utf-8")


def _claim_free(path: Path) -> tuple[Path, IO[str]]:
    """`path`, or the first free `<stem>_<n><suffix>` beside it: support's name is kept and
    an existing log (another run's, even a killed one's) is never overwritten."""
    for number in range(1, 10000):
        name = path.name if number == 1 else f"{path.stem}_{number}{path.suffix}"
        candidate = path.with_name(name)
        try:
            return candidate, _claim(candidate)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name for {path} (tried _2 to _9999)")


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
        *,
        replace: bool = False,
    ) -> None:
        #: Where the log is (for a default name: the free name actually taken).
        self.path = Path(path)
        #: `--log FILE`: an existing file is replaced (atomically, at the end); else the
        #: name gets a suffix rather than overwrite anything.
        self._replace = replace
        #: The file written while running, when it is not `path` (replacing a file).
        self._streaming: Path | None = None
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
            self._file = self._open()
        except OSError as error:
            self._fail(error)
            return
        state = "IN PROGRESS (if this is still here, the run was killed before it ended)"
        self._write(render.header(info, state))
        self._write(f"\n{render.RULE}\n Results as they finished\n{render.RULE}\n")
        if self._echo:
            self._echo(f"Support log: {self.path}")

    @property
    def failed(self) -> bool:
        """True when the log could not be written completely (said on stderr)."""
        return self._broken

    def _open(self) -> IO[str]:
        if not self._replace:
            self.path, stream = _claim_free(self.path)
            return stream
        if not self.path.exists():
            return _claim(self.path)
        # Replacing an existing file: stream beside it, move over it at the end.
        self._streaming, stream = _claim_free(self.path.with_name(f".{self.path.name}.partial"))
        return stream

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
        try:
            write_atomic(self.path, text)
        except OSError as error:
            self._fail(error)
            return
        if self._streaming is not None:
            self._streaming.unlink(missing_ok=True)
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
            where = f" (the partial log is {self._streaming})" if self._streaming else ""
            message = f"asrcheck: cannot write the support log {self.path}: {error}{where}"
            with contextlib.suppress(OSError, ValueError):
                print(message, file=sys.stderr, flush=True)
        self._broken = True
