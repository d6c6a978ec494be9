"""`asrcheck kinds`: the stage and step kinds plans can use, with one line each."""

from __future__ import annotations

import argparse

from runner import registry


def main(args: argparse.Namespace) -> int:
    del args
    for title, kinds in (
        ("Stages (the names an endpoint's `chain:` lists)", registry.STAGES),
        ("Step kinds (a step's `kind:`)", registry.STEPS),
    ):
        print(f"{title}:")
        if not kinds:
            print("  (none registered)")
        width = max((len(name) for name in kinds), default=0)
        for name in sorted(kinds):
            print(f"  {name.ljust(width)}  {kinds[name].SUMMARY}")
    return 0
