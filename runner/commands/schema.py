"""`asrcheck schema [--report]`: prints the plan (or JSON report) JSON Schema."""

from __future__ import annotations

import argparse
import sys

from runner import exit_codes, resources
from runner.plan.schema import schema_text


def main(args: argparse.Namespace) -> int:
    name = "report.schema.json" if args.report else "plan.schema.json"
    path = resources.schemas_dir() / name
    if path.is_file():
        print(path.read_text(encoding="utf-8"), end="")
        return exit_codes.OK
    if not args.report:
        print(schema_text(), end="")
        return exit_codes.OK
    print(f"asrcheck: {name} is missing from this installation ({path})", file=sys.stderr)
    return exit_codes.INTERNAL
