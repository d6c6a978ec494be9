"""Section 7 of the support log: verdict, run-wide findings, failed and warned checks (one
line each), what to do grouped by cause, what to send to support.

The last line is `Script Completed` at a normal end (as Microsoft's scripts print), or an
`INTERRUPTED` line saying how many checks had finished.
"""

from __future__ import annotations

from collections.abc import Sequence

from runner.events import RunReport
from runner.outputs import advice
from runner.outputs.findings import dns_down
from runner.outputs.supportlog.sections import heading
from runner.results import CheckResult, Status

COMPLETED = "Script Completed"
_UNFINISHED = ("interrupted", "deadline")


def _line(result: CheckResult) -> str:
    where = result.endpoint or result.step or "-"
    route = f" via {result.route.label()}" if result.route else ""
    return f"  - {where} {result.check}{route}: {result.detail} [{result.reason}]\n"


def _causes(results: Sequence[CheckResult]) -> str:
    """What to do, once per cause (every manual command: the log is for support)."""
    found = advice.causes(results)
    if not found:
        return ""
    text = f"What to do, by cause ({len(found)}):\n"
    for cause in found:
        text += "\n".join(advice.cause_lines(cause, indent="  ", all_commands=True)) + "\n"
    return text + "\n"


def _group(title: str, results: Sequence[CheckResult]) -> str:
    if not results:
        return ""
    return f"{title} ({len(results)}):\n" + "".join(_line(r) for r in results) + "\n"


def error_codes(report: RunReport) -> list[str]:
    """ASR error codes of endpoints that failed a required check."""
    failed = {
        r.endpoint
        for r in report.results
        if r.endpoint and r.status in (Status.FAIL, Status.ERROR) and r.required
    }
    codes = [code for e in report.info.plan.endpoints if e.id in failed for code in e.error_codes]
    return sorted(set(codes))


def what_to_send(report: RunReport, json_path: str | None = None) -> str:
    info = report.info
    lines = ["What to send to Microsoft support:"]
    lines.append(f"  - this log file: {info.log_path or '(not written)'}")
    if json_path:
        lines.append(f"  - the JSON report: {json_path}")
    lines.append("  - the ASR error code and message shown in the Azure portal, if any")
    codes = error_codes(report)
    if codes:
        lines.append(f"  - ASR error codes these failures usually cause: {', '.join(codes)}")
    return "\n".join(lines) + "\n"


def summary(report: RunReport, json_path: str | None = None) -> str:
    """The whole section 7, ending with the completion line."""
    results = report.results
    unfinished = [r for r in results if r.reason in _UNFINISHED]
    finished = [r for r in results if r.reason not in _UNFINISHED]
    bad = [r for r in finished if r.status in (Status.FAIL, Status.ERROR)]
    warned = [r for r in finished if r.status is Status.WARN]
    counts = ", ".join(f"{name} {count}" for name, count in report.counts().items())
    text = heading(7) + f"Verdict: {report.verdict.upper()} ({counts})\n\n"
    down = dns_down(results)
    text += f"{down}\n\n" if down else ""
    text += _group("Failed checks", [r for r in bad if r.required])
    text += _group("Failed optional checks (warnings)", [r for r in bad if not r.required])
    text += _group("Warnings and findings", warned)
    text += _causes(finished)
    manual = advice.by_hand_lines(finished, indent="  ")
    text += "\n".join(["To check by hand:", *manual[1:]]) + "\n\n" if manual else ""
    text += what_to_send(report, json_path) + "\n"
    if report.interrupted:
        text += (
            "INTERRUPTED: the run was stopped (Ctrl+C or SIGTERM). "
            f"{len(finished)} checks had finished and are listed in this log; "
            f"{len(unfinished)} did not finish and are marked interrupted.\n"
        )
        return text
    if report.deadline_hit:
        text += f"DEADLINE: {len(unfinished)} checks did not finish before the run's deadline.\n"
    return text + f"{COMPLETED}\n"
