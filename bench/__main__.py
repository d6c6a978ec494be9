"""`python -m bench`: run the benchmark and write bench/RESULTS.md."""

from __future__ import annotations

from bench.cli import main

raise SystemExit(main())
