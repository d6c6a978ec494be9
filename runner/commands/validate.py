"""`asrcheck validate PLAN...`: every problem of every plan, one per line on stdout.

Each line is `FILE:LINE:COLUMN: path.in.plan: message`; a summary goes to stderr. Exit 2
if any plan is invalid, 0 otherwise. Required variables that are not given are not
problems here, but values that are given are checked. A built-in plan whose content is
the one the test suite validated (`plan/trusted.py`) is not checked against the JSON Schema
again, as `run` does not; every other file, and a changed built-in plan, is checked in full.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from runner import exit_codes
from runner.commands._plan_args import plan_inputs
from runner.errors import PlanError
from runner.outputs.wording import counted
from runner.plan.load import load_plan
from runner.redact import Redactor


def main(args: argparse.Namespace) -> int:
    inputs = plan_inputs(args)
    results = [_validate(ref, inputs) for ref in args.plans]
    return exit_codes.OK if all(results) else exit_codes.USAGE


def _validate(ref: str, inputs: dict[str, Any]) -> bool:
    """Prints the plan's problems; True when it has none."""
    try:
        load_plan(ref, require_vars=False, trust_builtin=True, **inputs)
    except PlanError as error:
        for problem in error.problems:
            text = Redactor().mask(str(problem))
            print(text if problem.location or text.startswith(f"{ref}: ") else f"{ref}: {text}")
        count = len(error.problems)
        print(f"asrcheck: {ref}: {counted(count, 'problem')}", file=sys.stderr)
        return False
    print(f"asrcheck: {ref}: valid", file=sys.stderr)
    return True
