"""The plan commands through the real entry point: exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runner import cli, resources
from tests.helpers.plans import DATA, USES_TEST_KINDS

pytestmark = USES_TEST_KINDS

GOOD = DATA / "good"
BAD = DATA / "bad"
FULL = str(GOOD / "full.yaml")
CHILD = str(GOOD / "child.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_validate_good_plans(capsys: pytest.CaptureFixture[str]) -> None:
    plans = [str(path) for path in sorted(GOOD.glob("*.yaml"))]
    code, out, err = run(capsys, "validate", *plans)
    assert code == 0
    assert out == ""
    assert err.count(": valid") == len(plans)


def test_validate_reports_every_problem_of_every_plan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "validate", str(BAD / "duplicate_ids.yaml"), FULL, str(BAD / "empty.yaml")
    )
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].endswith(
        "duplicate_ids.yaml:17:9: endpoints[1].id: duplicate endpoint id 'a' (first at line 12)"
    )
    assert lines[3].endswith("empty.yaml:1:1: the file is empty (expected a mapping)")
    assert f"asrcheck: {FULL}: valid" in err
    assert "3 problems" in err


def test_validate_checks_given_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", FULL, "--var", "cloud=Mars", "--var", "regoin=x")
    assert code == 2
    assert out.splitlines() == [
        f"{FULL}: --var regoin: unknown variable (did you mean 'region'?;"
        " variables: api_port, cloud, region, storage_account, token)",
        f"{FULL}: --var cloud: variable 'cloud': 'Mars' is not one of: AzureCloud, AzureChinaCloud",
    ]


def test_show_text_has_yaml_then_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", FULL, "--var", "region=japaneast", "--enable", "extra")
    assert code == 0
    assert "name: full\n" in out
    assert "token: '***'" in out and "s3cr3t-value" not in out
    table = out[out.index("\nID ") + 1 :].splitlines()
    assert table[0].split() == ["ID", "HOST", "PORT", "SECTION", "ENABLED", "WHY"]
    assert table[2].split()[:5] == ["regional", "jpe-asr.example.com", "8443", "-", "yes"]
    assert (
        "cache" in table[3]
        and "[skipped: missing-input: No cache storage account given.]" in table[3]
    )


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", FULL, "--var", "region=japaneast", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["plan"]["variables"]["token"] == "***"
    assert data["endpoints"][0]["hint"] == (
        "The secret *** never shows; login.microsoftonline.com is the sign-in host."
    )
    assert "s3cr3t-value" not in out
    first = data["endpoints"][0]
    assert {"id", "host", "port", "section", "enabled", "purpose", "skip_reason"} <= set(first)
    assert [e["id"] for e in data["endpoints"]] == ["entra-id", "regional", "cache", "extra-one"]
    assert data["steps"][0] == {
        "id": "probe",
        "kind": "probe",
        "title": "",
        "section": None,
        "enabled": True,
        "skip_reason": None,
        "required": False,
        "timeout": 10.0,
        "params": {"count": 3},
    }


def test_show_without_required_variable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", FULL)
    assert code == 2
    assert out == ""
    assert err.strip().endswith(
        "vars.region: required variable 'region' not given; give --var region=VALUE"
    )


def test_show_unknown_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", FULL, "--var", "region=japaneast", "--enable", "extr")
    assert code == 2
    assert err == "asrcheck: --enable extr: unknown section (sections: extra)\n"


def test_list_builtin_plans(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert out.splitlines()[1].split()[:3] == ["base", "2.1.0", "TEST"]
    assert out.splitlines()[1].endswith("A small built-in plan for tests.")


def test_schema_prints_the_committed_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert json.loads(out)["title"] == "asrcheck plan"


def test_schema_report_missing_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(resources, "schemas_dir", lambda: tmp_path)
    code, out, err = run(capsys, "schema", "--report")
    assert code == 3 and out == ""
    missing = tmp_path / "report.schema.json"
    assert err == f"asrcheck: report.schema.json is missing from this installation ({missing})\n"
    (tmp_path / "report.schema.json").write_text('{"title": "report"}\n')
    assert run(capsys, "schema", "--report")[:2] == (0, '{"title": "report"}\n')


def test_diff_identical(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "diff", "base", str(DATA / "builtin" / "base.yaml"), "--var", "region=westus"
    )
    assert (code, out) == (0, "endpoints and steps: identical\n")


def test_diff_lists_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "diff", "base", CHILD, "--var", "region=japaneast", "--var", "proxy_note=x"
    )
    assert code == 1
    assert out.splitlines() == [
        "plan: base 2.1.0 -> child 1.0.0",
        "- automation: jpe.azure-automation.net:443 [automation] (Something.)",
        "+ extra: extra.example.com:8443 (Added by the child.)",
        "~ keyvault: enabled False -> True",
        "~ regional: host 'jpe.example.com' -> 'jpe.replaced.example.com';"
        " purpose 'Something.' -> 'Replaced by the child.';"
        " docs 'https://learn.microsoft.com/x' -> 'https://learn.microsoft.com/y';"
        " checked '2026-11-25' -> '2026-11-20'",
    ]


def test_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kinds")
    assert code == 0
    assert "  probe  test step with a count" in out.splitlines()
    assert "  dns   test stage dns" in out.splitlines()


@pytest.mark.parametrize(
    "argv",
    [["validate"], ["show"], ["bogus"], ["show", FULL, "--format", "xml"], ["list", "extra"]],
)
def test_usage_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("asrcheck")
    assert "--help" in err


def test_validate_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    code, out, _ = run(capsys, "validate", missing, "no-such-builtin")
    assert code == 2
    assert out.splitlines() == [
        f"{missing}: file not found",
        "no-such-builtin: no built-in plan 'no-such-builtin' (built-in: base)",
    ]
