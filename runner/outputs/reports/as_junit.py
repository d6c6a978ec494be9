"""JUnit XML: a test suite per machine, a test case per check, for CI pipelines."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from runner.outputs.reports import fleet
from runner.outputs.reports.load import Missing, Problem, Report


def _case(suite: ET.Element, report: Report, r: Mapping[str, Any]) -> str:
    name = f"{fleet.text(r, 'check')} {fleet.subject(r)} ({fleet.route(r)})"
    case = ET.SubElement(
        suite, "testcase", classname=report.label, name=name, time=str(r.get("duration_s") or 0)
    )
    status = fleet.effective(r)
    body = "\n".join([fleet.text(r, "detail"), *fleet.hint_lines(r), fleet.text(r, "command")])
    if status == "fail":
        tag = "error" if r.get("status") == "error" else "failure"
        ET.SubElement(
            case, tag, message=fleet.text(r, "reason"), type=fleet.text(r, "reason")
        ).text = body
    elif status == "skip":
        ET.SubElement(case, "skipped", message=fleet.text(r, "detail"))
    elif status == "warn":
        ET.SubElement(case, "system-out").text = f"WARN {fleet.text(r, 'reason')}: {body}"
    return status


def render(
    reports: Sequence[Report], missing: Sequence[Missing], problems: Sequence[Problem]
) -> str:
    root = ET.Element("testsuites", name="asrcheck")
    for report in reports:
        suite = ET.SubElement(root, "testsuite", name=report.label)
        statuses = [_case(suite, report, r) for r in report.results]
        if fleet.stopped(report):
            case = ET.SubElement(suite, "testcase", classname=report.label, name="run")
            ET.SubElement(case, "failure", message="interrupted", type="interrupted")
            statuses.append("fail")
        suite.set("tests", str(len(statuses)))
        suite.set("failures", str(statuses.count("fail")))
        suite.set("skipped", str(statuses.count("skip")))
    for m in missing:
        suite = ET.SubElement(root, "testsuite", name=m.label, tests="1", failures="1")
        case = ET.SubElement(suite, "testcase", classname=m.label, name="report")
        ET.SubElement(case, "failure", message="no report", type="no-report").text = m.why
    for p in problems:
        suite = ET.SubElement(root, "testsuite", name=p.path, tests="1", errors="1")
        case = ET.SubElement(suite, "testcase", classname=p.path, name="read")
        ET.SubElement(case, "error", message=p.why, type="unusable")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
