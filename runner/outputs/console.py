"""The console sink: one line per finished check; then the run-wide findings, what to do
grouped by cause, the sections that are off in one line, a table and the verdict."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from runner import registry
from runner.events import Progress, RunInfo, RunReport
from runner.outputs import advice, columns
from runner.outputs.advice import MANUAL
from runner.outputs.color import is_terminal
from runner.outputs.findings import dns_down
from runner.outputs.status_line import StatusLine
from runner.outputs.wording import counted
from runner.redact import Redactor
from runner.results import CheckResult, Status

_COLORS = {
    Status.PASS: "32",
    Status.WARN: "33",
    Status.FAIL: "31",
    Status.ERROR: "35",
    Status.SKIP: "2",
}
_VERDICT_COLORS = {"pass": "32", "warn": "33", "fail": "31", "interrupted": "35"}
_VERDICTS = {
    "pass": "every required check passed",
    "warn": "every required check passed, with warnings to review",
    "fail": "a required check failed: fix the causes above (see 'what to do' under each)",
    "interrupted": "the run was interrupted; the results above are incomplete",
}


class ConsoleSink:
    """Prints results as they finish; `quiet` keeps only the summary, `verbose` adds facts."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        redactor: Redactor | None = None,
        color: bool = False,
        quiet: bool = False,
        verbose: bool = False,
        progress: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stdout
        self.redactor = redactor or Redactor()
        self.color = color
        self.quiet = quiet
        self.verbose = verbose
        #: Hint lines are wrapped to this width on a terminal; 0 keeps one line per hint.
        self.width = _terminal_width(self.stream)
        #: Set when the stream went away; the run goes on (the report is still written).
        self.closed = False
        #: (endpoint, route, detail) of skips already printed: later stages say the same.
        self._skips_shown: set[tuple[str, str, str]] = set()
        #: (endpoint, route) that failed a stage: the stages after it are not printed.
        self._failed: set[tuple[str, str]] = set()
        #: Sections that are off, in the order their first skip came.
        self._off: dict[str, None] = {}
        #: The status line while checks are pending: on a terminal only, unless told.
        live = is_terminal(self.stream) if progress is None else progress
        self.status = StatusLine(self.stream, self.redactor) if live else None

    def _print(self, text: str = "") -> None:
        if self.closed:
            return
        self.clear_status()
        try:
            print(self.redactor.mask(text), file=self.stream, flush=True)
        except (BrokenPipeError, ValueError):  # e.g. `asrcheck run ... | head`: stop printing
            self.closed = True

    def progress(self, progress: Progress) -> None:
        """Rewrites the status line (checks done, what is waiting) on a terminal."""
        if self.status is not None and not self.closed:
            self.status.show(progress)

    def clear_status(self) -> None:
        """Takes the status line off the screen, e.g. before a notice is printed."""
        if self.status is not None:
            self.status.clear()

    def _paint(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def started(self, info: RunInfo) -> None:
        if self.quiet:
            return
        plan = info.plan
        self._print(
            f"asrcheck {info.tool_version}: plan {plan.name} {plan.version} ({plan.source})"
        )
        for line in _settings_lines(info.settings):
            self._print(line)
        wanted = sum(1 for e in plan.endpoints if e.enabled)
        limits = _limits(info.settings)
        steps = counted(len(plan.steps), "step")
        self._print(f"Checking {counted(wanted, 'endpoint')} and {steps}{limits}:")

    def _repeats_a_skip(self, result: CheckResult) -> bool:
        """True for the 2nd, 3rd... skip of one endpoint and route with the same reason, and
        for the stages skipped after a failure (folded into the failure's line)."""
        if result.endpoint is None or self.verbose:
            return False
        where = (result.endpoint, result.route.label() if result.route else "")
        if result.status in (Status.FAIL, Status.ERROR):
            self._failed.add(where)
        if result.status is not Status.SKIP:
            return False
        key = (*where, result.detail)
        if key in self._skips_shown or where in self._failed:
            return True
        self._skips_shown.add(key)
        return False

    def _section_off(self, result: CheckResult) -> bool:
        """True for the skip of a section that is off: it is told once, at the end."""
        off = section_off(result)
        if off and not self.verbose:
            self._off.setdefault(off, None)
            return True
        return False

    def _step_passed(self, result: CheckResult) -> bool:
        """True for a step outcome with nothing to act on: the table lists it."""
        quiet = result.status is Status.PASS or result.reason == "not-available"
        return result.endpoint is None and quiet and not self.verbose

    def result(self, result: CheckResult) -> None:
        if self.quiet or self._section_off(result) or self._repeats_a_skip(result):
            return
        if self._step_passed(result):
            return
        word = self._paint(_COLORS[result.status], f"{result.status.value.upper():5}")
        folded = result.status is Status.SKIP and result.endpoint and result.reason != MANUAL
        check = f"{result.check}+" if folded else result.check
        subject = _subject(result).strip()
        self._print(f"{word} {check:6} {subject + ': ' if subject else ''}{result.detail}")
        if self.verbose and result.facts:
            self._print(f"      facts: {json.dumps(result.facts, sort_keys=True, default=str)}")

    def _causes(self, results: Sequence[CheckResult]) -> None:
        """Run-wide findings first, then each cause with its advice once."""
        down = dns_down(results)
        if down:  # it heads the block of its cause (the DNS failures)
            self._print()
            self._print(self._paint(_COLORS[Status.FAIL], down))
        for index, cause in enumerate(advice.causes(results)):
            if down and cause.warning_only:  # most likely the same problem: one line
                names = ", ".join(cause.names)
                self._print(f"also {cause.reason}: {names}, likely from the same DNS problem")
                continue
            if index or not down:
                self._print()
            for line in advice.cause_lines(cause, width=self.width, notes=False):
                self._print(line)
        manual = advice.by_hand_lines(results, width=self.width)
        if manual:
            self._print()
        for line in manual:
            self._print(line)

    def finished(self, report: RunReport) -> None:
        if self.quiet:  # no table: one line per cause, then the verdict
            self._print()
            down = dns_down(report.results)
            if down:
                self._print(self._paint(_COLORS[Status.FAIL], down))
            for cause in advice.causes(report.results):
                if any(r.status in (Status.FAIL, Status.ERROR) for r in cause.results):
                    self._print(f"failed: {cause.reason}: {', '.join(cause.names)}")
            manual = advice.by_hand_lines(report.results)
            if manual:
                self._print(manual[0])
        else:
            self._causes(report.results)
            self._print()
            for line in _table(report.results):
                self._print(line)
        if self._off:
            self._print(f"off: {', '.join(self._off)}: --enable NAME to check them")
        counts = report.counts()
        shown = ", ".join(f"{counts[s.value]} {s.value}" for s in Status if counts[s.value])
        self._print(
            f"\n{len(report.results)} checks in {report.duration_s:.1f}s: {shown or 'none'}"
        )
        if report.deadline_hit:
            self._print("The run's deadline cut it short: rerun with a larger --deadline.")
        verdict = report.verdict
        label = self._paint(_VERDICT_COLORS[verdict], f"VERDICT: {verdict.upper()}")
        words = _VERDICTS[verdict]
        if self.quiet and verdict == "fail":  # the advice was not printed: say where it is
            words = "a required check failed: the support log says what to do for each"
        self._print(f"{label}: {words}")


def section_off(result: CheckResult) -> str | None:
    """The section's name when `result` is the skip of a section that is off."""
    section = result.section
    if (
        result.status is Status.SKIP
        and section
        and result.detail.startswith(f"section {section} is off")
    ):
        return section
    return None


def _terminal_width(stream: TextIO) -> int:
    """The terminal's width (at most 120) when `stream` is one; 0 otherwise."""
    if not is_terminal(stream):
        return 0
    return min(shutil.get_terminal_size((100, 24)).columns, 120)


def _settings_lines(settings: Mapping[str, object]) -> list[str]:
    """Where the routes come from and the limits, in an admin's words."""
    if not settings:
        return []
    if settings.get("no_proxy"):
        routes = "direct only (--no-proxy)"
    else:
        routes = (
            f"--proxy {settings.get('cli_proxy') or 'not given'}; "
            f"HTTPS_PROXY {settings.get('env_proxy') or 'not set'}; "
            f"ASR agent proxy {settings.get('agent_proxy') or 'none found'}"
        )
    dns = settings.get("dns_servers")
    dns_text = ", ".join(map(str, dns)) if isinstance(dns, list) else str(dns)
    return [
        f"Routes: {routes}",
        *_https_proxy_notes(settings),
        f"DNS: {dns_text}; TLS trust: {settings.get('ca_bundle')}",
    ]


def _limits(settings: Mapping[str, object]) -> str:
    """` (stage timeout 5s, deadline 90s)`, or "" without settings."""
    if "timeout" not in settings:
        return ""
    return f" (stage timeout {settings.get('timeout')}s, deadline {settings.get('deadline')}s)"


def _https_proxy_notes(settings: Mapping[str, object]) -> list[str]:
    """A note per proxy written as https://, which is checked as a plain HTTP proxy."""
    if settings.get("no_proxy"):
        return []
    named = (("cli_proxy", "--proxy"), ("env_proxy", "HTTPS_PROXY"))
    urls = {label: str(settings.get(key) or "").split(" ")[0] for key, label in named}
    return [
        f"Note: {label} {url} is checked as an HTTP proxy (plain CONNECT, as for http://); "
        "the ASR agent does not support an https:// proxy URL."
        for label, url in urls.items()
        if url.lower().startswith("https://")
    ]


def _step_name(result: CheckResult) -> str:
    """The step's id and check, without saying the same word twice: `clock` for step
    `clock` check `clock`, `network:dns` for step `network`, `time-sync ntp` otherwise."""
    step, check = result.step or "", result.check
    if not step or step == check or check.startswith(f"{step}:"):
        return check
    return f"{step} {check}"


def _subject(result: CheckResult) -> str:
    if result.endpoint is None:
        bad = result.status in (Status.FAIL, Status.ERROR)
        optional = " [optional]" if bad and not result.required else ""
        step = "" if _step_name(result) == result.check else str(result.step)
        route = f" {result.route.label()}" if result.route else ""  # a routed step
        return step + optional + route
    optional = "" if result.required else " [optional]"
    where = f"{result.endpoint}{optional} ({result.host}:{result.port})"
    return f"{where} {result.route.label()}" if result.route else where


def _table(results: tuple[CheckResult, ...]) -> list[str]:
    """Endpoint x stage grid; steps listed under it."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    steps: list[str] = []
    for r in results:
        if r.endpoint is None:
            route = f" {r.route.label()}" if r.route else ""
            steps.append(f"  {_step_name(r)}{route}: {r.status.value} ({r.reason})")
            continue
        name = r.endpoint if r.required else f"{r.endpoint} (optional)"
        key = (name, r.route.label() if r.route else "")
        cell = r.status.value if r.reason in ("ok", "skipped") else f"{r.status.value}:{r.reason}"
        rows.setdefault(key, {})[r.check] = cell
    stages = registry.in_chain_order({check for row in rows.values() for check in row})
    header = ["endpoint", "route", *stages]
    body = [[ep, route, *(row.get(s, "-") for s in stages)] for (ep, route), row in rows.items()]
    lines = columns.align([header, *body])
    if steps:
        lines += ["", "steps:", *steps]
    return lines if body or steps else ["(no checks)"]
