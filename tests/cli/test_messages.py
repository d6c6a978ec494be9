"""Command-line mistakes a new admin makes get one clear message each, with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import cli

A2A = ["run", "a2a", "--var", "source_region=japaneast"]


def _errors(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def _validated_child(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str
) -> tuple[Path, int, list[str]]:
    """A plan extending a2a with `body` after the header: its path, validate's code, lines."""
    plan = tmp_path / "my-a2a.yaml"
    header = "plan_format: 1\nname: my-a2a\nversion: 1.0.0\nscenario: A2A\ndescription: x\n"
    plan.write_text(f"{header}extends: a2a\n{body}", encoding="utf-8")
    code = cli.main(["validate", str(plan)])
    return plan, code, capsys.readouterr().out.splitlines()


def test_a_refused_region_is_reported_once_not_as_missing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = cli.main([*A2A, "--var", "target_region=westus33", "--no-proxy"])
    lines = _errors(capsys)
    assert code == 2
    assert len(lines) == 1, lines
    assert "--var target_region" in lines[0] and "'westus33' is not known" in lines[0]
    assert "did you mean 'westus3'" in lines[0]
    assert not any("not given" in line for line in lines)


def test_every_refused_value_is_reported_once(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--var", "target_region=japan-west", "--var", "storage_account=My_Cache"]
    code = cli.main([*A2A, *args])
    lines = _errors(capsys)
    assert code == 2
    assert [line.split(":")[1].strip() for line in lines] == [
        "--var target_region",
        "--var storage_account",
    ], lines


def test_a_bad_default_in_a_child_plan_does_not_cascade_into_the_built_in_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "vars:\n  target_region:\n    default: japan-west\n"
    body += "  storage_account:\n    default: [My_Cache]\n"
    plan, code, problems = _validated_child(tmp_path, capsys, body)
    assert code == 2
    assert len(problems) == 2, problems
    assert all(line.startswith(f"{plan}:") for line in problems), problems
    assert "vars.target_region.default" in problems[0]
    assert "vars.storage_account.default" in problems[1]
    code = cli.main(["show", str(plan), "--var", "source_region=japaneast"])
    assert code == 2
    assert len(_errors(capsys)) == 2


@pytest.mark.parametrize("proxy", ["127.0.0.1:abc", "http://proxy.example:0", "http://h:99999"])
def test_a_proxy_with_a_bad_port_is_a_usage_error(
    proxy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main([*A2A, "--var", "target_region=japanwest", "--proxy", proxy])
    (line,) = _errors(capsys)
    assert code == 2
    assert "expected http://HOST:PORT" in line
    assert not list(Path.cwd().glob("CheckNWResult_*.log"))  # refused before the run


def test_a_zero_deadline_says_what_is_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([*A2A, "--deadline", "0"]) == 2
    assert "must be more than 0 and at most 86400 seconds: '0'" in capsys.readouterr().err


def test_kinds_says_where_each_name_goes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["kinds"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Stages (the names an endpoint's `chain:` lists):" in out
    assert "Step kinds (a step's `kind:`):" in out
    assert not any(line.endswith(":):") for line in out)


@pytest.mark.parametrize(
    ("command", "ending"),
    [
        (
            "show",  # show never asks the machine: it says where run would read it
            "variable 'source_region' not given; give --var source_region=VALUE "
            "(asrcheck run would read it from azure-vm-region)",
        ),
        (
            "run",  # off Azure the provider cannot tell
            "variable 'source_region' not given, and azure-vm-region could not provide it on "
            "this machine; give --var source_region=VALUE",
        ),
    ],
)
def test_a_variable_a_vm_would_provide_says_how_to_give_it(
    command: str, ending: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main([command, "a2a", "--var", "target_region=japanwest"])
    (line,) = _errors(capsys)
    assert code == 2
    assert line.endswith(ending)


def test_a_misspelled_section_in_a_child_plan_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "sections:\n  keyvalt:\n    enabled: true\n  automation:\n    enabled: true\n"
    plan, code, problems = _validated_child(tmp_path, capsys, body)
    assert code == 2
    assert problems == [
        f"{plan}:8:3: sections.keyvalt: section 'keyvalt' is neither declared by a parent "
        "plan nor used here (did you mean 'keyvault'?)"
    ]
