"""`asrcheck --help`: the defaults of the timing options, one command per example line, the
colour conventions; a missing plan file named like a built-in plan points to the name."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import pytest
import yaml

from runner import cli
from runner.resources import plans_dir


def _run_help() -> str:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return str(sub.choices["run"].format_help())


def _examples(text: str) -> list[str]:
    block = text.split("examples", 1)[1].split("\n\n", 1)[0]
    return block.splitlines()[1:]


def test_each_example_is_one_whole_command_on_one_line() -> None:
    lines = _examples(cli.build_parser().epilog or "")
    assert len(lines) >= 6
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "asrcheck" and words.count("asrcheck") == 1, line
        assert not line.rstrip().endswith("\\") and "  --" not in line.strip(), line
        assert "..." not in line
    # Each parses as it is: pasted into a shell, it is a valid command line.
    parser = cli.build_parser()
    for line in lines:
        parser.parse_args(shlex.split(line)[1:])


def test_run_help_shows_the_built_in_plans_defaults() -> None:
    text = " ".join(_run_help().split())
    for name in ("a2a", "h2a"):
        defaults = yaml.safe_load((plans_dir() / f"{name}.yaml").read_text())["defaults"]
        for option in ("timeout", "deadline", "concurrency"):
            assert defaults[option] == {"timeout": 5, "deadline": 90, "concurrency": 16}[option]
    assert "--timeout SECONDS timeout of every stage (default: the plan's; a2a, h2a: 5)" in text
    assert "(default: the plan's; a2a, h2a: 90)" in text
    assert "--concurrency N checks run at once (default: the plan's; a2a, h2a: 16)" in text


def test_help_names_the_colour_conventions() -> None:
    text = _run_help()
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM=dumb", "--no-color"):
        assert name in text


def test_a_missing_plans_file_named_like_a_built_in_plan_points_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # outside the repository: no plans/ here
    assert cli.main(["run", "plans/a2a.yaml", "--var", "target_region=japanwest"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "asrcheck: plans/a2a.yaml: file not found; a2a is a built-in plan: give its name "
        "instead of a path (asrcheck run a2a ...)\n"
    )
    assert cli.main(["validate", "plans/nothing.yaml"]) == 2
    assert capsys.readouterr().out == "plans/nothing.yaml: file not found\n"
