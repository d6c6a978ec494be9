"""`asrcheck list`: the built-in plans with name, version, scenario and description."""

from __future__ import annotations

import argparse
import sys

from runner import exit_codes, resources
from runner.errors import PlanError
from runner.outputs import columns
from runner.plan import source


def main(args: argparse.Namespace) -> int:
    del args
    directory = resources.plans_dir()
    rows: list[tuple[str, ...]] = [("NAME", "VERSION", "SCENARIO", "DESCRIPTION")]
    for path in sorted(directory.glob("*.yaml")):
        try:
            data, _ = source.load_file(path)
        except PlanError:
            rows.append((path.stem, "?", "?", "(invalid: run asrcheck validate)"))
            continue
        rows.append(
            (
                path.stem,
                *(str(data.get(key, "?")) for key in ("version", "scenario", "description")),
            )
        )
    if len(rows) == 1:
        print(f"asrcheck: no built-in plans in {directory}", file=sys.stderr)
        return exit_codes.OK
    for line in columns.align(rows):
        print(line)
    return exit_codes.OK
