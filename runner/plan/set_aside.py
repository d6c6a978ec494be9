"""Removes what the schema rejected from a plan tree, so the later checks still run on the rest.

`asrcheck validate` reports every problem in one pass. After the schema check, each rejected
value is taken out of the tree (in place) at the smallest unit the later checks can do
without, and what was taken out is recorded in a `Quarantine` so that nothing that refers to
it is reported again as a follow-on problem:

- a variable, table or section with any problem is removed whole; uses of its name are left
  unresolved, quietly (no "undefined variable", "unknown table", "unknown section");
- a bad key of an endpoint or step is removed, the rest of it is still checked (its host,
  its id, its kind); an entry that is not a mapping, or whose `for_each` is bad, is replaced
  by None (list positions, and so locations, stay as they are);
- a bad key of `defaults` or `log`, or a bad top-level key, is removed. A rejected `extends`
  means the parent is unknown: `Quarantine.extends` tells the loader to stop there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from runner.plan.source import DataPath

_NAMED = ("vars", "tables", "sections")
_LISTS = ("endpoints", "steps")
_MAPPINGS = ("defaults", "log")
#: Keys of an endpoint or step without which the rest of it cannot be checked.
_VITAL = ("for_each",)


@dataclass
class Names:
    """Names that were rejected: some, or (`every`) all of them."""

    every: bool = False
    names: set[str] = field(default_factory=set)

    def __contains__(self, name: object) -> bool:
        return self.every or name in self.names


@dataclass
class Quarantine:
    """What `prune()` removed that other parts of the plan may refer to by name."""

    vars: Names = field(default_factory=Names)
    tables: Names = field(default_factory=Names)
    sections: Names = field(default_factory=Names)
    #: `extends:` was written but rejected: the parent plan is unknown.
    extends: bool = False


def prune(data: dict[str, Any], paths: Iterable[DataPath]) -> Quarantine:
    """Removes the values at `paths` (schema errors) from `data`, unit by unit."""
    quarantine = Quarantine()
    for path in sorted(set(paths), key=len):
        if path:
            _remove(data, path, quarantine)
    return quarantine


def _remove(data: dict[str, Any], path: DataPath, quarantine: Quarantine) -> None:
    top = str(path[0])
    if top not in data:
        return
    if top in _NAMED:
        names: Names = getattr(quarantine, top)
        if len(path) == 1:
            names.every = True
            del data[top]
        else:
            names.names.add(str(path[1]))
            _drop(data[top], path[1])
    elif top in _LISTS and len(path) > 1:
        _remove_from_item(data[top], path[1:])
    elif top in _MAPPINGS and len(path) > 1:
        _drop(data[top], path[1])
    else:
        quarantine.extends = quarantine.extends or top == "extends"
        del data[top]


def _remove_from_item(items: Any, path: DataPath) -> None:
    index = path[0]
    if not isinstance(items, list) or not isinstance(index, int) or index >= len(items):
        return
    item = items[index]
    if len(path) == 1 or not isinstance(item, dict) or path[1] in _VITAL:
        items[index] = None
    else:
        _drop(item, path[1])


def _drop(container: Any, key: Any) -> None:
    if isinstance(container, dict):
        container.pop(key, None)
