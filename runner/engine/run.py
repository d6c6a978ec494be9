"""The generic check engine: runs a plan's steps and endpoint chains concurrently.

Each stage runs under `asyncio.wait_for`, the run under a hard deadline and a stop event.
`_guarded` is the one catch-all: an escaped exception becomes an `error` result.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, Optional, TypeVar, cast

from loguru import logger

from runner import __version__, peer_text, registry
from runner.context import Context
from runner.engine import jobs, progress, routing
from runner.errors import log_internal
from runner.events import RunInfo, RunReport, Sink
from runner.kinds.base import Probe, RoutedStepKind, StageOutcome, StepOutcome, Via
from runner.kinds.net.connection import STATE_KEY
from runner.model import Endpoint, Plan, Step
from runner.results import CheckResult, Status

T = TypeVar("T")

#: Extra seconds the engine grants a stage over its own timeout before cutting it off.
GRACE_S = 0.5
#: Seconds a stopped kind may take to undo what it did (the upload deletes its blob).
UNDO_S = 6.0
#: When the cut-off is due, how long the engine still waits for an answer that is on its
#: way: on a starved CPU the stage's own timeout fires in the same turn of the event loop
#: as the cut-off, and its outcome needs a few more turns to arrive.
SETTLE_S = 0.25


def now_iso() -> str:
    """Now, UTC, ISO 8601 with milliseconds: `2026-11-25T18:30:00.123Z`."""
    moment = datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class _Escaped:
    """What the catch-all saw instead of a kind's answer."""

    status: Status
    reason: str
    detail: str
    hint: str = ""


async def _guarded(
    work: Callable[[], Awaitable[T]],
    timeout: float | None,
    what: str,
    ctx: Context,
    timeout_reason: str = "timeout",
) -> T | _Escaped:
    """The engine's one catch-all: a kind's timeout or exception becomes an `_Escaped`;
    the traceback goes to `ctx.traceback_file`, and the detail and the hint name it. A kind
    cut off at its timeout gets `timeout_reason` (its own, e.g. `tcp-timeout`)."""
    try:
        return await _within(work, None if timeout is None else timeout + GRACE_S)
    except asyncio.TimeoutError:
        return _Escaped(Status.FAIL, timeout_reason, f"{what} did not finish within {timeout:g}s")
    except Exception as error:
        log_internal(error, what)
        kept = ctx.traceback_file
        detail = f"{type(error).__name__}: {error}" + (f" (traceback in {kept})" if kept else "")
        hint = f"Send {kept} with it: it holds the traceback." if kept else ""
        return _Escaped(Status.ERROR, "internal-error", detail, hint)


async def _within(work: Callable[[], Awaitable[T]], limit: float | None) -> T:
    """`work()`'s answer, if it comes within `limit` seconds (and SETTLE_S once it is due;
    None: no limit); else it is cancelled and asyncio.TimeoutError raised."""
    task = asyncio.ensure_future(work())
    try:
        done, _ = await asyncio.wait({task}, timeout=limit)
        if not done:
            done, _ = await asyncio.wait({task}, timeout=SETTLE_S)
    except BaseException:  # the run is stopped or ends at its deadline: so is this work
        task.cancel()
        # ...which may undo what it did first (the upload deletes its blob), within bounds.
        await asyncio.wait({task}, timeout=UNDO_S)
        raise
    if not done:
        task.cancel()
        task.add_done_callback(_retrieve)
        raise asyncio.TimeoutError
    return task.result()


def _retrieve(task: asyncio.Future[Any]) -> None:
    """Reads a cancelled task's outcome, so that a late exception is not logged as lost."""
    if not task.cancelled():
        task.exception()


def timeout_reason(kind: object) -> str:
    """The reason a kind is reported with when the engine cuts it off at its timeout: its
    own (`TIMEOUT_REASON`, e.g. `tcp-timeout`), else the generic `timeout`."""
    return str(getattr(kind, "TIMEOUT_REASON", "timeout"))


async def _run_stage(name: str, probe: Probe, ctx: Context) -> StageOutcome:
    kind = registry.STAGES[name]
    answer = await _guarded(
        lambda: kind.run(probe, ctx), probe.timeout, f"stage {name}", ctx, timeout_reason(kind)
    )
    if isinstance(answer, _Escaped):
        return StageOutcome(answer.status, answer.reason, answer.detail, hint=answer.hint)
    return answer


def _outcome_result(
    job: jobs.Job, name: str, outcome: StageOutcome | StepOutcome, started: str, took: float
) -> CheckResult:
    """A finished stage's or step's outcome as the job's result."""
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


async def _chain(
    job: jobs.Job, plan_route: routing.RoutePlan, ctx: Context, rec: jobs.Recorder
) -> None:
    state: dict[str, Any] = {}
    try:
        await _stages(job, plan_route, ctx, rec, state)
    finally:
        _close_connection(state)


def _close_connection(state: dict[str, Any]) -> None:
    """The chain is over (done, failed or cancelled): its connection is closed."""
    conn = state.get(STATE_KEY)
    if conn is not None:
        conn.close()


async def _stages(
    job: jobs.Job,
    plan_route: routing.RoutePlan,
    ctx: Context,
    rec: jobs.Recorder,
    state: dict[str, Any],
) -> None:
    """Runs the chain's stages in order; each gets what the earlier ones put in `state`."""
    assert job.endpoint is not None
    endpoint = job.endpoint
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
        reason = timeout_reason(registry.STAGES[name])
        job.running = jobs.Running(name, clock, probe.timeout, reason)
        outcome = await _run_stage(name, probe, ctx)
        job.running = None
        logger.debug(
            "{} {} over {}: {} {}",
            endpoint.id,
            name,
            probe.route.label(),
            outcome.status,
            outcome.reason,
        )
        rec.emit(job, _outcome_result(job, name, outcome, started, time.monotonic() - clock))
        state.update(outcome.state)
        if outcome.status in (Status.FAIL, Status.ERROR):
            failed = name


async def _step(job: jobs.Job, step: Step, ctx: Context, rec: jobs.Recorder) -> None:
    started, clock = now_iso(), time.monotonic()
    kind = registry.STEPS[step.kind]
    answer = await _guarded(
        lambda: kind.run(step, ctx),
        ctx.stage_timeout(step.timeout),
        f"step {step.id} ({step.kind})",
        ctx,
        timeout_reason(kind),
    )
    if isinstance(answer, _Escaped):
        answer = [
            StepOutcome(step.kind, answer.status, answer.reason, answer.detail, hint=answer.hint)
        ]
    elif not answer:
        answer = [StepOutcome(step.kind, Status.ERROR, "internal-error", "no outcome returned")]
    took = time.monotonic() - clock
    job.expected = [outcome.check for outcome in answer]
    for outcome in answer:
        rec.emit(job, _outcome_result(job, outcome.check, outcome, started, took))


async def _routed_step(
    job: jobs.Job,
    step: Step,
    plan_route: routing.RoutePlan,
    ctx: Context,
    rec: jobs.Recorder,
) -> None:
    """A routed step over one route; what it reports early is recorded at once."""
    started, clock = now_iso(), time.monotonic()
    kind = cast(RoutedStepKind, registry.STEPS[step.kind])

    def report(outcome: StepOutcome) -> None:
        took = time.monotonic() - clock
        rec.emit(job, _outcome_result(job, outcome.check, outcome, started, took))

    via = Via(plan_route.route, plan_route.proxy, report)
    answer = await _guarded(
        lambda: kind.run_via(step, ctx, via),
        ctx.stage_timeout(step.timeout),
        f"step {step.id} ({step.kind}) over {plan_route.route.label()}",
        ctx,
    )
    if isinstance(answer, _Escaped):
        answer = [StepOutcome(step.kind, answer.status, answer.reason, answer.detail)]
    took = time.monotonic() - clock
    job.expected = [*job.expected, *(o.check for o in answer if o.check not in job.expected)]
    for outcome in answer:
        rec.emit(job, _outcome_result(job, outcome.check, outcome, started, took))


_Planned = list[tuple[jobs.Job, Optional[Callable[[], Awaitable[None]]]]]


def _step_jobs(step: Step, plan: Plan, ctx: Context, rec: jobs.Recorder) -> _Planned:
    """One job for a step; one per route for a routed step that has a target."""
    kind = registry.STEPS[step.kind]
    host = kind.target(step) if isinstance(kind, RoutedStepKind) else None
    if host is None:
        job = jobs.Job(jobs.step_template(step), [step.kind])
        return [(job, functools.partial(_step, job, step, ctx, rec))]
    planned: _Planned = []
    for plan_route in routing.routes_to(host, plan.routes, ctx):
        job = jobs.Job(jobs.step_template(step, plan_route.route), [step.kind])
        planned.append((job, functools.partial(_routed_step, job, step, plan_route, ctx, rec)))
    return planned


def _plan_jobs(plan: Plan, ctx: Context, rec: jobs.Recorder) -> _Planned:
    """Jobs in plan order (steps, then endpoints by route); disabled ones are done at once."""
    off = {s.name: s for s in plan.sections if not s.enabled}
    planned: _Planned = []
    for step in plan.steps:
        skip = jobs.disabled(step.enabled, step.skip_reason, step.section, off)
        if skip:
            job = jobs.Job(jobs.step_template(step), [step.kind])
            rec.emit(job, job.result(step.kind, Status.SKIP, *skip))
            planned.append((job, None))
        else:
            planned += _step_jobs(step, plan, ctx, rec)
    for endpoint in plan.endpoints:
        skip = jobs.disabled(endpoint.enabled, endpoint.skip_reason, endpoint.section, off)
        if skip and skip[0] == "manual-check":
            planned.append((_manual_check(endpoint, skip[1], plan, ctx, rec), None))
            continue
        for plan_route in routing.routes_for(endpoint, plan.routes, ctx):
            job = jobs.Job(
                jobs.endpoint_template(endpoint, plan_route.route),
                jobs.chain_for(endpoint, plan_route),
                endpoint,
            )
            if skip:
                for check in job.expected:
                    rec.emit(job, job.result(check, Status.SKIP, *skip))
                planned.append((job, None))
            else:
                planned.append((job, functools.partial(_chain, job, plan_route, ctx, rec)))
    return planned


def _manual_check(
    endpoint: Endpoint, detail: str, plan: Plan, ctx: Context, rec: jobs.Recorder
) -> jobs.Job:
    """One visible result for an endpoint that must be checked by hand (no host to test)."""
    route = routing.routes_for(endpoint, plan.routes, ctx)[0].route
    job = jobs.Job(jobs.endpoint_template(endpoint, route), [jobs.MANUAL_CHECK], endpoint)
    result = job.result(jobs.MANUAL_CHECK, Status.SKIP, "manual-check", detail)
    rec.emit(job, replace(result, hint=peer_text.lines_escaped(jobs.manual_hint(endpoint))))
    return job


async def _bounded(
    job: jobs.Job, work: Callable[[], Awaitable[None]], gate: asyncio.Semaphore
) -> None:
    async with gate:
        job.started, job.began = True, time.monotonic()
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


async def _end_run(
    planned: list[tuple[jobs.Job, Callable[[], Awaitable[None]] | None]], ctx: Context
) -> None:
    """Lets the kinds the run used release what their checks shared (optional `end_run()`);
    kinds the run did not use stay unimported. One that raises has its traceback kept, and
    nothing else: the results are out."""
    used = {
        kind
        for job, work in planned
        if work is not None
        for kind in (job.expected if job.endpoint is not None else [job.template.check])
    }
    stages = [registry.STAGES[name] for name in sorted(used) if name in registry.STAGES]
    steps = [registry.STEPS[name] for name in sorted(used) if name in registry.STEPS]
    for kind in dict.fromkeys([*stages, *steps]):
        end_run = getattr(kind, "end_run", None)
        if end_run is not None:
            await _guarded(end_run, None, f"end_run of {kind}", ctx)


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
    rec = jobs.Recorder(sink)
    planned = _plan_jobs(plan, ctx, rec)
    gate = asyncio.Semaphore(concurrency or plan.concurrency)
    tasks = [asyncio.ensure_future(_bounded(job, work, gate)) for job, work in planned if work]
    ticker = progress.start(sink, [job for job, _ in planned])
    try:
        ended = await _wait(tasks, stop, deadline if deadline is not None else plan.deadline)
    finally:
        await progress.stop(ticker)
    await _end_run(planned, ctx)
    if ended is not None:
        for job, _ in planned:
            for result in job.unfinished(ended, now=time.monotonic()):
                rec.emit(job, result)
    report = RunReport(
        info=info,
        results=tuple(r for job, _ in planned for r in job.done),
        finished_at=now_iso(),
        duration_s=time.monotonic() - clock,
        interrupted=ended == "interrupted",
        deadline_hit=ended == "deadline",
    )
    sink.finished(report)
    return report
