"""`asrcheck compare BEFORE AFTER`: what a change fixed and what it broke, check by check."""

from __future__ import annotations

import argparse
import sys

from runner import exit_codes
from runner.commands._output import emit
from runner.outputs.reports.changes import compare
from runner.outputs.reports.changes_shown import as_json, as_text
from runner.outputs.reports.load import Problem, load_one


def main(args: argparse.Namespace) -> int:
    before, after = load_one(args.before), load_one(args.after)
    problems = [side for side in (before, after) if isinstance(side, Problem)]
    for problem in problems:
        print(f"asrcheck: {problem.path}: {problem.why}", file=sys.stderr)
    if isinstance(before, Problem) or isinstance(after, Problem):
        return exit_codes.USAGE  # a file that cannot be read or is not a report
    comparison = compare(before, after)
    text = as_json(comparison) if args.format == "json" else as_text(comparison)
    emit(text, args.output)
    return comparison.exit_code
