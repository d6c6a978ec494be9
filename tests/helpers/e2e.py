"""Running the real `asrcheck` command in a subprocess, and plans for those runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: bytes
    stderr: bytes


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment without proxy settings, with the checkout importable."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = str(ROOT)
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def command(args: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "runner", *args]


def run(args: Sequence[str], cwd: Path, extra_env: Mapping[str, str] | None = None) -> Run:
    done = subprocess.run(
        command(args), cwd=cwd, env=child_env(extra_env), capture_output=True, timeout=60
    )
    return Run(done.returncode, done.stdout, done.stderr)


def start(args: Sequence[str], cwd: Path, stdout: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
    """`asrcheck ARGS` started in a subprocess (stderr piped), for tests that signal it."""
    return subprocess.Popen(
        command(args), cwd=cwd, env=child_env(), stdout=stdout, stderr=subprocess.PIPE
    )


HEAD = """plan_format: 1
name: {name}
version: 1.0.0
scenario: TEST
description: Support-log end-to-end plan.
vars:
  token:
    type: string
    description: A secret the plan declares.
    default: ""
    secret: true
  sas_url:
    type: string
    description: A SAS URL (not declared secret; its sig= must still be masked).
    default: ""
  storage_key:
    type: string
    description: A storage account key (not declared secret).
    default: ""
  connection:
    type: string
    description: A storage connection string (not declared secret).
    default: ""
defaults:
  deadline: {deadline}
  routes: [default]
"""

ENDPOINT = """  - id: {id}
    host: {host}
    port: {port}
    purpose: "{purpose}"
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
    timeout: {timeout}
"""


def plan_text(
    endpoints: Sequence[tuple[str, str, int]],
    steps: str = "",
    name: str = "e2e",
    deadline: float = 30,
    timeout: float = 3,
    purpose: str = "Test endpoint.",
) -> str:
    text = HEAD.format(name=name, deadline=deadline)
    text += "endpoints:\n" if endpoints else "endpoints: []\n"
    for id_, host, port in endpoints:
        text += ENDPOINT.format(id=id_, host=host, port=port, purpose=purpose, timeout=timeout)
    return text + (f"steps:\n{steps}" if steps else "")
