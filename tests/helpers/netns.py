"""Runs a Python script in a network namespace of its own (`unshare -n`, as root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def why_not(*, tun: bool = False) -> str | None:
    """Why no namespace (with a tun device, if asked) can be made here; None when it can."""
    if shutil.which("unshare") is None:
        return "unshare(1) is not installed"
    if os.geteuid() != 0:
        return "needs root to create a network namespace"
    if tun and (shutil.which("ip") is None or not os.path.exists("/dev/net/tun")):
        return "no ip(8) or /dev/net/tun for a tun device"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10)
    return None if probe.returncode == 0 else "unshare -n is not permitted here"


def run_isolated(script: str, *, tun: bool = False) -> str:
    """The script's standard output; the test is skipped where no namespace can be made."""
    why = why_not(tun=tun)
    if why:
        pytest.skip(why)
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
