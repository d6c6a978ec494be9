"""Start-up of the one-file bundle against the installed command, same interpreter version:
`python -m bench.bundle [--repeat N]` prints a Markdown table (figures in bench/RESULTS.md).

The installed command is this checkout's `python -m runner` in the running venv; the bundle
is built by packaging/build_pyz.py into a temporary directory and run as
`BASE_PYTHON -I asrcheck.pyz` (the venv's base interpreter, so no site-packages is seen).
Both run from a directory outside the repository. The bundle's cache (its extracted copy,
see packaging/pyz_main.py) is filled by one warm-up run first; the last row is a run with
an empty cache directory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.asrcheck import REPO
from bench.machine import load_average
from bench.proc import measure
from bench.stats import Sample, fmt_value, markdown_table

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--version",),
    ("list",),
    ("validate", "a2a"),
    ("show", "a2a", "--var", "source_region=japaneast", "--var", "target_region=japanwest"),
)
RUN_IMPORT = "import runner.commands.run, runner.engine.run"


def base_python() -> str:
    candidate = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}"
    return str(candidate) if candidate.exists() else sys.executable


def build(directory: Path) -> Path:
    output = directory / "asrcheck.pyz"
    wheels = os.environ.get("ASRCHECK_BUNDLE_WHEELS", str(REPO / ".ci" / "bundle-wheels"))
    script = str(REPO / "packaging" / "build_pyz.py")
    argv = [sys.executable, script, "--wheels", wheels, "--output", str(output)]
    subprocess.run(argv, check=True, capture_output=True)
    return output


def _times(argv: Sequence[str], cwd: Path, env: dict[str, str], repeat: int) -> Sample:
    runs = [measure(argv, cwd=cwd, env=env, timeout=120) for _ in range(repeat)]
    ok = all(run.returncode == 0 for run in runs)
    return Sample(" ".join(argv[-3:]), tuple(run.seconds for run in runs), "s", ok)


def rows(bundle: Path, cwd: Path, repeat: int) -> list[list[str]]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "NO_COLOR": "1"}
    installed = [sys.executable, "-m", "runner"]
    packed = [base_python(), "-I", str(bundle)]
    subprocess.run([*packed, "list"], cwd=cwd, env=env, check=True, capture_output=True)
    table = []
    cases = [
        (f"`{' '.join(args[:2])}`", [*installed, *args], [*packed, *args]) for args in COMMANDS
    ]
    here = [sys.executable, "-c", RUN_IMPORT]
    extracted = str(next((cwd / ".cache" / "asrcheck").glob("bundle-*")))
    zipped = [
        base_python(),
        "-I",
        "-c",
        f"import sys; sys.path.insert(0, {extracted!r}); {RUN_IMPORT}",
    ]
    cases.append(("import of `run`'s modules", here, zipped))
    for label, one, other in cases:
        a, b = _times(one, cwd, env, repeat), _times(other, cwd, env, repeat)
        mark = "" if a.ok and b.ok else " (a run failed)"
        table.append(
            [
                label + mark,
                fmt_value(a.median, "s"),
                fmt_value(b.median, "s"),
                f"{b.median / a.median:.2f}×",
            ]
        )
    cold_env = {**env, "XDG_CACHE_HOME": str(cwd / "cold-cache")}
    cold = measure([*packed, "list"], cwd=cwd, env=cold_env, timeout=120)
    table.append(["`list`, bundle's first run (empty cache)", "", fmt_value(cold.seconds, "s"), ""])
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    before = load_average()
    with tempfile.TemporaryDirectory() as work:
        bundle = build(Path(work))
        size = bundle.stat().st_size / 1e6
        table = rows(bundle, Path(work), args.repeat)
    header = ["command", "installed (median)", "bundle (median)", "bundle / installed"]
    print(
        f"Python {sys.version.split()[0]}, bundle {size:.2f} MB, {args.repeat} runs each, "
        f"load average {before} before, {load_average()} after\n"
    )
    print(markdown_table(header, table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
