"""Error lines go through the same redaction as results: no secret in any byte of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import e2e

SIG = "Err0r-Path-Sig-4471"
TOKEN = "Bad_Secret.Value!!-9913"

PLAN = """plan_format: 1
name: errs
version: 1.0.0
scenario: TEST
description: Error-path secrets.
vars:
  account:
    type: string
    description: A storage account name.
    pattern: "^[a-z0-9]{3,24}$"
    default: acct
  token:
    type: string
    description: A secret that ends up in a host name.
    default: ok
    secret: true
endpoints:
  - id: e
    host: "${token}.example.com"
    port: 443
    purpose: Test.
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["show", "run", "validate", "diff"])
@pytest.mark.parametrize("how", ["--var", "--var-file"])
def test_no_secret_in_error_lines(plan: Path, tmp_path: Path, command: str, how: str) -> None:
    values = {"account": f"acct?sv=2022&sig={SIG}", "token": TOKEN}
    if how == "--var":
        flags = [arg for name, value in values.items() for arg in ("--var", f"{name}={value}")]
    else:
        var_file = tmp_path / "vars.yaml"
        var_file.write_text("".join(f'{n}: "{v}"\n' for n, v in values.items()), "utf-8")
        flags = ["--var-file", str(var_file)]
    plans = [str(plan), str(plan)] if command == "diff" else [str(plan)]
    done = e2e.run([command, *plans, *flags], tmp_path)
    assert done.code == 2, (done.stdout, done.stderr)
    output = done.stdout + done.stderr
    # The errors are there, and say what is wrong
    assert b"does not match" in output and b"invalid host name" in output, output.decode()
    assert SIG.encode() not in output and TOKEN.encode() not in output, output.decode()
