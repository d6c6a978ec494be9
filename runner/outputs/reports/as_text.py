"""Plain text, the base of the Markdown and HTML renderings' content."""

from __future__ import annotations

from collections.abc import Sequence

from runner.outputs.reports import fleet
from runner.outputs.reports.load import Missing, Problem, Report
from runner.outputs.wording import counted


def single(report: Report) -> list[str]:
    lines = [
        f"asrcheck report: {report.label}",
        f"Verdict: {report.verdict.upper()}",
        f"Plan: {report.plan('name')} {report.plan('version')}",
        f"Machine: {fleet.machine_line(report)}",
        f"Routes: {', '.join(fleet.routes(report)) or '-'}",
        "",
    ]
    bad = fleet.failures(report)
    lines.append(f"Failures ({len(bad)}):" if bad else "Failures: none")
    for result in bad:
        lines.append(
            f"  {fleet.effective(result).upper()} {fleet.text(result, 'check')} "
            f"{fleet.subject(result)} ({fleet.route(result)}): {fleet.text(result, 'detail')}"
        )
        lines.append(f"    reason: {fleet.text(result, 'reason')}")
        lines += [f"    what to do: {line}" for line in fleet.hint_lines(result)]
        if result.get("command"):
            lines.append(f"    try by hand: {fleet.text(result, 'command')}")
    manual = fleet.by_hand(report)
    if manual:
        lines += [f"To check by hand ({len(manual)}):", *(f"  {line}" for line in manual)]
    return lines


def many(reports: Sequence[Report], missing: Sequence[Missing]) -> list[str]:
    lines = [f"asrcheck fleet report: {len(reports)} reports, {len(missing)} without report", ""]
    names = fleet.endpoints(reports)
    lines.append("Matrix (worst status per endpoint):")
    for report in reports:
        cells = " ".join(f"{name}={fleet.cell(report, name)}" for name in names)
        lines.append(f"  {report.label} [{report.verdict}]: {cells}")
    lines.append("")
    lines.append("Failures by cause:")
    lines += [
        f"  {g.status.upper()} {g.subject} {g.check} {g.reason} on {len(g.machines)} "
        f"of {counted(len(reports), 'machine')}: {g.hint} ({', '.join(g.machines)})"
        for g in fleet.groups(reports)
    ]
    stopped = [r.label for r in reports if fleet.stopped(r)]
    lines += ["", "Interrupted runs: " + (", ".join(stopped) or "none")]
    lines.append("No report: " + (", ".join(f"{m.label} ({m.why})" for m in missing) or "none"))
    for report in reports:
        lines += ["", *single(report)]
    return lines


def render(
    reports: Sequence[Report], missing: Sequence[Missing], problems: Sequence[Problem]
) -> str:
    lines = single(reports[0]) if len(reports) == 1 and not missing else many(reports, missing)
    lines += [f"Unusable file: {p.path}: {p.why}" for p in problems]
    return "\n".join(lines) + "\n"
