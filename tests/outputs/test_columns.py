"""The one column helper: every aligned table (console, support log, list, show, kinds)."""

from __future__ import annotations

import pytest

from runner import cli
from runner.outputs.columns import align, display_width, pad


def test_columns_are_as_wide_as_their_widest_cell() -> None:
    rows = [["endpoint", "route", "dns"], ["entra", "direct", "pass"], ["asr-target", "-", "-"]]
    assert align(rows) == [
        "endpoint    route   dns",
        "entra       direct  pass",
        "asr-target  -       -",
    ]


def test_the_last_cell_is_not_padded_and_no_line_ends_in_spaces() -> None:
    rows = [["a", "first long text", "x"], ["bbb", "", ""]]
    assert align(rows, indent="  ") == ["  a    first long text  x", "  bbb"]


def test_rows_of_different_lengths() -> None:
    assert align([["key", "value"], ["k"], []]) == ["key  value", "k", ""]


def test_wide_characters_take_two_columns() -> None:
    """Japanese text (a localized adapter name) lines up with ASCII on a terminal."""
    assert display_width("イーサネット") == 12
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    rows = [["イーサネット", "10.0.0.4"], ["Ethernet 2", "10.0.0.5"]]
    first, second = align(rows)
    assert first == "イーサネット  10.0.0.4"
    assert second == "Ethernet 2    10.0.0.5"
    assert display_width(first.split("  1")[0]) == display_width(second.split("  1")[0])
    assert pad("ab", 4) == "ab  " and pad("abcdef", 4) == "abcdef"


def test_list_show_and_kinds_use_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "VERSION", "SCENARIO", "DESCRIPTION"]
    starts = {line.index(line.split()[1]) for line in lines}
    assert len(starts) == 1  # the version column starts at one place on every line
    assert all(line == line.rstrip() for line in lines)
    assert cli.main(["kinds"]) == 0
    groups = capsys.readouterr().out.split("Step kinds")
    assert len(groups) == 2
    for group in groups:
        kinds = [line for line in group.splitlines() if line.startswith("  ")]
        assert len({line.index(line.split()[1]) for line in kinds}) == 1
