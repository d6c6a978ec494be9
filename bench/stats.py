"""Pure helpers: medians of repeated runs, ratios against limits, and table formatting."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """Repeated measurements of one quantity (seconds or megabytes)."""

    name: str
    values: tuple[float, ...]
    unit: str = "s"
    #: False when a run behind these values did not end as expected.
    ok: bool = True

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def spread(self) -> tuple[float, float]:
        """(min, max) of the repetitions."""
        return (min(self.values), max(self.values)) if self.values else (0.0, 0.0)


@dataclass(frozen=True)
class Target:
    """A target: `measured / reference` must be at most `limit` (or at least, if `at_least`).

    With `unit` set ("s", "MB"), the target is absolute: `measured` against `limit` in that
    unit, and `reference` is ignored.
    """

    label: str
    measured: float
    reference: float
    limit: float
    at_least: bool = False
    unit: str | None = None
    #: False when a measurement behind it came from a run that went wrong.
    valid: bool = True

    @property
    def ratio(self) -> float:
        if self.unit is not None:
            return self.measured
        return ratio(self.measured, self.reference)

    @property
    def met(self) -> bool:
        if self.at_least:
            return self.ratio >= self.limit
        return self.ratio <= self.limit


def ratio(measured: float, reference: float) -> float:
    """`measured / reference`; infinite when the reference is not positive."""
    return measured / reference if reference > 0 else float("inf")


def fmt_value(value: float, unit: str) -> str:
    """A measurement for humans: seconds as ms below 1 s, megabytes with one decimal."""
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:g} {unit}"


def sample_rows(samples: Sequence[Sample]) -> list[list[str]]:
    """Table rows: name, median, min-max and the number of repetitions."""
    rows = []
    for sample in samples:
        low, high = sample.spread
        rows.append(
            [
                sample.name,
                fmt_value(sample.median, sample.unit),
                f"{fmt_value(low, sample.unit)} - {fmt_value(high, sample.unit)}",
                str(len(sample.values)),
            ]
        )
    return rows


def target_rows(targets: Sequence[Target]) -> list[list[str]]:
    """Table rows: what, ratio, the limit and whether it is met."""
    rows = []
    for target in targets:
        sign = ">=" if target.at_least else "<="
        if target.unit is None:
            value, limit = f"{target.ratio:.2f}x", f"{target.limit:g}x"
        else:
            value = fmt_value(target.measured, target.unit)
            limit = fmt_value(target.limit, target.unit)
        verdict = "met" if target.met else "MISSED"
        if not target.valid:
            verdict = "invalid (a run failed)"
        rows.append([target.label, value, f"{sign} {limit}", verdict])
    return rows


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table; `|` in cells is escaped."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    out = [line(header), "|" + "|".join("---" for _ in header) + "|"]
    out.extend(line(row) for row in rows)
    return "\n".join(out)
