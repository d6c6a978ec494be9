"""CSV, one row per result (and one per machine without report), for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from runner.outputs.reports import fleet
from runner.outputs.reports.load import Missing, Problem, Report

COLUMNS = (
    "machine",
    "file",
    "plan",
    "plan_version",
    "verdict",
    "endpoint",
    "step",
    "host",
    "port",
    "route",
    "check",
    "section",
    "required",
    "status",
    "effective",
    "reason",
    "detail",
    "hint",
    "command",
    "duration_s",
)


def cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula (a leading = + - @ gets a quote)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def render(
    reports: Sequence[Report], missing: Sequence[Missing], problems: Sequence[Problem]
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for report in reports:
        head = [
            report.label,
            report.path,
            report.plan("name"),
            report.plan("version"),
            report.verdict,
        ]
        for r in report.results:
            writer.writerow(
                [
                    cell(v)
                    for v in [
                        *head,
                        r.get("endpoint"),
                        r.get("step"),
                        r.get("host"),
                        r.get("port"),
                        fleet.route(r),
                        fleet.text(r, "check"),
                        r.get("section"),
                        r.get("required"),
                        r.get("status"),
                        fleet.effective(r),
                        fleet.text(r, "reason"),
                        fleet.text(r, "detail"),
                        " / ".join(fleet.hint_lines(r)),
                        fleet.text(r, "command"),
                        r.get("duration_s"),
                    ]
                ]
            )
    for m in missing:
        row = {"machine": m.label, "status": "no-report", "effective": "fail", "detail": m.why}
        writer.writerow([cell(row.get(c, "")) for c in COLUMNS])
    return out.getvalue()
