"""Every bad plan or var-file input is exit 2 with a located message, never exit 3 and
never a hang; YAML 1.1 surprises are read as YAML 1.2 does (issue #11)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from runner import cli
from tests.helpers import e2e


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def plan_text(deadline: str = "30", timeout: str = "3") -> str:
    text = e2e.plan_text([("a", "a.example.com", 443)])
    text = text.replace("deadline: 30", f"deadline: {deadline}")
    return text.replace("timeout: 3\n", f"timeout: {timeout}\n")


def validate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(["validate", *argv])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.Inf"])
def test_non_finite_numbers_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    for text in (plan_text(deadline=value), plan_text(timeout=value)):
        plan = write(tmp_path / "p.yaml", text)
        code, err = validate(capsys, str(plan))
        assert code == 2
        assert f"'{value}' is not a finite number" in err
        assert f"{plan}:" in err  # located: FILE:LINE:COL


def test_sexagesimal_is_not_ninety_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write(tmp_path / "p.yaml", plan_text(timeout="1:30"))
    code, err = validate(capsys, str(plan))
    assert code == 2
    assert "\"1:30\" is not of type 'number'" in err


def test_a_huge_integer_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write(tmp_path / "p.yaml", plan_text(deadline="9" * 5000))
    code, err = validate(capsys, str(plan))
    assert code == 2
    assert "an integer of 5000 digits is too large" in err
    assert "internal error" not in err


def test_yes_in_a_var_file_stays_the_string_yes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write(tmp_path / "p.yaml", plan_text())
    values = write(tmp_path / "v.yaml", "sas_url: yes\nconnection: on\nstorage_key: 0123\n")
    code = cli.main(["show", str(plan), "--var-file", str(values), "--format", "json"])
    assert code == 0
    variables = json.loads(capsys.readouterr().out)["plan"]["variables"]
    assert (variables["sas_url"], variables["connection"]) == ("yes", "on")
    assert variables["storage_key"] == "0123"  # YAML 1.1: 83


def test_extends_through_a_symlink_loop_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    child = plan_text().replace("defaults:", "extends: ./loop1\ndefaults:", 1)
    plan = write(tmp_path / "child.yaml", child)
    code, err = validate(capsys, str(plan))
    assert code == 2
    assert "extends" in err and "internal error" not in err


def test_a_fifo_as_plan_or_var_file_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    plan = write(tmp_path / "p.yaml", plan_text())
    for argv in (["validate", "./pipe"], ["validate", str(plan), "--var-file", "pipe"]):
        done = e2e.run(argv, tmp_path)  # a blocking open would hit run()'s timeout
        assert done.code == 2
        assert b"pipe: cannot read: not a regular file" in done.stdout + done.stderr


def test_a_chain_naming_a_stage_twice_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = plan_text().replace(
        "  routes: [default]\n", "  routes: [default]\n  chain: [dns, tcp, tcp]\n"
    )
    plan = write(tmp_path / "p.yaml", text)
    code, err = validate(capsys, str(plan))
    assert code == 2
    assert "defaults.chain" in err and "non-unique" in err


def test_a_backtracking_pattern_is_refused_not_run(tmp_path: Path) -> None:
    text = plan_text().replace(
        '    default: ""\n    secret: true\n',
        '    default: ""\n    secret: true\n    pattern: "^(a+)+$"\n',
        1,
    )
    plan = write(tmp_path / "p.yaml", text)
    # In a child with a timeout: matching this pattern against 40 a's and a '!' in `re`
    # would take hours.
    done = e2e.run(["validate", str(plan), "--var", "token=" + "a" * 40 + "!"], tmp_path)
    assert done.code == 2
    assert b"vars.token.pattern: unsupported regex: a repeated group" in done.stdout


@pytest.mark.parametrize(
    ("pattern", "refused"),
    [
        ("^(a+)+$", True),
        ("(a|ab)*c", True),
        ("(?:[a-z]+[.])+com", True),
        (r"(x)\1", True),
        ("^[a-z0-9]{3,24}$", False),
        ("^[a-z0-9](?:[a-z0-9-]{1,22})[a-z0-9]$", False),
        ("^(?:east|west)us[0-9]?$", False),
        ("^(?:ab)*$", False),
    ],
)
def test_pattern_language(pattern: str, refused: bool) -> None:
    from runner.plan import safe_regex

    assert (safe_regex.risk(pattern) is not None) is refused
