"""Allows `python -m runner`."""

import sys

if sys.argv[1:2] == ["run"]:  # first of all: a signal from now on is not lost
    from runner.engine import early_signals

    early_signals.arm(for_process=True)

from runner.cli import main

raise SystemExit(main())
