"""The run's event stream: the engine reports to sinks (console, support log, JSON report).

Every sink gets `started` once, `result` for each finished check as it finishes, and
`finished` once, also when the run is interrupted or hits its deadline.
A sink with a `progress` method (`ProgressSink`) is also told, every half second while
checks are pending, how far the run is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from runner.model import Plan
from runner.results import CheckResult, count_by_status, verdict


@dataclass(frozen=True)
class RunInfo:
    """What is known when a run starts."""

    plan: Plan
    #: The command line with secrets masked.
    command_line: str
    #: ISO 8601 UTC, e.g. "2026-11-25T18:30:00.123Z".
    started_at: str
    tool_version: str
    #: Where the support log goes; None when not written.
    log_path: str | None = None
    #: Routes and other run-wide settings, for the log header (masked).
    settings: dict[str, Any] = field(default_factory=dict)
    #: The machine this ran on (runner.machine.identity), for the report's `machine`.
    machine: dict[str, Any] = field(default_factory=dict)
    #: `--strict`: warnings count as failures for the exit code.
    strict: bool = False


@dataclass(frozen=True)
class RunReport:
    """The whole run: info, every result in plan order, and how it ended."""

    info: RunInfo
    results: tuple[CheckResult, ...]
    finished_at: str
    duration_s: float
    interrupted: bool = False
    #: True when the run's deadline cut it short.
    deadline_hit: bool = False

    @property
    def verdict(self) -> str:
        return verdict(self.results, self.interrupted)

    def counts(self) -> dict[str, int]:
        return count_by_status(self.results)


@dataclass(frozen=True)
class Waiting:
    """A check that has started and not finished: what it is and for how long so far."""

    what: str
    seconds: float


@dataclass(frozen=True)
class Progress:
    """How far a run is: checks done of the checks expected, and those still waiting
    (longest first). The checks a step produces are known once it ends: `total` grows."""

    done: int
    total: int
    waiting: tuple[Waiting, ...] = ()


class Sink(Protocol):
    """Receives the run's events. Must not raise for ordinary I/O trouble."""

    def started(self, info: RunInfo) -> None: ...

    def result(self, result: CheckResult) -> None: ...

    def finished(self, report: RunReport) -> None: ...


class ProgressSink(Protocol):
    """A sink that also wants to know, while checks are pending, how far the run is
    (`progress` is optional: the engine calls it on sinks that have it)."""

    def progress(self, progress: Progress) -> None: ...


class FanOut:
    """A sink that forwards every event to several sinks, in order."""

    def __init__(self, sinks: Sequence[Sink]) -> None:
        self._sinks = tuple(sinks)

    def started(self, info: RunInfo) -> None:
        for sink in self._sinks:
            sink.started(info)

    def result(self, result: CheckResult) -> None:
        for sink in self._sinks:
            sink.result(result)

    def progress(self, progress: Progress) -> None:
        for sink in self._sinks:
            tell = getattr(sink, "progress", None)
            if tell is not None:
                tell(progress)

    def finished(self, report: RunReport) -> None:
        """Every sink finishes even when one fails; the first failure is raised after."""
        failure: BaseException | None = None
        for sink in self._sinks:
            try:
                sink.finished(report)
            except Exception as error:  # noqa: PERF203 - every sink must finish
                failure = failure or error
        if failure is not None:
            raise failure
