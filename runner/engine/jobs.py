"""Turns a plan into jobs: one per step and per endpoint route, with the results it expects.

Also the pieces of a result the engine adds: hints (reason + endpoint remediation) and the
skip results of disabled endpoints, steps and sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from runner import peer_text, registry
from runner.engine import routing
from runner.events import Sink
from runner.model import Endpoint, Step
from runner.reasons import REASONS, hint_for
from runner.results import CheckResult, Route, Status

#: The longest detail line shown (peer values are cut shorter where they are inserted).
_DETAIL_LIMIT = 2000
_SKIP_CODES = ("skipped", "not-applicable", "missing-input", "manual-check")
#: The check name of an endpoint's one check-by-hand result.
MANUAL_CHECK = "manual"
#: Reasons where the path is open and something else is wrong: firewall advice would mislead.
_NOT_THE_PATH = frozenset(
    {
        "proxy-auth-required",
        "proxy-unreachable",
        "proxy-auth-unsupported",
        "cert-expired",
        "tls-protocol",
        "tls-intercepted",
        "cert-untrusted",
        "deadline",
        "interrupted",
        "internal-error",
        "skipped",
        "not-applicable",
        "missing-input",
        "manual-check",
    }
)


@dataclass(frozen=True)
class Running:
    """The stage a job is running: since when (monotonic), for how long at most, and the
    reason it gets once that is over."""

    check: str
    since: float
    limit: float
    timeout_reason: str


@dataclass
class Job:
    """One unit of work: the results it will produce, filled as they finish."""

    template: CheckResult
    expected: list[str]
    endpoint: Endpoint | None = None
    started: bool = False
    done: list[CheckResult] = field(default_factory=list)
    running: Running | None = None
    #: When the job got its turn (time.monotonic()), for the progress report.
    began: float = 0.0

    def result(
        self, check: str, status: Status, reason: str, detail: str, **kw: Any
    ) -> CheckResult:
        """A result of this job; hints are added for everything but a pass."""
        extra = kw.pop("hint", "")
        failed = status in (Status.FAIL, Status.ERROR)
        endpoint = self.endpoint if failed else None
        text = "" if status is Status.PASS else hint(check, reason, endpoint, extra)
        # One check = one line, whatever a peer put into the text (facts keep it exact).
        detail = peer_text.shown(detail, _DETAIL_LIMIT)
        text = peer_text.lines_escaped(text)
        return replace(
            self.template, check=check, status=status, reason=reason, detail=detail, hint=text, **kw
        )

    def unfinished(self, reason: str, now: float | None = None) -> list[CheckResult]:
        """Results for the checks that never finished (stop or deadline). A stage already
        past its timeout at the deadline (`now`, monotonic) timed out: its own reason."""
        finished = {result.check for result in self.done}
        missing = [check for check in self.expected if check not in finished]
        word = {"deadline": "the run's deadline", "interrupted": "the interruption"}[reason]
        out = []
        overdue = self._overdue(now) if reason == "deadline" else None
        for index, check in enumerate(missing):
            running = index == 0 and self.started
            if running and overdue is not None and overdue.check == check:
                detail = f"stage {check} did not finish within {overdue.limit:g}s"
                out.append(self.result(check, Status.FAIL, overdue.timeout_reason, detail))
                continue
            if overdue is not None and index > 0 and overdue.check == missing[0]:
                detail = f"not run: the {overdue.check} stage failed"
                out.append(self.result(check, Status.SKIP, "skipped", detail))
                continue
            status = Status.ERROR if running and reason == "deadline" else Status.SKIP
            detail = f"not finished before {word}" if running else f"not run because of {word}"
            out.append(self.result(check, status, reason, detail))
        return out

    def _overdue(self, now: float | None) -> Running | None:
        """The running stage, when it is past its time limit at `now`."""
        running = self.running
        if running is None or now is None or now - running.since < running.limit:
            return None
        return running


class Recorder:
    """Files each result with its job and streams it to the sink at once."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    def emit(self, job: Job, result: CheckResult) -> None:
        """Records `result` for `job` and hands it to the sink."""
        job.done.append(result)
        self.sink.result(result)


def hint(check: str, reason: str, endpoint: Endpoint | None, extra: str) -> str:
    """What to do, one piece of advice per line: the reason's hint, the stage's own, then
    (for failures: `endpoint` given) the endpoint's remediation text (its firewall advice
    only where a firewall can be the cause: the stage's `FIREWALL_ADVICE`; elsewhere, as on
    DNS failures, only for names that must resolve privately, whose text is about DNS
    zones), its ASR error codes and what is uncertain."""
    parts = [hint_for(reason) if reason in REASONS else "", extra]
    if endpoint is not None:
        path = reason not in _NOT_THE_PATH
        firewall = path and registry.firewall_advice(check)
        if firewall or (path and endpoint.address == "private"):
            parts.append(endpoint.hint or "")
        if firewall:
            if endpoint.wildcard:
                parts.append(f"This host stands for {endpoint.wildcard}: allow that name pattern.")
            if endpoint.service_tag:
                parts.append(f"Allow service tag {endpoint.service_tag} (TCP {endpoint.port}).")
        if endpoint.error_codes:
            parts.append(f"ASR error codes this causes: {', '.join(endpoint.error_codes)}.")
        if endpoint.uncertain:
            parts.append(f"Note: {endpoint.uncertain}")
    return "\n".join(" ".join(p.split()) for p in parts if p.strip())


def manual_hint(endpoint: Endpoint) -> str:
    """What to do for an endpoint without a concrete host (the detail says what to check),
    one line each: its own advice, its service tag, Microsoft's page, what is uncertain."""
    parts = [
        endpoint.hint or "",
        f"Allow service tag {endpoint.service_tag} (TCP {endpoint.port})."
        if endpoint.service_tag
        else "",
        f"Microsoft's page: {endpoint.docs}" if endpoint.docs else "",
        f"Note: {endpoint.uncertain}" if endpoint.uncertain else "",
    ]
    return "\n".join(" ".join(p.split()) for p in parts if p.strip())


def skip_reason(text: str | None) -> tuple[str, str]:
    """(code, detail) from a skip_reason: a code, `code: text`, or free text."""
    text = text or "skipped"
    code, _, rest = text.partition(":")
    if code.strip() in _SKIP_CODES:
        return code.strip(), rest.strip() or REASONS[code.strip()].meaning
    return "skipped", text


def step_template(step: Step, route: Route | None = None) -> CheckResult:
    """The fields every result of this step (over `route`, for a routed step) shares."""
    shared = {"step": step.id, "route": route, "section": step.section}
    return _template(step.kind, required=step.required, **shared)


def endpoint_template(endpoint: Endpoint, route: Route) -> CheckResult:
    """The fields every result of this endpoint and route shares."""
    where = {"endpoint": endpoint.id, "host": endpoint.host, "port": endpoint.port}
    return _template("", route=route, section=endpoint.section, required=endpoint.required, **where)


def _template(check: str, **shared: Any) -> CheckResult:
    """A job's result before any check finished: `Job.result` fills in the rest."""
    return CheckResult(check=check, status=Status.SKIP, reason="skipped", detail="", **shared)


def chain_for(endpoint: Endpoint, plan_route: routing.RoutePlan) -> list[str]:
    """Through a proxy the proxy-only stages (CONNECT) replace the direct-only ones (dns and
    tcp: the proxy resolves and connects); directly, the proxy-only stages are left out."""
    routes = {stage: registry.routes_of(stage) for stage in endpoint.chain}
    if plan_route.route.kind == "proxy":
        rest = [stage for stage in endpoint.chain if routes[stage] != "direct"]
        return [*registry.proxy_stages(), *rest]
    return [stage for stage in endpoint.chain if routes[stage] != "proxy"]


def disabled(
    enabled: bool, reason: str | None, section: str | None, off: dict[str, Any]
) -> tuple[str, str] | None:
    """(code, detail) when a step or endpoint is off, itself or through its section."""
    if section in off:
        return "skipped", f"section {section} is off ({off[section].why})"
    if not enabled:
        return skip_reason(reason)
    return None
