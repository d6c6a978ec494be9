"""The one-file bundle as the tests build and run it (packaging/build_pyz.py), and the
interpreters it is tried with (the oldest and the newest Python 3 found here)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Where the locked wheels are kept between runs (the first build downloads them).
WHEELS = Path(os.environ.get("ASRCHECK_BUNDLE_WHEELS", str(ROOT / ".ci" / "bundle-wheels")))


@dataclass(frozen=True)
class Bundle:
    path: Path
    outside: Path  # a directory outside the repository to run it from
    netns: str | None  # why `unshare -n` cannot be used here, or None when it can

    def command(self, python: str, *argv: str) -> list[str]:
        prefix = [] if self.netns else ["unshare", "-n"]
        return [*prefix, python, "-I", str(self.path), *argv]

    def run(
        self, python: str, *argv: str, timeout: float = 120, home: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home or self.outside)}
        return subprocess.run(
            self.command(python, *argv),
            cwd=self.outside,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def version_of(python: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:3])"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
    except OSError:
        return None
    return tuple(int(part) for part in out.split()) if re.fullmatch(r"[\d ]+\n", out) else None


def interpreters() -> list[str]:
    """The oldest (3.9+) and the newest Python 3 on PATH or under ~/.pyenv/versions."""
    found = set()  # not this venv's interpreter: its site-packages is not the bundle's
    for name in ("python3", *(f"python3.{minor}" for minor in range(9, 16))):
        path = shutil.which(name)
        if path:
            found.add(path)
    pyenv = Path(os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))) / "versions"
    found.update(str(path) for path in pyenv.glob("3.*/bin/python3"))
    versions = {path: v for path in sorted(found) if (v := version_of(path)) and v >= (3, 9)}
    ordered = sorted(versions, key=lambda path: versions[path])
    return sorted({ordered[0], ordered[-1]}, key=lambda path: versions[path])


def netns_problem() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare not found"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True, timeout=30)
    return None if probe.returncode == 0 else f"unshare -n failed: {probe.stderr.strip()}"


def build(output: Path, wheels: Path = WHEELS) -> Path:
    command: Sequence[str] = [
        sys.executable,
        str(ROOT / "packaging" / "build_pyz.py"),
        "--wheels",
        str(wheels),
        "--output",
        str(output),
    ]
    subprocess.run(command, check=True, timeout=600, capture_output=True)
    return output
