"""Resolve a plan through the real CLI: `asrcheck show PLAN --format json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from runner import cli

EXPECTED = yaml.safe_load(
    (Path(__file__).parent / "expected_endpoints.yaml").read_text(encoding="utf-8")
)


def var_args(variables: dict[str, Any]) -> list[str]:
    """--var options for a mapping; lists are comma-separated."""
    args: list[str] = []
    for name, value in variables.items():
        text = ",".join(value) if isinstance(value, list) else str(value)
        args += ["--var", f"{name}={text}"]
    return args


def show(
    capsys: pytest.CaptureFixture[str],
    plan: str,
    variables: dict[str, Any],
    enable: list[str] = (),  # type: ignore[assignment]
    disable: list[str] = (),  # type: ignore[assignment]
) -> tuple[int, Any, str]:
    """(exit code, parsed JSON or None, stderr) of `asrcheck show`."""
    argv = ["show", plan, "--format", "json", *var_args(variables)]
    for name in enable:
        argv += ["--enable", name]
    for name in disable:
        argv += ["--disable", name]
    capsys.readouterr()
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}
