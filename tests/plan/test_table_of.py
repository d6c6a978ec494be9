"""`in_table_of:`: a variable's allowed values depend on another variable's value."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.errors import PlanError
from runner.model import Plan
from tests.helpers.plans import load_plan

PLAN = """\
plan_format: 1
name: zones
version: 1.0.0
scenario: TEST
description: in_table_of
vars:
  cloud:
    type: string
    description: cloud
    default: east
  site:
    type: string
    description: site
    required: true
    in_table_of:
      var: cloud
      tables: {east: east_sites, west: west_sites}
      refused: closed_sites
      value_var: code
      missing: give --var code=CODE
  code:
    type: string
    description: code of the site
    required: false
tables:
  east_sites: {boston: bos, nocode: null}
  west_sites: {seattle: sea}
  closed_sites: {atlantis: sank in 9600 BC}
endpoints:
  - id: site
    host: ${code}.example.com
    purpose: p
    docs: https://example.com/doc
    checked: "2026-12-01"
"""


def _load(tmp_path: Path, *flags: str, text: str = PLAN) -> Plan:
    path = tmp_path / "zones.yaml"
    path.write_text(text, encoding="utf-8")
    return load_plan(str(path), variables=list(flags))


def _error(tmp_path: Path, *flags: str, text: str = PLAN) -> str:
    with pytest.raises(PlanError) as caught:
        _load(tmp_path, *flags, text=text)
    return str(caught.value)


def test_the_entry_of_the_right_table_fills_the_value_var(tmp_path: Path) -> None:
    assert _load(tmp_path, "site=boston").endpoints[0].host == "bos.example.com"
    plan = _load(tmp_path, "cloud=west", "site=seattle")
    assert plan.endpoints[0].host == "sea.example.com"


def test_a_key_of_another_table_names_where_it_belongs(tmp_path: Path) -> None:
    error = _error(tmp_path, "site=seattle")
    assert "'seattle' belongs to cloud west, not east; give --var cloud=west" in error


def test_a_refused_key_says_why(tmp_path: Path) -> None:
    error = _error(tmp_path, "cloud=west", "site=atlantis")
    assert "'atlantis' is refused: sank in 9600 BC" in error


def test_a_gap_needs_the_value_var_and_says_how(tmp_path: Path) -> None:
    assert "no entry is known for 'nocode'" in _error(tmp_path, "site=nocode")
    assert "give --var code=CODE" in _error(tmp_path, "site=nocode")
    assert _load(tmp_path, "site=nocode", "code=noc").endpoints[0].host == "noc.example.com"


def test_an_unknown_key_suggests_from_the_right_table_only(tmp_path: Path) -> None:
    error = _error(tmp_path, "site=seattl")
    assert "not known in cloud east (known: boston, nocode)" in error
    error = _error(tmp_path, "cloud=west", "site=seattl")
    assert "did you mean 'seattle'?" in error
    assert _load(tmp_path, "site=gotham", "code=gth").endpoints[0].host == "gth.example.com"


def test_unknown_names_in_the_declaration_are_located(tmp_path: Path) -> None:
    text = PLAN.replace("refused: closed_sites", "refused: gone").replace(
        "value_var: code", "value_var: kode"
    )
    error = _error(tmp_path, "site=boston", text=text)
    assert "vars.site.in_table_of.refused: unknown table 'gone'" in error
    assert "vars.site.in_table_of.value_var: unknown variable 'kode'" in error
    assert "zones.yaml:" in error
