"""`asrcheck kinds`: the stage and step kinds plans can use, with one line each."""

from __future__ import annotations

import argparse

from runner import exit_codes, registry
from runner.outputs import columns


def main(args: argparse.Namespace) -> int:
    del args
    for title, kinds in (
        ("Stages (the names an endpoint's `chain:` lists)", registry.STAGES),
        ("Step kinds (a step's `kind:`)", registry.STEPS),
    ):
        print(f"{title}:")
        if not kinds:
            print("  (none registered)")
        rows = [[name, kinds[name].SUMMARY] for name in sorted(kinds)]
        for line in columns.align(rows, indent="  "):
            print(line)
    return exit_codes.OK
