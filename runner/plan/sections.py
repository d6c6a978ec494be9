"""Optional sections: on or off by the plan's default, switched by --enable / --disable."""

from __future__ import annotations

import difflib
from collections.abc import Container, Mapping, Sequence
from typing import Any

from runner.errors import Problem
from runner.model import Section
from runner.plan.source import SourceMap, problem
from runner.plan.substitution import Item


def switch(
    declared: Mapping[str, Any],
    enable: Sequence[str],
    disable: Sequence[str],
    rejected: Container[str] = (),
) -> tuple[list[Section], list[Problem]]:
    """The plan's sections, switched by --enable / --disable. `rejected` names are of
    sections whose declaration was refused (already reported): not reported again."""
    problems = [
        Problem(f"--{flag} {name}: unknown section{_valid(declared)}")
        for flag, names in (("enable", enable), ("disable", disable))
        for name in names
        if name not in declared and name not in rejected
    ]
    problems.extend(
        Problem(f"section {name!r} is both enabled and disabled")
        for name in sorted(set(enable) & set(disable))
    )
    result = []
    for name, spec in declared.items():
        enabled, why = bool(spec.get("enabled", True)), "default"
        if name in enable:
            enabled, why = True, "--enable"
        elif name in disable:
            enabled, why = False, "--disable"
        result.append(Section(name, spec.get("description", ""), enabled, why))
    return result, problems


def _valid(declared: Mapping[str, Any]) -> str:
    return (
        f" (sections: {', '.join(sorted(declared))})"
        if declared
        else " (this plan has no sections)"
    )


def apply(
    items: list[Item], switched: Sequence[Section], smap: SourceMap, rejected: Container[str] = ()
) -> list[Problem]:
    """Disables items of sections that are off; an undeclared section is a problem (unless
    its declaration was `rejected`, a problem reported already)."""
    state = {section.name: section for section in switched}
    problems = []
    for item in items:
        advisory = item.data.get("advisory_with")
        if isinstance(advisory, str) and advisory not in state and advisory not in rejected:
            message = f"unknown section {advisory!r}{_valid(state)}"
            problems.append(problem(smap, (*item.origin, "advisory_with"), message))
        name = item.data.get("section")
        if name is None or (name not in state and name in rejected):
            continue
        section = state.get(name)
        if section is None:
            message = f"unknown section {name!r}{_valid(state)}"
            problems.append(problem(smap, (*item.origin, "section"), message))
        elif not section.enabled:
            how = "by --disable" if section.why == "--disable" else "by default"
            item.skip_reason = f"section {name!r} is off {how} (turn on with --enable {name})"
    return problems


def undescribed_unused(data: Mapping[str, Any], smap: SourceMap) -> list[Problem]:
    """A section with no description that no endpoint or step names: a child plan switching
    a section its parent does not have, most likely a misspelled name (`keyvalt`)."""
    used = {
        entry.get("section")
        for key in ("endpoints", "steps")
        for entry in data.get(key) or []
        if isinstance(entry, Mapping)
    }
    problems = []
    for name, spec in (data.get("sections") or {}).items():
        if name in used or (isinstance(spec, Mapping) and spec.get("description")):
            continue
        close = difflib.get_close_matches(name, sorted(n for n in used if n), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        message = f"section {name!r} is neither declared by a parent plan nor used here{hint}"
        problems.append(problem(smap, ("sections", name), message, key=True))
    return problems
