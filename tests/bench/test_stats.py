"""The bench's pure helpers: medians, ratios, targets and Markdown tables."""

from __future__ import annotations

import math

from bench.report import targets
from bench.stats import Sample, Target, fmt_value, markdown_table, ratio, sample_rows, target_rows


def test_sample_median_and_spread() -> None:
    sample = Sample("x", (3.0, 1.0, 2.0, 10.0))
    assert sample.median == 2.5
    assert sample.spread == (1.0, 10.0)


def test_ratio_of_non_positive_reference_is_infinite() -> None:
    assert ratio(2.0, 4.0) == 0.5
    assert math.isinf(ratio(1.0, 0.0))


def test_fmt_value_units() -> None:
    assert fmt_value(0.0423, "s") == "42 ms"
    assert fmt_value(2.5, "s") == "2.50 s"
    assert fmt_value(41.26, "MB") == "41.3 MB"


def test_targets_at_most_at_least_and_absolute() -> None:
    assert Target("t", 1.2, 1.0, 1.3).met
    assert not Target("t", 1.4, 1.0, 1.3).met
    assert Target("speed-up", 50.0, 4.0, 10, at_least=True).met
    assert not Target("speed-up", 30.0, 4.0, 10, at_least=True).met
    assert Target("d", 2.9, 0, 3, unit="s").met
    assert not Target("d", 3.1, 0, 3, unit="s").met


def test_target_rows_show_ratio_limit_and_verdict() -> None:
    rows = target_rows(
        [
            Target("a", 1.5, 1.0, 1.3),
            Target("d", 1.25, 0, 3, unit="s"),
            Target("e", 0.1, 0, 0.3, unit="s", valid=False),
        ]
    )
    assert rows[0] == ["a", "1.50x", "<= 1.3x", "MISSED"]
    assert rows[1] == ["d", "1.25 s", "<= 3.00 s", "met"]
    assert rows[2][3] == "invalid (a run failed)"


def test_markdown_table_escapes_pipes() -> None:
    table = markdown_table(["A", "B"], [["x|y", "1"]])
    assert table.splitlines() == ["| A | B |", "|---|---|", "| x\\|y | 1 |"]


def test_sample_rows() -> None:
    rows = sample_rows([Sample("rss", (40.0, 42.0, 41.0), "MB")])
    assert rows == [["rss", "41.0 MB", "40.0 MB - 42.0 MB", "3"]]


def test_report_targets_from_samples() -> None:
    samples = {
        "e_version": Sample("v", (0.1,)),
        "e_validate": Sample("val", (0.2,)),
        "a_0ms": Sample("a", (0.6,)),
        "a_rss_0ms": Sample("rss", (50.0,), "MB"),
        "limit_0ms": Sample("limit", (0.3,)),
        "b": Sample("b", (3.6,)),
        "c": Sample("c", (45.0,), ok=False),
        "d": Sample("d", (1.2,)),
        "conn_d": Sample("connections per endpoint", (1.0, 1.0), ""),
        "single_0ms": Sample("single", (0.3,)),
    }
    by_label = {t.label: t for t in targets(samples, timeout=3.0)}
    a = by_label["(a) RTT 0ms / (slowest chain + start-up)"]
    assert math.isclose(a.reference, 0.4)
    assert not a.met
    b = by_label["(b) / (one timeout + start-up)"]
    assert math.isclose(b.reference, 3.1) and b.met
    speedup = by_label["(c) / (b): speed-up over the serial baseline"]
    assert speedup.met and not speedup.valid
    assert by_label["(d) generated plan"].met  # 1.2 s <= 1.5 s
    assert by_label["connections per endpoint"].met
    assert not by_label["one-endpoint run on loopback"].met  # 0.3 s > 0.25 s
    assert by_label["(e) validate"].met
    assert by_label["rss"].met
