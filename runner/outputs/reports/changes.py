"""Two reports of one machine compared: per endpoint, route and stage, what changed.

A check is keyed by its endpoint (or step), route and stage. It is *failing* when its
effective status (`fleet.effective`) is `fail` or `warn`. Then: `fixed` (failing before,
passing now), `newly-failing` (failing now, not before: passing, skipped or absent; or a
warning before and a failure now), `still-failing` (failing in both), `unchanged` (the
same status otherwise) and `not-compared` (not run in one of the two: skipped after an
earlier stage failed, interrupted, or absent from one report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from runner import exit_codes
from runner.outputs.reports import fleet
from runner.outputs.reports.load import Report
from runner.peer_text import escaped

#: The change kinds, in the order they are shown.
KINDS = ("newly-failing", "fixed", "still-failing", "not-compared", "unchanged")
FAILING = ("fail", "warn")


@dataclass(frozen=True)
class Key:
    """What a check is matched by across the two reports."""

    subject: str
    route: str
    check: str
    #: 0, or the count of earlier results with the same key in the same report.
    occurrence: int = 0


@dataclass(frozen=True)
class Change:
    """One check in both (or one) of the reports."""

    key: Key
    kind: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    def status(self, side: str) -> str:
        result = self.before if side == "before" else self.after
        return fleet.effective(result) if result is not None else "absent"


@dataclass(frozen=True)
class ValueChange:
    """A plan variable, section or other value that differs; None means absent."""

    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Comparison:
    before: Report
    after: Report
    checks: tuple[Change, ...]
    plan: tuple[ValueChange, ...]
    variables: tuple[ValueChange, ...]
    sections: tuple[ValueChange, ...]

    def of(self, kind: str) -> list[Change]:
        return [change for change in self.checks if change.kind == kind]

    @property
    def exit_code(self) -> int:
        """0 when nothing newly fails (and AFTER ran to its end), else 1."""
        worse = self.of("newly-failing") or fleet.stopped(self.after)
        return exit_codes.FAILED if worse else exit_codes.OK


def _keyed(report: Report) -> dict[Key, Mapping[str, Any]]:
    keyed: dict[Key, Mapping[str, Any]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for result in report.results:
        base = (fleet.subject(result), fleet.route(result), fleet.text(result, "check"))
        keyed[Key(*base, seen.get(base, 0))] = result
        seen[base] = seen.get(base, 0) + 1
    return keyed


def _kind(before: str, after: str) -> str:
    if after in FAILING:
        if before not in FAILING or (before, after) == ("warn", "fail"):
            return "newly-failing"
        return "still-failing"
    if before in FAILING:
        return "fixed" if after == "pass" else "not-compared"
    return "unchanged" if before == after else "not-compared"


def _changes(before: Report, after: Report) -> tuple[Change, ...]:
    old, new = _keyed(before), _keyed(after)
    keys = list(old) + [key for key in new if key not in old]
    made = []
    for key in keys:
        was, now = old.get(key), new.get(key)
        b = fleet.effective(was) if was is not None else "absent"
        a = fleet.effective(now) if now is not None else "absent"
        made.append(Change(key, _kind(b, a), was, now))
    return tuple(made)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return escaped(", ".join(str(item) for item in value))
    return escaped(str(value))


def _mapping_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[ValueChange, ...]:
    names = list(old) + [name for name in new if name not in old]
    return tuple(
        ValueChange(
            escaped(str(name)),
            _shown(old[name]) if name in old else None,
            _shown(new[name]) if name in new else None,
        )
        for name in names
        if old.get(name) != new.get(name) or (name in old) != (name in new)
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _sections(report: Report) -> dict[str, str]:
    found = _mapping(report.doc.get("plan")).get("sections")
    items = [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []
    return {str(s.get("name")): "on" if s.get("enabled") else "off" for s in items}


def _plan_facts(report: Report) -> dict[str, str]:
    tool = _mapping(report.doc.get("tool"))
    return {
        "plan": report.plan("name"),
        "plan version": report.plan("version"),
        "asrcheck": escaped(str(tool.get("version", "?"))),
        "machine": report.label,
    }


def compare(before: Report, after: Report) -> Comparison:
    variables = [_mapping(_mapping(r.doc.get("plan")).get("variables")) for r in (before, after)]
    return Comparison(
        before,
        after,
        _changes(before, after),
        _mapping_changes(_plan_facts(before), _plan_facts(after)),
        _mapping_changes(*variables),
        _mapping_changes(_sections(before), _sections(after)),
    )
