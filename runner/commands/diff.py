"""`asrcheck diff OLD NEW`: endpoints and steps added, removed and changed between two
resolved plans; a changed one shows every field that differs, old -> new.

Exit 0 when the resolved endpoint sets are identical (a version change alone is reported
but does not count), 1 when they differ. The same --var/--enable/--disable apply to both
plans; names one plan does not declare are ignored for that plan.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from runner import exit_codes
from runner.commands._plan_args import plan_inputs
from runner.plan.as_data import ENDPOINT_FIELDS, endpoint_dict, redactor_for, step_dict
from runner.plan.load import load_plan

#: Endpoint fields in the order a change lists them: what is contacted first.
FIRST = ("host", "port", "section", "purpose", "enabled")
COMPARED = (*FIRST, *(f for f in ENDPOINT_FIELDS if f not in FIRST and f != "id"))
STEP_COMPARED = ("kind", "title", "section", "enabled", "skip_reason", "required", "timeout")


def main(args: argparse.Namespace) -> int:
    inputs = plan_inputs(args)
    old = load_plan(args.old, lenient=True, **inputs)
    new = load_plan(args.new, lenient=True, **inputs)
    if old.version != new.version or old.name != new.name:
        print(f"plan: {old.name} {old.version} -> {new.name} {new.version}")
    lines = compare(
        {e.id: endpoint_dict(e) for e in old.endpoints},
        {e.id: endpoint_dict(e) for e in new.endpoints},
    ) + compare_steps(
        {s.id: step_dict(s) for s in old.steps},
        {s.id: step_dict(s) for s in new.steps},
    )
    old_secrets, new_secrets = redactor_for(old), redactor_for(new)
    for line in lines:
        print(new_secrets.mask(old_secrets.mask(line)))
    if not lines:
        print("endpoints and steps: identical")
    return exit_codes.FAILED if lines else exit_codes.OK


def _brief(item: dict[str, Any]) -> str:
    section = f" [{item['section']}]" if item["section"] else ""
    return f"{item['id']}: {item['host']}:{item['port']}{section} ({item['purpose']})"


def _step_brief(item: dict[str, Any]) -> str:
    section = f" [{item['section']}]" if item["section"] else ""
    return f"step {item['id']}: {item['kind']}{section} ({item['title']})"


def _changes(old: dict[str, Any], new: dict[str, Any], fields: tuple[str, ...]) -> str:
    """Every field that differs, old -> new; why it is off only when `enabled` is the same."""
    switched = old.get("enabled") != new.get("enabled")
    return "; ".join(
        f"{field} {old.get(field)!r} -> {new.get(field)!r}"
        for field in fields
        if old.get(field) != new.get(field) and not (switched and field == "skip_reason")
    )


def _compare(
    old: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
    brief: Callable[[dict[str, Any]], str],
    fields: tuple[str, ...],
    label: str = "",
) -> list[str]:
    lines = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            lines.append(f"+ {brief(new[name])}")
        elif name not in new:
            lines.append(f"- {brief(old[name])}")
        else:
            changes = _changes(old[name], new[name], fields)
            if changes:
                lines.append(f"~ {label}{name}: {changes}")
    return lines


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """One line per endpoint added (+), removed (-) or changed (~: every field that
    differs, old -> new), in id order."""
    return _compare(old, new, _brief, COMPARED)


def compare_steps(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """The same for steps (`step ID`), their parameters included."""
    return _compare(old, new, _step_brief, (*STEP_COMPARED, "params"), "step ")
