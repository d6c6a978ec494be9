"""Import cost of asrcheck's modules and dependencies, each in a fresh interpreter.

`python -X importtime -c "import M"` prints one line per imported module; the last line is
M itself with its cumulative time (microseconds). Shared imports (ssl, asyncio) are counted
in every module that pulls them in, so the figures overlap and do not add up.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from bench.asrcheck import REPO

MODULES = (
    "yaml",
    "jsonschema",
    "httpx",
    "h11",
    "dns.asyncresolver",
    "loguru",
    "ssl",
    "asyncio",
    "runner.cli",
    "runner.plan.load",
    "runner.commands.run",
)


def cumulative_seconds(stderr: str) -> float | None:
    """The cumulative time of the last (top-level) module in -X importtime output."""
    for line in reversed(stderr.splitlines()):
        if line.startswith("import time:") and "|" in line:
            fields = line.split("|")
            try:
                return int(fields[1].strip()) / 1e6
            except ValueError:
                return None
    return None


def import_seconds(python: str, module: str) -> float | None:
    """Seconds to import `module` (and what it pulls in) in a fresh `python`."""
    done = subprocess.run(
        [python, "-X", "importtime", "-c", f"import {module}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        return None
    return cumulative_seconds(done.stderr)


def measure_imports(
    python: str, repeat: int, modules: Sequence[str] = MODULES
) -> dict[str, list[float]]:
    """Module -> import seconds of each repetition (modules that fail to import are left out)."""
    out: dict[str, list[float]] = {}
    for module in modules:
        times = [import_seconds(python, module) for _ in range(repeat)]
        if all(t is not None for t in times):
            out[module] = [t for t in times if t is not None]
    return out
