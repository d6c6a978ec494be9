"""What the renderers show: effective status per result, cells, grouped failures, exit code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from runner import exit_codes
from runner.outputs.reports.load import Missing, Problem, Report
from runner.peer_text import escaped

#: Effective status, worst last.
ORDER = ("skip", "pass", "warn", "fail")


def effective(result: Mapping[str, Any]) -> str:
    """`fail` (a required check failed), `warn` (optional failure or warning), pass, skip."""
    status = result.get("status")
    if status in ("fail", "error"):
        return "fail" if result.get("required", True) else "warn"
    return str(status) if status in ORDER else "fail"


def subject(result: Mapping[str, Any]) -> str:
    return escaped(str(result.get("endpoint") or result.get("step") or "?"))


def route(result: Mapping[str, Any]) -> str:
    given = result.get("route")
    if not isinstance(given, dict):
        return "-"
    if given.get("kind") == "direct":
        return "direct"
    return escaped(f"proxy {given.get('proxy')} ({given.get('source')})")


def text(result: Mapping[str, Any], key: str) -> str:
    return escaped(str(result.get(key) or ""))


def hint_lines(result: Mapping[str, Any]) -> list[str]:
    return [escaped(line) for line in str(result.get("hint") or "").splitlines() if line]


def failures(report: Report) -> list[Mapping[str, Any]]:
    return [r for r in report.results if effective(r) in ("fail", "warn")]


def by_hand(report: Report) -> list[str]:
    """Requirements without a concrete host (reason manual-check), one line each."""
    return [
        f"{subject(r)} ({text(r, 'host')}:{text(r, 'port')}): {text(r, 'detail')}"
        for r in report.results
        if r.get("reason") == "manual-check"
    ]


def endpoints(reports: Sequence[Report]) -> list[str]:
    seen: dict[str, None] = {}
    for report in reports:
        for result in report.results:
            if result.get("endpoint"):
                seen.setdefault(subject(result), None)
    return list(seen)


def cell(report: Report, endpoint: str) -> str:
    found = [effective(r) for r in report.results if r.get("endpoint") and subject(r) == endpoint]
    return max(found, key=ORDER.index) if found else "-"


@dataclass(frozen=True)
class Group:
    """One cause (subject, stage, reason) and the machines it hit."""

    subject: str
    check: str
    reason: str
    status: str
    hint: str
    machines: tuple[str, ...]


def groups(reports: Sequence[Report]) -> list[Group]:
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for report in reports:
        for result in failures(report):
            key = (subject(result), text(result, "check"), text(result, "reason"))
            entry = found.setdefault(key, {"status": "warn", "hint": "", "machines": {}})
            entry["machines"][report.label] = None
            if effective(result) == "fail":
                entry["status"] = "fail"
            entry["hint"] = entry["hint"] or next(iter(hint_lines(result)), "")
    made = [Group(*key, v["status"], v["hint"], tuple(v["machines"])) for key, v in found.items()]
    return sorted(made, key=lambda g: (g.status != "fail", -len(g.machines), g.subject))


def stopped(report: Report) -> bool:
    return bool(report.doc.get("interrupted")) or report.verdict == "interrupted"


def exit_code(
    reports: Sequence[Report], missing: Sequence[Missing], problems: Sequence[Problem]
) -> int:
    """2 an unusable file, 1 a failure, an interrupted run or a machine without report, else 0."""
    if problems:
        return exit_codes.USAGE
    if missing or any(r.verdict not in ("pass", "warn") or stopped(r) for r in reports):
        return exit_codes.FAILED
    return exit_codes.OK


def machine_line(report: Report) -> str:
    machine = report.machine
    parts = [str(machine.get("hostname") or "?"), str(machine.get("os") or "unknown OS")]
    azure = machine.get("azure")
    if isinstance(azure, dict):
        parts.append(
            "Azure VM {vm_name} ({vm_id}), resource group {resource_group}, subscription "
            "{subscription_id}, {region}".format_map({k: azure.get(k, "?") for k in _AZURE})
        )
    return escaped(", ".join(parts))


_AZURE = ("vm_name", "vm_id", "resource_group", "subscription_id", "region")


def routes(report: Report) -> list[str]:
    return list(dict.fromkeys(route(r) for r in report.results if r.get("route")))
