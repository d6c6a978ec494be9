"""Markdown for tickets and wikis: tables, with HTML and table syntax in values escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence

from runner.outputs.reports import fleet
from runner.outputs.reports.load import Missing, Problem, Report
from runner.outputs.wording import counted


def md(value: str) -> str:
    """A value safe in a Markdown table cell: no raw HTML, pipes, backticks or emphasis."""
    safe = html.escape(value, quote=False)
    for char in "\\|`*_[]#":
        safe = safe.replace(char, "\\" + char)
    return safe


def _single(report: Report, level: str = "#") -> list[str]:
    lines = [
        f"{level} asrcheck report: {md(report.label)}",
        "",
        f"- **Verdict:** {report.verdict.upper()}",
        f"- **Plan:** {md(report.plan('name'))} {md(report.plan('version'))}",
        f"- **Machine:** {md(fleet.machine_line(report))}",
        f"- **Routes:** {md(', '.join(fleet.routes(report)) or '-')}",
        "",
    ]
    manual = fleet.by_hand(report)
    if manual:
        lines += ["**To check by hand:**", "", *(f"- {md(line)}" for line in manual), ""]
    bad = fleet.failures(report)
    if not bad:
        return [*lines, "No failures.", ""]
    lines += [
        "| Status | Stage | Check | Route | Reason | What was seen | What to do | Try by hand |"
    ]
    lines += ["|---|---|---|---|---|---|---|---|"]
    for r in bad:
        cells = [
            fleet.effective(r).upper(),
            fleet.text(r, "check"),
            fleet.subject(r),
            fleet.route(r),
            fleet.text(r, "reason"),
            fleet.text(r, "detail"),
            " / ".join(fleet.hint_lines(r)),
            fleet.text(r, "command"),
        ]
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    return [*lines, ""]


def _many(reports: Sequence[Report], missing: Sequence[Missing]) -> list[str]:
    names = fleet.endpoints(reports)
    lines = [
        "# asrcheck fleet report",
        "",
        f"{counted(len(reports), 'report')}, {counted(len(missing), 'machine')} without report.",
        "",
        "## Matrix",
        "",
        "| Machine | Verdict | " + " | ".join(md(n) for n in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for r in reports:
        cells = [md(r.label), r.verdict.upper(), *(fleet.cell(r, n).upper() for n in names)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Failures by cause", ""]
    for g in fleet.groups(reports):
        lines.append(
            f"- **{g.status.upper()}** {md(g.subject)} {md(g.check)} {md(g.reason)} on "
            f"{len(g.machines)} of {counted(len(reports), 'machine')}: {md(g.hint)} "
            f"({md(', '.join(g.machines))})"
        )
    stopped = [md(r.label) for r in reports if fleet.stopped(r)]
    lines += ["", "## Interrupted runs", "", ", ".join(stopped) or "None.", ""]
    lines += ["## Machines without report", ""]
    lines += [f"- {md(m.label)}: {md(m.why)}" for m in missing] or ["None."]
    lines.append("")
    for r in reports:
        lines += _single(r, "##")
    return lines


def render(
    reports: Sequence[Report], missing: Sequence[Missing], problems: Sequence[Problem]
) -> str:
    lines = _single(reports[0]) if len(reports) == 1 and not missing else _many(reports, missing)
    lines += [f"- Unusable file {md(p.path)}: {md(p.why)}" for p in problems]
    return "\n".join(lines).rstrip("\n") + "\n"
