"""The installed package finds its built-in plans and schemas outside the source tree."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.plans import DATA, USES_TEST_KINDS

pytestmark = USES_TEST_KINDS

ROOT = Path(__file__).resolve().parents[2]


def _has_build_backend() -> bool:
    return importlib.util.find_spec("hatchling") is not None


def _source_copy(tmp_path: Path) -> Path:
    """A copy of the project with at least one built-in plan (plans/ may not exist yet)."""
    src = tmp_path / "src"
    for name in ("runner", "schemas", "plans"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    (src / "plans").mkdir(exist_ok=True)
    shutil.copy(DATA / "builtin" / "base.yaml", src / "plans" / "base.yaml")
    return src


@pytest.mark.slow
def test_wheel_works_from_any_directory(tmp_path: Path) -> None:
    src = _source_copy(tmp_path)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    # Without hatchling here, pip fetches it from PyPI into an isolated build environment.
    isolation = ["--no-build-isolation"] if _has_build_backend() else []
    build = [*pip, "wheel", "--no-deps", *isolation, "-w", str(wheels), str(src)]
    subprocess.run(build, check=True, timeout=300)
    wheel = next(wheels.glob("asrcheck-*.whl"))
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, timeout=300
    )
    env = {**os.environ, "PYTHONPATH": str(target)}

    def asrcheck(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "runner", *argv]
        return subprocess.run(
            command, cwd="/", env=env, capture_output=True, text=True, timeout=120
        )

    where = asrcheck("--version")
    assert where.returncode == 0
    listed = asrcheck("list")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split()[:2] for line in listed.stdout.splitlines()[1:]]
    assert ["base", "2.1.0"] in rows
    shipped = sorted(path.stem for path in (ROOT / "plans").glob("*.yaml"))
    assert sorted(name for name, _ in rows) == sorted([*shipped, "base"])
    schema = asrcheck("schema")
    assert schema.returncode == 0 and '"title": "asrcheck plan"' in schema.stdout
    probe = [sys.executable, "-c", "import runner, sys; sys.stdout.write(runner.__file__)"]
    located = subprocess.run(probe, cwd="/", env=env, capture_output=True, text=True, timeout=60)
    assert located.stdout.startswith(str(target))
