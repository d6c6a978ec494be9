"""How far a run is, told every half second to sinks that show it while checks are pending
(the console's status line on a terminal)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from runner.engine.jobs import Job
from runner.errors import log_internal
from runner.events import Progress, Sink, Waiting

#: Seconds between two reports; the first comes after one period (a quick run shows none).
PERIOD_S = 0.5


def snapshot(jobs: Sequence[Job], now: float) -> Progress:
    """Checks done and expected, and what is running now, longest waiting first."""
    waiting = [item for item in (_waiting(job, now) for job in jobs) if item is not None]
    waiting.sort(key=lambda item: -item.seconds)
    return Progress(
        done=sum(len(job.done) for job in jobs),
        total=sum(max(len(job.expected), len(job.done)) for job in jobs),
        waiting=tuple(waiting),
    )


def _waiting(job: Job, now: float) -> Waiting | None:
    """`endpoint stage` (`via proxy` on a proxy route) or the step's id, and for how long;
    None for a job that is not running."""
    if not job.started or len(job.done) >= len(job.expected):
        return None
    template = job.template
    if template.endpoint is None:  # a step: running since it got its turn
        return Waiting(template.step or template.check, max(now - job.began, 0.0))
    if job.running is None:  # between two stages
        return None
    via = " via proxy" if template.route is not None and template.route.kind == "proxy" else ""
    what = f"{template.endpoint} {job.running.check}{via}"
    return Waiting(what, max(now - job.running.since, 0.0))


async def _report(tell: Callable[[Progress], None], jobs: Sequence[Job]) -> None:
    while True:
        await asyncio.sleep(PERIOD_S)
        try:
            tell(snapshot(jobs, time.monotonic()))
        except Exception as error:  # a status line must never end the run
            log_internal(error, "progress report")
            return


def start(sink: Sink, jobs: Sequence[Job]) -> asyncio.Task[None] | None:
    """Reports to `sink.progress` until `stop`; None when the sink does not take progress."""
    tell: Callable[[Progress], None] | None = getattr(sink, "progress", None)
    return asyncio.ensure_future(_report(tell, jobs)) if tell is not None else None


async def stop(ticker: asyncio.Task[None] | None) -> None:
    if ticker is not None:
        ticker.cancel()
        await asyncio.gather(ticker, return_exceptions=True)
