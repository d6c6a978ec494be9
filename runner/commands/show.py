"""`asrcheck show PLAN`: the resolved plan as YAML and a table of endpoints, or JSON."""

from __future__ import annotations

import argparse
import json

import yaml

from runner import exit_codes
from runner.commands._plan_args import plan_inputs
from runner.outputs import columns
from runner.plan.as_data import plan_dict
from runner.plan.load import load_plan


def main(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan, **plan_inputs(args))
    data = plan_dict(plan)
    if args.format == "json":
        print(json.dumps(data, indent=2))
        return exit_codes.OK
    print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), end="")
    print()
    print(table(data["endpoints"]))
    return exit_codes.OK


def table(endpoints: list[dict[str, object]]) -> str:
    """Aligned columns: id, host, port, section, enabled, why."""
    rows = [("ID", "HOST", "PORT", "SECTION", "ENABLED", "WHY")]
    for item in endpoints:
        why = str(item["purpose"])
        if not item["enabled"]:
            why = f"{why} [skipped: {item['skip_reason']}]"
        enabled = "yes" if item["enabled"] else "no"
        rows.append(
            (
                str(item["id"]),
                str(item["host"]),
                str(item["port"]),
                str(item["section"] or "-"),
                enabled,
                why,
            )
        )
    return "\n".join(columns.align(rows))
