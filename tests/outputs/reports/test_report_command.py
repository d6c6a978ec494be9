"""`asrcheck report` on reports of real runs: every format read back, goldens, bad inputs."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from runner import cli
from runner.outputs.reports import fleet as fleet_model
from runner.outputs.reports.load import Report, read
from tests.helpers.reports import BAD_INPUTS, Fleet, write_bad

GOLDEN = Path(__file__).parent / "golden"


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["report", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def normalized(text: str, fleet: Fleet) -> str:
    doc = read(fleet.healthy)
    assert isinstance(doc, dict)
    machine = fleet_model.machine_line(Report("", "", doc))
    label = f"asrcheck report: {doc['machine']['hostname']}\n"
    text = text.replace(machine, "MACHINE").replace(label, "asrcheck report: HOST\n")
    return text.replace(str(fleet.root), "ROOT")


@pytest.mark.parametrize(
    ("name", "args"),
    [("fleet.txt", ["--format", "text"]), ("fleet.md", ["--format", "markdown"])],
)
def test_fleet_goldens(
    fleet: Fleet, capsys: pytest.CaptureFixture[str], name: str, args: list[str]
) -> None:
    code, out, _ = report(capsys, str(fleet.root / "results"), *args)
    assert code == 1
    text = normalized(out, fleet)
    if os.environ.get("ASRCHECK_UPDATE_GOLDEN"):
        (GOLDEN / name).write_text(text, encoding="utf-8")
    assert text == (GOLDEN / name).read_text(encoding="utf-8")


def test_single_markdown_golden(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, str(fleet.broken), "--format", "markdown")
    assert code == 1
    text = normalized(out, fleet)
    if os.environ.get("ASRCHECK_UPDATE_GOLDEN"):
        (GOLDEN / "single.md").write_text(text, encoding="utf-8")
    assert text == (GOLDEN / "single.md").read_text(encoding="utf-8")


def test_healthy_alone_exits_0(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, str(fleet.healthy))
    assert code == 0
    assert "Verdict: PASS" in out and "Failures: none" in out


class _Cells(HTMLParser):
    """Text of every table cell and list item, and the tags seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.texts: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("td", "li"):
            self._open = True
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "li"):
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[-1] += data


def test_html_fleet_shows_the_failures_and_escapes_peer_text(
    fleet: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(fleet.broken.read_text())
    hostile = "<script>alert(1)</script>\x1b[2J"
    for result in doc["results"]:
        if result["endpoint"] == "store" and result["status"] == "fail":
            result["detail"] = hostile
    results = tmp_path / "results"
    (results / "evil").mkdir(parents=True)
    (results / "evil" / "report.json").write_text(json.dumps(doc))
    (results / "ok").mkdir()
    (results / "ok" / "report.json").write_text(fleet.healthy.read_text())
    out = tmp_path / "fleet.html"
    code, stdout, _ = report(capsys, str(results), "--format", "html", "-o", str(out))
    assert code == 1 and stdout == ""
    page = out.read_text(encoding="utf-8")
    parser = _Cells()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "http" not in page.lower().replace("http-equiv", "")  # nothing from the internet
    assert "<script>alert(1)</script>\\x1b[2J" in parser.texts  # shown, escaped, harmless
    causes = [t for t in parser.texts if " on 1 of 2 machines" in t]
    assert any(t.startswith("FAIL store dns nxdomain on 1 of 2 machines") for t in causes)
    assert "@media print" in page


def test_csv_one_row_per_result(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, str(fleet.root / "results"), "--format", "csv")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    results = fleet.root / "results"
    expected = sum(len(json.loads(p.read_text())["results"]) for p in results.glob("*/report.json"))
    assert len(rows) == expected + 1  # and one for the machine without report
    lost = [r for r in rows if r["machine"] == "lost"]
    assert lost == [{**lost[0], "status": "no-report", "detail": "asrcheck timed out after 300 s"}]
    store = {(r["machine"], r["status"]) for r in rows if r["endpoint"] == "store"}
    assert ("broken-1", "fail") in store and ("broken-2", "fail") in store


def test_junit_structure(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, str(fleet.root / "results"), "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"broken-1", "broken-2", "healthy", "stopped", "lost"}
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        failed = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
        assert int(suite.get("failures", "0")) + int(suite.get("errors", "0")) == len(failed)
    broken = suites["broken-1"]
    failure = [c for c in broken.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failure] == ["dns store (direct)"]
    assert failure[0].find("failure").get("type") == "nxdomain"  # type: ignore[union-attr]
    assert suites["healthy"].get("failures") == "0"
    assert [c.get("name") for c in suites["stopped"].findall("testcase")][-1] == "run"


@pytest.mark.parametrize(("content", "why"), BAD_INPUTS)
def test_bad_inputs_exit_2_and_the_others_are_still_shown(
    fleet: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, why: str
) -> None:
    bad = write_bad(tmp_path / "bad.json", content, fleet.healthy)
    code, out, err = report(capsys, str(bad), str(fleet.healthy))
    assert code == 2
    assert err.startswith(f"asrcheck: {bad}{why}")
    assert "Verdict: PASS" in out


def test_no_usable_report_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "absent.json"
    code, out, err = report(capsys, str(missing))
    assert code == 2 and out == ""
    assert f"asrcheck: {missing}: cannot read: " in err
