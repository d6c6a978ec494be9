"""A comparison of two reports as text (for people) or JSON (for scripts)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from runner.outputs.reports import fleet
from runner.outputs.reports.changes import KINDS, Change, Comparison, ValueChange
from runner.outputs.reports.load import Report

TITLES = {
    "newly-failing": "Newly failing",
    "fixed": "Fixed",
    "still-failing": "Still failing",
    "not-compared": "Not compared",
}
NOTES = {"not-compared": ": not run in one of the two (skipped, interrupted or absent)"}


def _side(report: Report) -> str:
    finished = fleet.text(report.doc, "finished_at") or "?"
    stopped = ", interrupted" if fleet.stopped(report) else ""
    return (
        f"{report.path}: {report.label}, plan {report.plan('name')} {report.plan('version')}, "
        f"finished {finished}, verdict {report.verdict.upper()}{stopped}"
    )


def _finished(report: Report) -> str:
    """`finished_at` (ISO 8601 UTC, so comparable as text), or "" when it is missing."""
    return str(report.doc.get("finished_at") or "")


def _value(value: str | None) -> str:
    return "(not set)" if value is None else repr(value)


def _values(title: str, changes: tuple[ValueChange, ...]) -> list[str]:
    if not changes:
        return []
    lines = [f"{title}:"]
    lines += [f"  {c.name}: {_value(c.before)} -> {_value(c.after)}" for c in changes]
    return lines


def _state(result: Mapping[str, Any] | None) -> str:
    if result is None:
        return "absent"
    return f"{fleet.effective(result)} {fleet.text(result, 'reason')}"


def _line(change: Change) -> list[str]:
    key = change.key
    head = f"{key.check} {key.subject} ({key.route}): "
    head += f"{_state(change.before)} -> {_state(change.after)}"
    now = change.after
    if now is None or change.kind in ("fixed", "not-compared"):
        return [f"  {head}"]
    lines = [f"  {head}: {fleet.text(now, 'detail')}"]
    if change.kind == "newly-failing":
        lines += [f"    what to do: {line}" for line in fleet.hint_lines(now)]
    return lines


def _summary(comparison: Comparison) -> str:
    counts = [f"{len(comparison.of(kind))} {kind.replace('-', ' ')}" for kind in KINDS]
    return "Result: " + ", ".join(counts)


def as_text(comparison: Comparison) -> str:
    lines = [
        "asrcheck compare",
        f"Before: {_side(comparison.before)}",
        f"After:  {_side(comparison.after)}",
    ]
    if _finished(comparison.before) > _finished(comparison.after) > "":
        lines.append("Note: BEFORE finished later than AFTER: are the two files swapped?")
    lines += _values("Changed", comparison.plan)
    lines += _values("Variables", comparison.variables)
    lines += _values("Sections", comparison.sections)
    for kind, title in TITLES.items():
        found = comparison.of(kind)
        if found:
            lines += ["", f"{title} ({len(found)}){NOTES.get(kind, ':')}"]
            lines += [text for change in found for text in _line(change)]
    same = comparison.of("unchanged")
    statuses = [change.status("after") for change in same]
    tally = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(statuses))
    lines += ["", f"Unchanged: {len(same)} checks" + (f" ({tally})" if tally else "")]
    if fleet.stopped(comparison.after):
        lines.append("After was interrupted: its unfinished checks could not be compared.")
    lines.append(_summary(comparison))
    return "\n".join(lines) + "\n"


def _result(result: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if result is None:
        return None
    keys = ("status", "reason", "detail")
    return {"effective": fleet.effective(result), **{k: result.get(k) for k in keys}}


def _report(report: Report) -> dict[str, Any]:
    return {
        "file": report.path,
        "machine": report.label,
        "plan": report.plan("name"),
        "plan_version": report.plan("version"),
        "finished_at": report.doc.get("finished_at"),
        "verdict": report.verdict,
        "interrupted": fleet.stopped(report),
    }


def _changed(changes: tuple[ValueChange, ...]) -> list[dict[str, Any]]:
    return [{"name": c.name, "before": c.before, "after": c.after} for c in changes]


def as_json(comparison: Comparison) -> str:
    checks = [
        {
            "change": change.kind,
            "subject": change.key.subject,
            "route": change.key.route,
            "check": change.key.check,
            "before": _result(change.before),
            "after": _result(change.after),
        }
        for change in comparison.checks
    ]
    document = {
        "before": _report(comparison.before),
        "after": _report(comparison.after),
        "plan": _changed(comparison.plan),
        "variables": _changed(comparison.variables),
        "sections": _changed(comparison.sections),
        "checks": checks,
        "counts": {kind: len(comparison.of(kind)) for kind in KINDS},
        "exit_code": comparison.exit_code,
    }
    return json.dumps(document, indent=2) + "\n"
