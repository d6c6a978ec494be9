"""`asrcheck diff OLD NEW`: endpoints added, removed and changed between two resolved plans.

Exit 0 when the resolved endpoint sets are identical (a version change alone is reported
but does not count), 1 when they differ. The same --var/--enable/--disable apply to both
plans; names one plan does not declare are ignored for that plan.
"""

from __future__ import annotations

import argparse
from typing import Any

from runner.commands._plan_args import plan_inputs
from runner.plan.as_data import endpoint_dict, redactor_for
from runner.plan.load import load_plan

COMPARED = ("host", "port", "section", "purpose", "enabled")


def main(args: argparse.Namespace) -> int:
    inputs = plan_inputs(args)
    old = load_plan(args.old, lenient=True, **inputs)
    new = load_plan(args.new, lenient=True, **inputs)
    if old.version != new.version or old.name != new.name:
        print(f"plan: {old.name} {old.version} -> {new.name} {new.version}")
    lines = compare(
        {e.id: endpoint_dict(e) for e in old.endpoints},
        {e.id: endpoint_dict(e) for e in new.endpoints},
    )
    old_secrets, new_secrets = redactor_for(old), redactor_for(new)
    for line in lines:
        print(new_secrets.mask(old_secrets.mask(line)))
    if not lines:
        print("endpoints: identical")
    return 1 if lines else 0


def _brief(item: dict[str, Any]) -> str:
    section = f" [{item['section']}]" if item["section"] else ""
    return f"{item['id']}: {item['host']}:{item['port']}{section} ({item['purpose']})"


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """One line per endpoint added (+), removed (-) or changed (~), in id order."""
    lines = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            lines.append(f"+ {_brief(new[name])}")
        elif name not in new:
            lines.append(f"- {_brief(old[name])}")
        else:
            changes = [
                f"{field} {old[name][field]!r} -> {new[name][field]!r}"
                for field in COMPARED
                if old[name][field] != new[name][field]
            ]
            if changes:
                lines.append(f"~ {name}: " + "; ".join(changes))
    return lines
