"""`asrcheck diff OLD NEW` shows every field of an endpoint or step that changed, old -> new,
such as the built-in plans' move from "not applicable" to a check by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import cli

OLD = """\
plan_format: 1
name: bus
version: 1.0.0
scenario: TEST
description: old
vars:
  cloud: {type: string, description: cloud, default: gov}
tables:
  bus_host: {public: relay.bus.example.com, gov: null}
endpoints:
  - id: bus
    host: ${bus_host[cloud]}
    purpose: Service Bus.
    wildcard: "*.bus.example.com"
    docs: https://example.com/doc
    checked: "2026-11-25"
steps:
  - id: time-sync
    kind: ntp
    with: {server: time.example.com, port: 123, timeout: 3, max_offset: 900}
"""
NEW = (
    OLD.replace("version: 1.0.0", "version: 2.0.0")
    .replace('wildcard: "*.bus.example.com"', 'wildcard: "*.bus.example.us"')
    .replace(
        '    docs: https://example.com/doc\n    checked: "2026-11-25"\n',
        "    required: false\n    by_hand: Check *.bus.example.us on 443 by hand.\n"
        '    docs: https://example.com/doc\n    checked: "2026-12-01"\n',
    )
    .replace("max_offset: 900", "max_offset: 600")
)


def test_diff_shows_old_and_new_value_of_every_changed_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    code = cli.main(["diff", str(old), str(new)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == "plan: bus 1.0.0 -> bus 2.0.0"
    bus = next(line for line in out if line.startswith("~ bus: "))
    assert "host '${bus_host[cloud]}' -> '*.bus.example.us'" in bus
    assert "required True -> False" in bus
    assert "wildcard '*.bus.example.com' -> '*.bus.example.us'" in bus
    assert "skip_reason 'not-applicable: tables.bus_host has no value for cloud=gov'" in bus
    assert "-> 'manual-check: Check *.bus.example.us on 443 by hand.'" in bus
    assert "checked '2026-11-25' -> '2026-12-01'" in bus
    step = next(line for line in out if line.startswith("~ step time-sync: "))
    assert "'max_offset': 900" in step and "'max_offset': 600" in step
