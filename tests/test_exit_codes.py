"""Exit codes come from one place: `runner.exit_codes`, whose numbers `--help` documents."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from runner import cli, exit_codes
from runner.errors import PlanError, Problem, UsageError

RUNNER = Path(__file__).resolve().parents[1] / "runner"


@pytest.mark.parametrize(
    ("verdict", "strict", "lost", "code"),
    [
        ("pass", False, False, exit_codes.OK),
        ("warn", False, False, exit_codes.OK),
        ("warn", True, False, exit_codes.FAILED),
        ("fail", False, False, exit_codes.FAILED),
        ("interrupted", True, False, exit_codes.INTERRUPTED),
        ("pass", False, True, exit_codes.INTERNAL),
        ("fail", False, True, exit_codes.FAILED),
    ],
)
def test_a_run_maps_to_its_documented_code(
    verdict: str, strict: bool, lost: bool, code: int
) -> None:
    assert exit_codes.for_run(verdict, strict=strict, output_lost=lost) == code


def test_errors_map_to_usage_interrupted_or_internal() -> None:
    assert exit_codes.for_error(PlanError([Problem("bad")])) == exit_codes.USAGE
    assert exit_codes.for_error(UsageError("bad")) == exit_codes.USAGE
    assert exit_codes.for_error(KeyboardInterrupt()) == exit_codes.INTERRUPTED
    assert exit_codes.for_error(RuntimeError("bug")) == exit_codes.INTERNAL


def test_help_documents_every_code() -> None:
    documented = {int(n) for n in re.findall(r"^  (\d+) ", cli._EPILOG, flags=re.MULTILINE)}
    named = {v for k, v in vars(exit_codes).items() if k.isupper() and isinstance(v, int)}
    assert documented == named == {0, 1, 2, 3, 130}


def _literal_returns(path: Path) -> list[str]:
    """FILE:LINE of every `return <number>` in a command's entry point."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    entries = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in ("main", "_main", "exit_code")
    ]
    returns = [ret for entry in entries for ret in ast.walk(entry) if isinstance(ret, ast.Return)]
    where = path.relative_to(RUNNER.parent)
    return sorted(
        f"{where}:{ret.lineno}"
        for ret in returns
        if ret.value is not None and _is_number(ret.value)
    )


def _is_number(node: ast.expr) -> bool:
    """`3`, or `1 if x else 0`: a number the expression can evaluate to as it stands."""
    if isinstance(node, ast.IfExp):
        return _is_number(node.body) or _is_number(node.orelse)
    return isinstance(node, ast.Constant) and type(node.value) is int


def test_the_walker_sees_a_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    command = tmp_path / "runner" / "commands" / "bad.py"
    command.parent.mkdir(parents=True)
    command.write_text(
        "def main(args):\n    if args:\n        return 2\n    return 1 if args else OK\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "RUNNER", tmp_path / "runner")
    assert _literal_returns(command) == ["runner/commands/bad.py:3", "runner/commands/bad.py:4"]


def test_commands_return_named_codes_only() -> None:
    places = [RUNNER / "cli.py", *sorted((RUNNER / "commands").glob("*.py"))]
    places += [RUNNER / "outputs" / "reports" / name for name in ("fleet.py", "changes.py")]
    assert [hit for path in places for hit in _literal_returns(path)] == []
