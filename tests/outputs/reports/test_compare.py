"""`asrcheck compare` on reports of real runs before and after DNS changes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from runner import cli
from tests.helpers.reports import BAD_INPUTS, SECRET, Fleet, Runs, write_bad

GOLDEN = Path(__file__).parent / "golden"


def compare(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["compare", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def normalized(text: str, runs: Runs) -> str:
    text = text.replace(str(runs.root), "ROOT")
    hostname = json.loads(runs.before.read_text())["machine"]["hostname"]
    text = re.sub(r"finished \S+Z", "finished TIME", text)
    return text.replace(f": {hostname}, plan", ": HOST, plan")


def test_fixed_and_nothing_new_exits_0(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = compare(capsys, str(runs.before), str(runs.fixed))
    assert code == 0 and err == ""
    text = normalized(out, runs)
    if os.environ.get("ASRCHECK_UPDATE_GOLDEN"):
        (GOLDEN / "compare-fixed.txt").write_text(text, encoding="utf-8")
    assert text == (GOLDEN / "compare-fixed.txt").read_text(encoding="utf-8")
    assert SECRET not in out


def test_a_new_failure_exits_1_with_its_advice(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = compare(capsys, str(runs.fixed), str(runs.broken))
    assert code == 1
    new = out.split("Newly failing (1):\n")[1].split("\n\n")[0].splitlines()
    assert new[0] == (
        "  dns web (direct): pass ok -> fail nxdomain: ok.test does not exist "
        "(NXDOMAIN from 127.0.0.1)"
    )
    assert new[1].startswith("    what to do: ")
    assert "Fixed (" not in out
    assert "swapped" not in out
    assert "  tcp web (direct): pass ok -> skip skipped" in out  # not run after the dns failure
    assert "  plan version: '1.1.0' -> '1.1.0'" not in out
    assert "Result: 1 newly failing, 0 fixed, 1 still failing, 3 not compared, 7 unchanged" in out


def test_json_lists_every_check_with_its_change(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = compare(capsys, str(runs.before), str(runs.broken), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    changes = {(c["subject"], c["route"], c["check"]): c for c in doc["checks"]}
    assert changes[("web", "direct", "dns")]["change"] == "newly-failing"
    assert changes[("store", "direct", "dns")]["change"] == "fixed"
    assert changes[("store", "direct", "tcp")]["change"] == "not-compared"  # skip -> pass
    assert changes[("extra", "direct", "dns")]["change"] == "still-failing"
    assert changes[("extra", "direct", "dns")]["after"]["effective"] == "warn"
    before = json.loads(runs.before.read_text())
    assert len(doc["checks"]) == len(before["results"])  # same plan: every check matched
    assert doc["counts"] == {
        "newly-failing": 1,
        "fixed": 1,
        "still-failing": 1,
        "not-compared": 6,
        "unchanged": 3,
    }
    assert doc["exit_code"] == 1
    assert doc["before"]["verdict"] == "fail" and doc["after"]["plan_version"] == "1.1.0"
    assert doc["plan"] == [{"name": "plan version", "before": "1.0.0", "after": "1.1.0"}]


def test_secret_variable_change_is_shown_masked(
    runs: Runs, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "changes.txt"
    code, out, _ = compare(capsys, str(runs.before), str(runs.fixed), "-o", str(out_file))
    assert code == 0 and out == ""
    text = out_file.read_text(encoding="utf-8")
    assert "Variables:\n  token: '' -> '***'\n" in text
    assert SECRET not in text


def test_the_same_report_twice_changes_nothing(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = compare(capsys, str(runs.broken), str(runs.broken))
    assert code == 0
    assert "Newly failing" not in out and "Fixed" not in out and "Variables" not in out
    assert "Still failing (2):" in out  # web dns (required) and extra dns (optional)


def test_interrupted_after_exits_1(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = compare(capsys, str(fleet.healthy), str(fleet.stopped))
    assert code == 1
    assert "After was interrupted: its unfinished checks could not be compared." in out
    assert "  plan: 'fleet' -> 'e2e'\n" in out
    assert "  tcp web (direct): pass ok -> skip interrupted" in out


@pytest.mark.parametrize(("content", "why"), BAD_INPUTS)
def test_bad_input_is_one_line_and_exit_2(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, why: str
) -> None:
    bad = write_bad(tmp_path / "bad.json", content, runs.before)
    for args in ([str(bad), str(runs.before)], [str(runs.before), str(bad)]):
        code, out, err = compare(capsys, *args)
        assert code == 2 and out == ""
        assert err.startswith(f"asrcheck: {bad}{why}") and err.count("\n") == 1


def test_a_directory_or_a_missing_file_exits_2(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = compare(capsys, str(runs.root), str(tmp_path / "absent.json"))
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == f"asrcheck: {runs.root}: a directory, not a report file"
    assert lines[1].startswith(f"asrcheck: {tmp_path / 'absent.json'}: cannot read: ")


def test_swapped_files_are_pointed_out(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = compare(capsys, str(runs.fixed), str(runs.before))
    assert code == 1  # store fails again
    assert "Note: BEFORE finished later than AFTER: are the two files swapped?\n" in out
