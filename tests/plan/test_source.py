"""source.py: locations beside the data, and hostile input refused quickly and cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.errors import PlanError
from runner.plan import source
from runner.plan.source import MAX_BYTES, load_file, load_text
from tests.helpers.plans import USES_TEST_KINDS

pytestmark = USES_TEST_KINDS


def test_locations_are_kept_beside_the_data() -> None:
    data, smap = load_text("a:\n  b: [1, {c: x}]\n", "f.yaml")
    assert data == {"a": {"b": [1, {"c": "x"}]}}
    assert str(smap.at(("a", "b", 1, "c"))) == "f.yaml:2:14"
    assert str(smap.key_at(("a", "b"))) == "f.yaml:2:3"
    assert str(smap.at(("a", "b", 1, "nothing", 3))) == "f.yaml:2:10"


def test_dates_stay_strings_and_keys_are_text() -> None:
    data, _ = load_text("checked: 2026-11-25\nyes: 1\n", "f")
    assert data == {"checked": "2026-11-25", "yes": 1}


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_file(path)[0] == {"a": 1}


def test_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(PlanError) as caught:
        load_file(path, "big.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "big.yaml:1:1: file larger than 1024 KiB; is this a plan?"
    ]


def test_alias_bomb_stops_at_the_node_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each level multiplies by 10: level 6 would be a million values if expanded.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 7)]
    monkeypatch.setattr(source, "MAX_NODES", 5000)
    with pytest.raises(PlanError) as caught:
        load_text("\n".join(lines) + "\n", "bomb.yaml")
    assert "more than 5000 values after expanding aliases" in str(caught.value)


def test_missing_file() -> None:
    with pytest.raises(PlanError) as caught:
        load_file(Path("/nonexistent/x.yaml"), "x.yaml")
    assert str(caught.value) == "x.yaml: file not found"


def test_directory_is_not_a_plan(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as caught:
        load_file(tmp_path, "dir")
    assert str(caught.value).startswith("dir: cannot read:")
