"""The generic check engine: runs a plan's steps and endpoint chains concurrently.

Each stage runs under `asyncio.wait_for`, the run under a hard deadline and a stop event.
This module holds the one catch-all that turns an escaped exception into an `error`.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from loguru import logger

from runner import __version__, registry, routing
from runner.context import Context
from runner.events import RunInfo, RunReport, Sink
from runner.kinds.base import Probe, StageOutcome
from runner.model import Endpoint, Plan, Step
from runner.reasons import REASONS, hint_for
from runner.results import CheckResult, Status

#: Extra seconds the engine grants a stage over its own timeout before cutting it off.
GRACE_S = 0.5
_SKIP_CODES = ("skipped", "not-applicable", "missing-input")


def now_iso() -> str:
    moment = datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class _Job:
    """One unit of work: the results it will produce, filled as they finish."""

    template: CheckResult
    expected: list[str]
    endpoint: Endpoint | None = None
    started: bool = False
    done: list[CheckResult] = field(default_factory=list)

    def result(
        self, check: str, status: Status, reason: str, detail: str, **kw: Any
    ) -> CheckResult:
        """A result of this job; hints are added for everything but a pass."""
        extra = kw.pop("hint", "")
        hint = "" if status is Status.PASS else _hint(reason, self.endpoint, extra)
        return replace(
            self.template, check=check, status=status, reason=reason, detail=detail, hint=hint, **kw
        )

    def unfinished(self, reason: str) -> list[CheckResult]:
        """Results for the checks that never finished (stop or deadline)."""
        missing = self.expected[len(self.done) :]
        word = {"deadline": "the run's deadline", "interrupted": "the interruption"}[reason]
        out = []
        for index, check in enumerate(missing):
            running = index == 0 and reason == "deadline" and self.started
            status = Status.ERROR if running else Status.SKIP
            detail = f"not finished before {word}" if running else f"not run because of {word}"
            out.append(self.result(check, status, reason, detail))
        return out


class _Recorder:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    def emit(self, job: _Job, result: CheckResult) -> None:
        job.done.append(result)
        self.sink.result(result)


def _hint(reason: str, endpoint: Endpoint | None, extra: str) -> str:
    parts = [hint_for(reason) if reason in REASONS else "", extra]
    if endpoint is not None:
        parts.append(endpoint.hint or "")
        if endpoint.service_tag:
            parts.append(f"Allow service tag {endpoint.service_tag} (TCP {endpoint.port}).")
        if endpoint.error_codes:
            parts.append(f"ASR errors if this fails: {', '.join(endpoint.error_codes)}.")
    return " ".join(p for p in parts if p)


def _skip_reason(text: str | None) -> tuple[str, str]:
    text = text or "skipped"
    code, _, rest = text.partition(":")
    if code.strip() in _SKIP_CODES:
        return code.strip(), rest.strip() or REASONS[code.strip()].meaning
    return "skipped", text


def _endpoint_template(endpoint: Endpoint, route: Any) -> CheckResult:
    return CheckResult(
        check="",
        status=Status.SKIP,
        reason="skipped",
        detail="",
        endpoint=endpoint.id,
        host=endpoint.host,
        port=endpoint.port,
        route=route,
        section=endpoint.section,
        required=endpoint.required,
    )


def _chain_for(endpoint: Endpoint, plan_route: routing.RoutePlan) -> list[str]:
    """Through a proxy the CONNECT stage replaces dns and tcp (the proxy resolves)."""
    chain = list(endpoint.chain)
    if plan_route.route.kind == "proxy":
        rest = [stage for stage in chain if stage not in ("dns", "tcp")]
        return ["proxy", *rest]
    return [stage for stage in chain if stage != "proxy"]


async def _run_stage(name: str, probe: Probe, ctx: Context) -> StageOutcome:
    """The engine's one catch-all: nothing raised by a kind escapes this function."""
    try:
        kind = registry.STAGES[name]
        return await asyncio.wait_for(kind.run(probe, ctx), probe.timeout + GRACE_S)
    except asyncio.TimeoutError:
        detail = f"{name} did not finish within {probe.timeout + GRACE_S:g}s"
        return StageOutcome(status=Status.FAIL, reason="timeout", detail=detail)
    except Exception as error:
        logger.opt(exception=error).debug("stage {} of {} raised", name, probe.endpoint.id)
        detail = f"{type(error).__name__}: {error}"
        return StageOutcome(status=Status.ERROR, reason="internal-error", detail=detail)


def _stage_result(
    job: _Job, name: str, outcome: StageOutcome, started: str, took: float
) -> CheckResult:
    return job.result(
        name,
        outcome.status,
        outcome.reason,
        outcome.detail,
        hint=outcome.hint,
        command=outcome.command,
        duration_s=took,
        started_at=started,
        facts=dict(outcome.facts),
    )


async def _chain(job: _Job, plan_route: routing.RoutePlan, ctx: Context, rec: _Recorder) -> None:
    assert job.endpoint is not None
    endpoint = job.endpoint
    state: dict[str, Any] = {}
    failed: str | None = None
    for name in job.expected:
        if failed is not None:
            detail = f"not run: the {failed} stage failed"
            rec.emit(job, job.result(name, Status.SKIP, "skipped", detail))
            continue
        probe = Probe(
            endpoint=endpoint,
            route=plan_route.route,
            proxy=plan_route.proxy,
            timeout=ctx.stage_timeout(endpoint.timeout),
            state=dict(state),
        )
        started, clock = now_iso(), time.monotonic()
        outcome = await _run_stage(name, probe, ctx)
        rec.emit(job, _stage_result(job, name, outcome, started, time.monotonic() - clock))
        state.update(outcome.state)
        if outcome.status in (Status.FAIL, Status.ERROR):
            failed = name


async def _step(job: _Job, step: Step, ctx: Context, rec: _Recorder) -> None:
    started, clock = now_iso(), time.monotonic()
    timeout = ctx.stage_timeout(step.timeout)
    try:
        kind = registry.STEPS[step.kind]
        outcomes = await asyncio.wait_for(kind.run(step, ctx), timeout + GRACE_S)
    except asyncio.TimeoutError:
        detail = f"{step.kind} did not finish within {timeout + GRACE_S:g}s"
        rec.emit(job, job.result(step.kind, Status.FAIL, "timeout", detail, started_at=started))
        return
    except Exception as error:  # the engine's step boundary: the other catch-all site
        logger.opt(exception=error).debug("step {} raised", step.id)
        detail = f"{type(error).__name__}: {error}"
        rec.emit(job, job.result(step.kind, Status.ERROR, "internal-error", detail))
        return
    took = time.monotonic() - clock
    job.expected = [o.check for o in outcomes] or [step.kind]
    for outcome in outcomes:
        result = job.result(
            outcome.check,
            outcome.status,
            outcome.reason,
            outcome.detail,
            hint=outcome.hint,
            command=outcome.command,
            duration_s=took,
            started_at=started,
            facts=dict(outcome.facts),
        )
        rec.emit(job, result)


def _plan_jobs(
    plan: Plan, ctx: Context, rec: _Recorder
) -> list[tuple[_Job, Callable[[], Awaitable[None]] | None]]:
    """Jobs in plan order (steps, then endpoints by route); disabled ones are done at once."""
    off = {s.name: s for s in plan.sections if not s.enabled}
    jobs: list[tuple[_Job, Callable[[], Awaitable[None]] | None]] = []
    for step in plan.steps:
        template = CheckResult(
            check=step.kind,
            status=Status.SKIP,
            reason="skipped",
            detail="",
            step=step.id,
            section=step.section,
            required=step.required,
        )
        job = _Job(template, [step.kind])
        skip = _disabled(step.enabled, step.skip_reason, step.section, off)
        if skip:
            rec.emit(job, job.result(step.kind, Status.SKIP, *skip))
            jobs.append((job, None))
        else:
            jobs.append((job, functools.partial(_step, job, step, ctx, rec)))
    for endpoint in plan.endpoints:
        skip = _disabled(endpoint.enabled, endpoint.skip_reason, endpoint.section, off)
        for plan_route in routing.routes_for(endpoint, plan.routes, ctx):
            job = _Job(
                _endpoint_template(endpoint, plan_route.route),
                _chain_for(endpoint, plan_route),
                endpoint,
            )
            if skip:
                for check in job.expected:
                    rec.emit(job, job.result(check, Status.SKIP, *skip))
                jobs.append((job, None))
            else:
                jobs.append((job, functools.partial(_chain, job, plan_route, ctx, rec)))
    return jobs


def _disabled(
    enabled: bool, reason: str | None, section: str | None, off: dict[str, Any]
) -> tuple[str, str] | None:
    if section in off:
        return "skipped", f"section {section} is off ({off[section].why})"
    if not enabled:
        return _skip_reason(reason)
    return None


async def _bounded(job: _Job, work: Callable[[], Awaitable[None]], gate: asyncio.Semaphore) -> None:
    async with gate:
        job.started = True
        await work()


async def _wait(
    tasks: list[asyncio.Task[None]], stop: asyncio.Event | None, deadline: float
) -> str | None:
    """Waits for every task, the stop event or the deadline; returns why it ended early."""
    everything = asyncio.ensure_future(asyncio.gather(*tasks))
    waiters: set[asyncio.Future[Any]] = {everything}
    stopper = asyncio.ensure_future(stop.wait()) if stop is not None else None
    if stopper is not None:
        waiters.add(stopper)
    done, _ = await asyncio.wait(waiters, timeout=deadline, return_when=asyncio.FIRST_COMPLETED)
    if stopper is not None:
        stopper.cancel()
    if everything in done:
        return None
    for task in tasks:
        task.cancel()
    await asyncio.gather(everything, return_exceptions=True)
    return "interrupted" if stopper is not None and stopper in done else "deadline"


async def run_plan(
    plan: Plan,
    ctx: Context,
    sink: Sink,
    *,
    stop: asyncio.Event | None = None,
    deadline: float | None = None,
    concurrency: int | None = None,
    info: RunInfo | None = None,
) -> RunReport:
    """Runs every step and endpoint chain of `plan`; results stream to `sink`."""
    clock = time.monotonic()
    info = info or RunInfo(
        plan=plan, command_line="", started_at=now_iso(), tool_version=__version__
    )
    sink.started(info)
    rec = _Recorder(sink)
    jobs = _plan_jobs(plan, ctx, rec)
    gate = asyncio.Semaphore(concurrency or plan.concurrency)
    tasks = [asyncio.ensure_future(_bounded(job, work, gate)) for job, work in jobs if work]
    ended = await _wait(tasks, stop, deadline if deadline is not None else plan.deadline)
    if ended is not None:
        for job, _ in jobs:
            for result in job.unfinished(ended):
                rec.emit(job, result)
    report = RunReport(
        info=info,
        results=tuple(r for job, _ in jobs for r in job.done),
        finished_at=now_iso(),
        duration_s=time.monotonic() - clock,
        interrupted=ended == "interrupted",
        deadline_hit=ended == "deadline",
    )
    sink.finished(report)
    return report
