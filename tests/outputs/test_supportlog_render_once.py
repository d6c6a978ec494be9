"""The support log renders each result once: the final log reuses the streamed blocks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from runner.outputs.supportlog import sections as render
from runner.outputs.supportlog.sink import SupportLog
from runner.redact import Redactor
from runner.results import Status
from tests.helpers import records


def test_final_text_is_what_rendering_afresh_gives(tmp_path: Path) -> None:
    log = SupportLog(tmp_path / "support.log", Redactor([records.SECRET]))
    log.started(records.info())
    items = records.results()
    for result in items:
        log.result(result)
    report = records.report(items)
    plan = report.info.plan
    afresh = "".join(render.step_section(n, plan, items) for n in (2, 3, 4, 5))
    afresh += render.endpoint_section(plan, items)
    cached = log.final_text(report)
    assert afresh and afresh in cached
    assert len(log._blocks) == len(items)
    log.finished(report)


def test_block_with_its_place() -> None:
    result = records.results()[0]
    for status in Status:
        item = dataclasses.replace(result, status=status)
        block = render.result_block(item, where=True)
        first = block.splitlines()[0]
        label = f"[{status.value.upper()}]"
        assert first.startswith(label)
        assert first[len(label) :].lstrip().startswith(f"{item.endpoint or item.step} ")
        assert block.splitlines()[1:] == render.result_block(item).splitlines()[1:]
