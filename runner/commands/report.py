"""`asrcheck report FILE...`: one report or a fleet, as text, Markdown, HTML, CSV or JUnit."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from runner import exit_codes
from runner.commands._output import emit
from runner.outputs.reports import fleet
from runner.outputs.reports.load import Missing, Problem, Report, load_all

FORMATS = {
    "text": "as_text",
    "markdown": "as_markdown",
    "html": "as_html",
    "csv": "as_csv",
    "junit": "as_junit",
}

Renderer = Callable[[Sequence[Report], Sequence[Missing], Sequence[Problem]], str]


def main(args: argparse.Namespace) -> int:
    reports, missing, problems = load_all(args.files)
    for problem in problems:
        print(f"asrcheck: {problem.path}: {problem.why}", file=sys.stderr)
    if not reports and not missing:
        print("asrcheck: no report to show", file=sys.stderr)
        return exit_codes.USAGE
    module = importlib.import_module(f"runner.outputs.reports.{FORMATS[args.format]}")
    render: Renderer = module.render
    text = render(reports, missing, problems)
    emit(text, args.output)
    return fleet.exit_code(reports, missing, problems)
